// The one formatter of the editor: markdown for each kind of model element, built only from what
// the engine computed (quorum tables, header budgets, availability, roles, flows, elections, what-if).
// Hovers show it; nothing here decides a verdict of its own.

import { downtimePerYear, formatPercent, hostAvailability, topologyAvailability } from '../analysis/availability.js';
import { hopLimit } from '../analysis/headers.js';
import { hsmCapacity } from '../analysis/hsm.js';
import { vipServers } from '../analysis/load-balancers.js';
import { formatWeight, totalWeight, voters } from '../analysis/quorum.js';
import { describePort, describeRule } from '../analysis/reachability.js';
import { describeRole } from '../analysis/roles.js';
import { electedMaster } from '../analysis/vrrp.js';
import { whatIf } from '../analysis/what-if.js';
import type * as m from '../model/model.js';
import type { TopologyFigures } from './hatopo-figures.js';

export function describeElement(element: m.ModelElement, figures: TopologyFigures): string | undefined {
    switch (element.kind) {
        case 'topology':
            return topology(figures);
        case 'region':
            return region(element as m.Region, figures);
        case 'zone':
            return zone(element as m.Zone, figures);
        case 'host':
            return host(element as m.Host, figures);
        case 'galera':
            return galera(element as m.Galera, figures);
        case 'rabbitmq':
            return rabbitmq(element as m.RabbitMQ, figures);
        case 'memcached':
            return memcached(element as m.Memcached, figures);
        case 'vip':
            return vip(element as m.Vip, figures);
        case 'haproxy':
            return haproxy(element as m.HAProxy);
        case 'frontend':
            return frontend(element as m.Frontend, figures);
        case 'backend':
            return backend(element as m.Backend);
        case 'service':
            return service(element as m.Service, figures);
        case 'hsm':
            return hsm(element as m.HsmGroup, figures);
        case 'link':
            return link(element as m.Link, figures);
        case 'firewall':
            return firewall(element as m.Firewall, figures);
    }
}

/** One hop of a service's request path: its limit and the share the token header takes of it. */
export function describeHop(service: m.Service, index: number, figures: TopologyFigures): string | undefined {
    const budget = figures.budget(service);
    const row = budget?.hops[index];
    if (!budget || !row) return undefined;
    if (!row.limit) return `hop ${index + 1} **${row.hop.kind}**: hatopo does not know its header limit`;
    return (
        `hop ${index + 1} **${row.hop.kind}** of ${service.name}: ${row.limit.bytes} B ${row.limit.scope === 'line' ? 'per header line' : 'for the request line and all headers'} ` +
        `(${row.limit.setting}${row.limit.modelled ? '' : ', default'}); the ${budget.token.format} token needs ${row.needed} B: ${Math.round(row.share * 100)} %`
    );
}

function table(header: string[], rows: string[][]): string {
    return [
        `| ${header.join(' | ')} |`,
        `|${header.map(() => '---').join('|')}|`,
        ...rows.map(row => `| ${row.join(' | ')} |`)
    ].join('\n');
}

function topology(figures: TopologyFigures): string {
    const model = figures.model;
    const lines = [
        `**topology ${model.name ?? ''}**${model.description ? ` — ${model.description}` : ''}`,
        '',
        `${model.regions.length} regions, ${model.hosts.length} hosts, ${model.services.length} services, ${model.galeras.length} Galera clusters`
    ];
    if (model.services.length > 0) {
        const computed = topologyAvailability(model);
        const target = model.targets.availability;
        lines.push(
            '',
            `computed availability ${formatPercent(computed)} (${downtimePerYear(computed)} down a year)` +
                (target !== undefined ? `, target ${formatPercent(target)} (${downtimePerYear(target)})` : '')
        );
    }
    if (model.targets.throughputPerSecond !== undefined)
        lines.push('', `throughput target ${model.targets.throughputPerSecond}/s`);
    return lines.join('\n');
}

