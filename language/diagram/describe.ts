// Short texts the views put on the picture: a port by its purpose ("MySQL 3306"), what a link or a
// firewall allows by purpose ("MySQL 3306 · Galera 4567/4568/4444"), a compact list of names.

import { PORTS } from '../model/defaults.js';
import type { Hop, Link, PortRange, Rule, TopologyModel } from '../model/model.js';

const PURPOSES = new Map<number, string>([
    [PORTS.mysql, 'MySQL'],
    [PORTS.galeraReplication, 'Galera'],
    [PORTS.galeraIst, 'Galera'],
    [PORTS.galeraSst, 'Galera'],
    [PORTS.clustercheck, 'clustercheck'],
    [PORTS.amqp, 'AMQP'],
    [PORTS.rabbitmqDistribution, 'RabbitMQ'],
    [PORTS.epmd, 'RabbitMQ'],
    [PORTS.memcached, 'memcached'],
    [PORTS.lunaNtls, 'Luna NTLS'],
    [PORTS.kmip, 'KMIP'],
    [PORTS.ssh, 'SSH'],
    [PORTS.haproxyStats, 'haproxy stats']
]);

/** What listens on a port in this topology: a well-known program, else the service that uses it. */
export function portPurpose(port: number, model: TopologyModel): string | undefined {
    const known = PURPOSES.get(port);
    if (known) return known;
    const service = model.services.find(s => s.port === port);
    return service?.serviceKind;
}

/** "MySQL 3306", "keystone 5000", "tcp 8080". */
export function describePortUse(port: number, model: TopologyModel, protocol = 'tcp'): string {
    return `${portPurpose(port, model) ?? protocol} ${port}`;
}

/** Ports grouped by purpose, in the order written: "MySQL 3306 · Galera 4444/4567/4568 · keystone 5000". */
export function describePorts(ports: Iterable<number>, model: TopologyModel, limit = 4): string {
    const groups = new Map<string, number[]>();
    for (const port of ports) {
        const purpose = portPurpose(port, model) ?? 'tcp';
        const list = groups.get(purpose) ?? [];
        if (!list.includes(port)) list.push(port);
        groups.set(purpose, list);
    }
    const parts = [...groups].map(([purpose, list]) => `${purpose} ${list.join('/')}`);
    return parts.length > limit ? `${parts.slice(0, limit).join(' · ')} · +${parts.length - limit}` : parts.join(' · ');
}

/** What a set of rules lets through, by purpose: "MySQL 3306 · Galera 4567/4568/4444", "all traffic". */
export function describeAllowed(rules: readonly Rule[], model: TopologyModel): string {
    if (rules.length === 0) return 'all traffic';
    const ports: number[] = [];
    const other: string[] = [];
    for (const rule of rules.filter(r => r.action === 'allow')) {
        if (rule.protocol === 'all') other.push('all');
        else if (rule.protocol === 'ip')
            other.push(rule.ipProtocol === PORTS.vrrp ? 'VRRP' : `proto ${rule.ipProtocol}`);
        else
            for (const range of rule.ports)
                if (isSmall(range)) for (let port = range.first; port <= range.last; port++) ports.push(port);
                else other.push(`${rule.protocol} ${range.first}-${range.last}`);
    }
    const parts = [ports.length > 0 ? describePorts(ports, model) : '', ...new Set(other)].filter(Boolean);
    const denies = rules.filter(rule => rule.action === 'deny').length;
    return (parts.join(' · ') || 'nothing') + (denies > 0 && parts.length > 0 ? ' (rest denied)' : '');
}

function isSmall(range: PortRange): boolean {
    return range.last - range.first < 8;
}

/** "8 ms · redundant · VPN". */
export function describeLinkTraits(link: Link): string {
    return [
        link.latencySeconds !== undefined ? `${+(link.latencySeconds * 1000).toFixed(1)} ms` : '',
        link.redundant ? 'redundant' : 'single path',
        link.vpn ? 'VPN' : ''
    ]
        .filter(Boolean)
        .join(' · ');
}

/** A hop on a request path: its kind, and its rate limit when it has one ("repose 200/s"). */
export function describeHop(hop: Hop): string {
    const limit = hop.settings.get('rate-limit')?.[0];
    return limit !== undefined ? `${hop.kind} ${limit}/s` : hop.kind;
}

/** "a, b, c" up to a few names, then "a, b … (12)". */
export function compactList(names: readonly string[], limit = 4): string {
    if (names.length <= limit) return names.join(', ');
    return `${names.slice(0, limit - 1).join(', ')} … (${names.length})`;
}
