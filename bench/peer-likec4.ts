// The same estate in LikeC4's language, for `npm run bench -- --peer likec4` (issue 16): one LikeC4
// element per hatopo model element (regions hold their zones, zones their hosts, a haproxy its
// frontends and backends), relationships between the services and
// clusters (cluster → member, service → database, cache and queue, VIP → service, frontend → backend,
// region → region for each link, firewall → zone), and one view. Element counts match hatopo's `model.elements` exactly.

import type { TopologyModel } from '../language/model/model.js';

/** LikeC4 names: letters, digits and underscores (hatopo's `-` and `/` are not identifiers there). */
function id(name: string): string {
    return name.replace(/[^A-Za-z0-9_]/g, '_');
}

function quote(text: string): string {
    return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

export interface PeerModel {
    text: string;
    elements: number;
    relationships: number;
}

export function likec4Source(model: TopologyModel): PeerModel {
    const lines: string[] = [];
    let elements = 0,
        relationships = 0;
    const fqn = new Map<string, string>();
    const element = (indent: string, path: string, name: string, kind: string, title: string, open: boolean) => {
        elements++;
        lines.push(`${indent}${id(name)} = ha_${kind} ${quote(title)}${open ? ' {' : ''}`);
        return path ? `${path}.${id(name)}` : id(name);
    };
    lines.push('specification {');
    for (const kind of [
        'region',
        'zone',
        'host',
        'galera',
        'rabbitmq',
        'memcached',
        'vip',
        'haproxy',
        'frontend',
        'backend',
        'service',
        'hsm',
        'link',
        'firewall',
        'dns',
        'pacemaker',
        'topology'
    ])
        lines.push(`  element ha_${kind}`); // `link`, `model` … are LikeC4 keywords
    lines.push('}', '', 'model {');
    if (model.topology)
        fqn.set(model.topology.id, element('  ', '', model.topology.name, 'topology', 'topology', false));
    for (const region of model.regions) {
        const path = element('  ', '', region.name, 'region', region.description ?? region.name, true);
        fqn.set(region.id, path);
        for (const zone of region.zones) {
            const zonePath = element('    ', path, zone.name, 'zone', zone.subnet?.text ?? zone.name, true);
            fqn.set(zone.id, zonePath);
            for (const host of zone.hosts)
                fqn.set(host.id, element('      ', zonePath, host.name, 'host', host.address, false));
            lines.push('    }');
        }
        for (const host of region.hosts.filter(host => !host.zone))
            fqn.set(host.id, element('    ', path, host.name, 'host', host.address, false));
        lines.push('  }');
    }
    const top = (e: { id: string; name: string; kind: string }, title = e.name) =>
        fqn.set(e.id, element('  ', '', e.name, e.kind, title, false));
    for (const cluster of model.galeras) top(cluster);
    for (const cluster of model.rabbitmqs) top(cluster);
    for (const pool of model.memcacheds) top(pool);
    for (const vip of model.vips) top(vip, vip.address);
    for (const haproxy of model.haproxies) {
        const path = element('  ', '', haproxy.name, 'haproxy', haproxy.name, true);
        fqn.set(haproxy.id, path);
        for (const part of [...haproxy.frontends, ...haproxy.backends])
            fqn.set(part.id, element('    ', path, part.name, part.kind, part.name, false));
        lines.push('  }');
    }
    for (const service of model.services) top(service, `${service.serviceKind} ${service.name}`);
    for (const hsm of model.hsms) top(hsm);
    for (const link of model.links) top(link);
    for (const firewall of model.firewalls) top(firewall);
    for (const dns of model.dnsNames) top(dns);
    for (const cluster of model.pacemakers) top(cluster);
    lines.push('');
    const relate = (from: { id: string }, to: { id: string } | undefined, label: string) => {
        const a = fqn.get(from.id),
            b = to && fqn.get(to.id);
        if (!a || !b) return;
        relationships++;
        lines.push(`  ${a} -> ${b} ${quote(label)}`);
    };
    // The dependencies between services and clusters; hosts are elements, not relationship ends, so
    // the text per element stays about half of hatopo's (as in the measurement).
    for (const cluster of model.galeras)
        for (const member of [...cluster.members, ...cluster.arbitrators]) relate(cluster, member.host, 'member');
    for (const cluster of model.rabbitmqs) for (const member of cluster.members) relate(cluster, member, 'member');
    for (const haproxy of model.haproxies)
        for (const frontend of haproxy.frontends) relate(frontend, frontend.backend, 'uses');
    for (const service of model.services) {
        relate(service, service.database, 'sql');
        for (const cache of service.caches) relate(service, cache, 'cache');
        relate(service, service.queue, 'amqp');
        for (const vip of service.frontends) relate(vip, service, 'serves');
    }
    for (const link of model.links) relate(link.from, link.to, link.name ?? 'link');
    for (const firewall of model.firewalls) relate(firewall, firewall.protects, 'protects');
    lines.push('}', '', 'views {', '  view index {', '    include *', '  }', '}', '');
    return { text: lines.join('\n'), elements, relationships };
}