function region(place: m.Region, figures: TopologyFigures): string {
    const lines = [
        `**region ${place.name}**${place.description ? ` — ${place.description}` : ''}${place.subnet ? `, ${place.subnet.text}` : ''}`,
        '',
        `${place.zones.length} zones, ${place.hosts.length} hosts`
    ];
    const voting = figures.model.galeras
        .map(cluster => {
            const here = voters(cluster).filter(voter => voter.host.region === place);
            return here.length > 0
                ? `galera ${cluster.name}: ${here.length} voters, weight ${totalWeight(here)} of ${totalWeight(voters(cluster))}`
                : undefined;
        })
        .filter(Boolean);
    if (voting.length > 0) lines.push('', ...voting.map(line => `- ${line}`));
    const outcome = whatIf(figures.model, [`region:${place.name}`]);
    const broken = [
        ...outcome.clusters
            .filter(cluster => !cluster.primary)
            .map(cluster => `${cluster.kind} ${cluster.name}: ${cluster.detail}`),
        ...outcome.services
            .filter(service => !service.up)
            .map(service => `service ${service.name}: ${service.reasons.join('; ')}`)
    ];
    lines.push(
        '',
        broken.length === 0
            ? `losing ${place.name}: every cluster keeps its quorum and every service stays up`
            : `losing ${place.name} breaks:\n${broken.map(line => `- ${line}`).join('\n')}`
    );
    return lines.join('\n');
}

function zone(place: m.Zone, figures: TopologyFigures): string {
    const model = figures.model;
    const guards = model.firewalls.filter(firewall => firewall.protects === place).map(firewall => firewall.name);
    const links = model.links.filter(link => link.from === place || link.to === place);
    return [
        `**zone ${place.name}** ${place.subnet?.text ?? ''} in region ${place.region.name}, trust ${place.trust}`,
        '',
        `${place.hosts.length} hosts${guards.length ? `; behind firewall ${guards.join(', ')}` : ''}${links.length ? `; ${links.length} links name it` : ''}`,
        ...(place.trust === 'public'
            ? ['', 'public: no sensitive port (database, cache, broker) may be reachable from here']
            : [])
    ].join('\n');
}

function host(machine: m.Host, figures: TopologyFigures): string {
    const roles = figures.roles(machine).map(describeRole);
    return (
        `**host ${machine.name}** ${machine.address} in region ${machine.region.name}${machine.zone ? `, zone ${machine.zone.name} (${machine.zone.trust})` : ''}; ` +
        `availability ${formatPercent(hostAvailability(machine))}\n\nroles: ${roles.join(', ') || 'none'}`
    );
}

function galera(cluster: m.Galera, figures: TopologyFigures): string {
    const all = voters(cluster);
    const total = totalWeight(all);
    const rows = figures
        .quorum(cluster)
        .map(outcome => [
            outcome.failure,
            `${outcome.survivingWeight} of ${outcome.totalWeight}`,
            outcome.primary ? 'Primary' : '**non-primary**'
        ]);
    return [
        `**galera ${cluster.name}**: ${cluster.members.length} data nodes + ${cluster.arbitrators.length} garbd, total weight ${total}; ` +
            `a partition stays Primary with weight > ${formatWeight(total / 2)}; SST ${cluster.sst}${cluster.segmentByRegion ? ', segments by region' : ''}`,
        '',
        table(['if lost', 'surviving weight', 'state'], rows)
    ].join('\n');
}

function rabbitmq(cluster: m.RabbitMQ, figures: TopologyFigures): string {
    const size = cluster.members.length;
    const majority = Math.floor(size / 2) + 1;
    const users = figures.model.services.filter(service => service.queue === cluster).map(service => service.name);
    return [
        `**rabbitmq ${cluster.name}**: ${size} members, a majority is ${majority}: survives the loss of ${Math.max(0, size - majority)} node${size - majority === 1 ? '' : 's'}` +
            `${cluster.partitionHandling ? `; partition_handling ${cluster.partitionHandling}` : ''}`,
        '',
        `members: ${cluster.members.map(member => member.name).join(', ') || 'none'}`,
        ...(users.length ? ['', `used by: ${users.join(', ')}`] : [])
    ].join('\n');
}

function memcached(pool: m.Memcached, figures: TopologyFigures): string {
    const users = figures.model.services.filter(service => service.caches.includes(pool)).map(service => service.name);
    const settings = [
        `port ${pool.port}`,
        pool.memoryBytes !== undefined ? `memory ${Math.round(pool.memoryBytes / 2 ** 20)} MiB` : undefined,
        pool.threads !== undefined ? `${pool.threads} threads` : undefined,
        pool.ttlSeconds !== undefined ? `TTL ${pool.ttlSeconds} s` : undefined,
        pool.sasl ? 'SASL' : 'no SASL',
        pool.tls ? 'TLS' : 'no TLS'
    ].filter(Boolean);
    return [
        `**memcached ${pool.name}**: ${pool.servers.length} servers (${pool.servers.map(server => server.name).join(', ')}); ${settings.join(', ')}`,
        '',
        `losing one server loses 1/${Math.max(1, pool.servers.length)} of the cached keys`,
        ...(users.length ? ['', `used by: ${users.join(', ')}`] : [])
    ].join('\n');
}

function vip(address: m.Vip, figures: TopologyFigures): string {
    const elected = electedMaster(address.members);
    const { serving, idle } = vipServers(address, figures.model);
    const rows = [...address.members]
        .sort((a, b) => b.priority - a.priority)
        .map(member => [
            member.host.name,
            member.state,
            String(member.priority),
            serving.includes(member.host) ? 'yes' : '**no haproxy**'
        ]);
    return [
        `**vip ${address.name}** ${address.address}, VRID ${address.vrid} on ${address.interface}${address.unicast ? ', unicast' : ''}${address.nopreempt ? ', nopreempt' : ''}, advert ${address.advertSeconds} s ` +
            `(master declared down after ~${3 * address.advertSeconds} s)`,
        '',
        `elected master: ${elected ? `${elected.host.name} (priority ${elected.priority})` : 'none'}${idle.length ? `; ${idle.length} holder${idle.length > 1 ? 's' : ''} run no haproxy for it` : ''}`,
        '',
        table(['host', 'state', 'priority', 'serves'], rows)
    ].join('\n');
}

function haproxy(proxy: m.HAProxy): string {
    const limit = hopLimit({ kind: 'haproxy', settings: new Map(), source: proxy.source }, proxy);
    return [
        `**haproxy ${proxy.name}** on ${proxy.nodes.map(node => node.name).join(', ') || 'no nodes'}; tune.bufsize ${proxy.bufsize} B, tune.maxrewrite ${proxy.maxrewrite} B: ` +
            `requests up to ${limit?.bytes ?? '?'} B of request line and headers`,
        '',
        table(
            ['frontend', 'binds', 'backend'],
            proxy.frontends.map(front => [
                front.name,
                `${front.vip.name} ${front.vip.address}:${front.port}`,
                front.backend.name
            ])
        ),
        '',
        table(
            ['backend', 'mode', 'active', 'backup'],
            proxy.backends.map(back => [
                back.name,
                back.mode,
                String(back.servers.filter(server => !server.backup).length),
                String(back.servers.filter(server => server.backup).length)
            ])
        )
    ].join('\n');
}

function frontend(front: m.Frontend, figures: TopologyFigures): string {
    const { serving } = vipServers(front.vip, figures.model);
    return (
        `**frontend ${front.name}** of haproxy ${front.owner?.name ?? ''}: ${front.vip.address}:${front.port} → backend ${front.backend.name}\n\n` +
        `served by ${serving.map(h => h.name).join(', ') || 'no holder that runs this haproxy'}`
    );
}

function backend(back: m.Backend): string {
    return [
        `**backend ${back.name}** of haproxy ${back.owner?.name ?? ''}, mode ${back.mode}${back.check ? `, check ${back.check}` : ''}`,
        '',
        table(
            ['server', 'port', 'role'],
            back.servers.map(server => [server.host.name, String(server.port), server.backup ? 'backup' : 'active'])
        )
    ].join('\n');
}

function service(api: m.Service, figures: TopologyFigures): string {
    const lines = [
        `**service ${api.name}** (${api.serviceKind}) on port ${api.port}, ${api.nodes.length} API nodes` +
            `${api.frontends.length ? `, behind ${api.frontends.map(v => v.name).join(', ')}` : ''}`
    ];
    const needs = [
        api.database && `galera ${api.database.name}${api.databaseVip ? ` via ${api.databaseVip.name}` : ''}`,
        ...api.caches.map(cache => `memcached ${cache.name}`),
        api.queue && `rabbitmq ${api.queue.name}`,
        api.hsm && `hsm ${api.hsm.name}`
    ].filter(Boolean);
    if (needs.length) lines.push('', `depends on: ${needs.join(', ')}`);
    const availability = figures.availability(api);
    const target = api.availability ?? figures.model.targets.availability;
    lines.push(
        '',
        `availability ${formatPercent(availability.availability)}${target !== undefined ? ` (target ${formatPercent(target)})` : ''}: ` +
            Object.entries(availability.parts)
                .map(([part, value]) => `${part} ${formatPercent(value)}`)
                .join(' × ')
    );
    const budget = figures.budget(api);
    if (budget) {
        const { token, size, line } = budget;
        lines.push(
            '',
            `${token.format} token ${size.bytes} B${size.catalogEndpoints ? ` (catalog of ${size.catalogEndpoints} endpoints)` : ''}, X-Auth-Token header line ${line} B`,
            '',
            table(
                ['hop', 'limit', 'needed', 'use'],
                budget.hops.map(({ hop, index, limit, needed, share }) =>
                    limit
                        ? [
                              `${index + 1}. ${hop.kind}`,
                              `${limit.bytes} B ${limit.scope === 'line' ? 'per line' : 'all headers'} (${limit.setting}${limit.modelled ? '' : ', default'})`,
                              `${needed} B`,
                              `${Math.round(share * 100)} %`
                          ]
                        : [`${index + 1}. ${hop.kind}`, 'unknown', '', '']
                )
            )
        );
    }
    return lines.join('\n');
}

function hsm(group: m.HsmGroup, figures: TopologyFigures): string {
    const capacity = hsmCapacity(group);
    const users = figures.model.services.filter(api => api.hsm === group).map(api => api.name);
    return [
        `**hsm ${group.name}**: ${group.members.length} devices (${group.devices.map(d => `${d.host.name}${d.capacityPerSecond !== undefined ? ` ${d.capacityPerSecond}/s` : ''}`).join(', ')}); ` +
            `${group.haOnly ? 'HA-only' : '**not HA-only**'}, ${group.plugin}, port ${group.port}`,
        ...(capacity
            ? ['', `capacity ${capacity.total}/s, with one device lost ${+capacity.degraded.toFixed(1)}/s`]
            : []),
        ...(users.length ? ['', `used by: ${users.join(', ')}`] : [])
    ].join('\n');
}

function link(path: m.Link, figures: TopologyFigures): string {
    const { flows } = figures.linkFlows(path);
    const network = figures.reachability;
    const summary = new Map<string, { allowed: number; blocked: number }>();
    for (const flow of flows) {
        const key = `${flow.purpose} ${describePort(flow.protocol, flow.port)}`;
        const entry = summary.get(key) ?? { allowed: 0, blocked: 0 };
        if (!network.modelled || network.decide(flow.from, flow.to, flow.protocol, flow.port).allowed) entry.allowed++;
        else entry.blocked++;
        summary.set(key, entry);
    }
    return [
        `**link ${path.from.name} ${path.bidirectional ? '<->' : '->'} ${path.to.name}**${path.latencySeconds !== undefined ? `, latency ${path.latencySeconds * 1000} ms` : ''}` +
            `${path.redundant ? ', redundant' : ''}${path.vpn ? ', VPN' : ''}; ${path.rules.length === 0 ? 'carries everything' : `${path.rules.length} rules, the rest dropped`}`,
        '',
        table(
            ['flow across it', 'allowed', 'blocked'],
            [...summary].map(([flow, { allowed, blocked }]) => [
                flow,
                String(allowed),
                blocked ? `**${blocked}**` : '0'
            ])
        )
    ].join('\n');
}

function firewall(wall: m.Firewall, figures: TopologyFigures): string {
    const network = figures.reachability;
    const dropped = figures.flows.filter(
        flow => network.decide(flow.from, flow.to, flow.protocol, flow.port).blocker === wall
    ).length;
    return [
        `**firewall ${wall.name}** in front of ${wall.protects.kind} ${wall.protects.name}: ${wall.rules.length === 0 ? 'no rules, lets everything in' : 'the first matching rule decides, the rest is dropped'}`,
        '',
        ...wall.rules.map((rule, index) => `${index + 1}. \`${describeRule(rule)}\``),
        '',
        `drops ${dropped} flow${dropped === 1 ? '' : 's'} the topology needs`
    ].join('\n');
}
