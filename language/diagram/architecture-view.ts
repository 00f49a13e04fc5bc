// The architecture view: per region, the request path as the operators' stories draw it, left to
// right: entry (a DNS name, or the clients' side) → VIP → load-balancer pair → services → database
// VIP → database load balancers → gates (VPN tunnels, firewall devices) → the data tier (Galera,
// RabbitMQ, memcached, HSM). An element whose hosts span regions (one Galera for three regions) is
// drawn beside the regions, shared; a DNS name over several regions' VIPs, before them. A Pacemaker
// cluster is a group inside its region holding the VIPs and resources it runs; the standby colour of
// a blue/green pair is drawn muted. Edges are the dependencies the model has, labelled by purpose and
// port.
//
// One function per kind of element (ARCHITECTURE_KINDS): a new kind is one more function that adds
// its elements at a tier and its edges (through `connect()` for a dependency).

import { firewallAvailability, linkAvailability } from '../analysis/availability.js';
import { tokenInUse } from '../analysis/headers.js';
import { contains } from '../analysis/reachability.js';
import { rolesByHost } from '../analysis/roles.js';
import { electedMaster } from '../analysis/vrrp.js';
import { segmentOf } from '../analysis/segments.js';
import { isStandbyService, isStandbyVip } from '../analysis/standby.js';
import { PORTS } from '../model/defaults.js';
import type {
    Backend,
    BackendServer,
    Endpoint,
    Galera,
    HAProxy,
    Host,
    Link,
    ModelElement,
    Pacemaker,
    Service,
    TopologyModel,
    Trust,
    Vip
} from '../model/model.js';
import {
    compactList,
    describeAllowed,
    describeHop,
    describeLinkTraits,
    describePorts,
    describePortUse
} from './describe.js';
import { flowKey, percent, plural, type DiagramBuilder } from './diagram-builder.js';

/** Columns inside a region, left to right. */
export const TIER = {
    entry: 0,
    frontVip: 1,
    frontLb: 2,
    service: 3,
    dbVip: 4,
    dbLb: 5,
    vpn: 6,
    firewall: 7,
    data: 8,
    host: 9
} as const;

export interface ArchitectureContext {
    b: DiagramBuilder;
    model: TopologyModel;
    /** VIPs clients come in through. */
    frontVips: Set<Vip>;
    /** Load balancers behind a front VIP or in front of services. */
    frontLbs: Set<HAProxy>;
    /** Pacemaker resources and VIPs drawn inside their cluster's group: member id → the group's id. */
    groupOf: Map<string, string>;
    /** VIPs a DNS name resolves to: clients find them through it. */
    named: Set<Vip>;
}

type Kind = (context: ArchitectureContext) => void;

const ARCHITECTURE_KINDS: Kind[] = [
    regions,
    pacemakers,
    vips,
    loadBalancers,
    services,
    vpns,
    firewalls,
    galeras,
    rabbitmqs,
    memcacheds,
    hsms,
    dnsNames,
    entries,
    backendEdges,
    looseHosts,
    groupTiers
];

export function architectureView(b: DiagramBuilder): void {
    const model = b.model;
    const frontVips = new Set<Vip>(model.services.flatMap(service => service.frontends));
    for (const haproxy of model.haproxies)
        for (const frontend of haproxy.frontends)
            if (frontend.backend.servers.some(server => serviceOf(server, model))) frontVips.add(frontend.vip);
    const frontLbs = new Set<HAProxy>(
        model.haproxies.filter(
            haproxy =>
                haproxy.frontends.some(frontend => frontVips.has(frontend.vip)) ||
                haproxy.backends.some(backend => backend.servers.some(server => serviceOf(server, model)))
        )
    );
    const named = new Set<Vip>(model.dnsNames.flatMap(dns => dns.targets));
    const context: ArchitectureContext = { b, model, frontVips, frontLbs, groupOf: new Map(), named };
    for (const kind of ARCHITECTURE_KINDS) kind(context);
}

/** The region an element is drawn in: the one all its hosts are in; none (shared) when they span regions. */
export function placeOf(hosts: readonly Host[]): string | undefined {
    const regions = new Set(hosts.map(host => host.region));
    return regions.size === 1 ? [...regions][0].id : undefined;
}

/** The hosts a VIP stands for: its VRRP members, or the nodes of the Pacemaker cluster that holds it. */
function vipHosts(vip: Vip): Host[] {
    return vip.pacemaker ? vip.pacemaker.nodes : vip.members.map(member => member.host);
}

/** Where an element is drawn: in its Pacemaker group, else the region of its hosts (none: shared). */
function parentOf({ groupOf }: ArchitectureContext, element: ModelElement, hosts: readonly Host[]): string | undefined {
    return groupOf.get(element.id) ?? placeOf(hosts);
}

/** " · CLONE", " · ACTIVE/PASSIVE", " · STANDBY": how a resource runs, for its tag. */
function runsAs(element: ModelElement, model: TopologyModel, standby: boolean, mode?: Service['mode']): string {
    const cluster = model.pacemakers.find(
        pacemaker =>
            pacemaker.clones.some(resource => resource === element) ||
            pacemaker.activePassive.some(resource => resource === element)
    );
    const passive = mode === 'active-passive' || cluster?.activePassive.some(resource => resource === element);
    return `${cluster && !passive ? ' · CLONE' : ''}${passive ? ' · ACTIVE/PASSIVE' : ''}${standby ? ' · STANDBY' : ''}`;
}

function regionOf(endpoint: Endpoint): string {
    return (endpoint.kind === 'region' ? endpoint : endpoint.region).id;
}

function regions({ b, model }: ArchitectureContext): void {
    for (const region of model.regions) {
        b.region(region);
    }
}

/**
 * A Pacemaker cluster: a group in its region holding the VIPs it moves and the resources it runs
 * (cloned on every node, or active/passive), with its fencing. A cluster over several regions is one
 * node beside them, listing what it runs.
 */
function pacemakers(context: ArchitectureContext): void {
    const { b, model, groupOf } = context;
    for (const cluster of model.pacemakers) {
        const region = placeOf(cluster.nodes);
        const members: Array<{ element: ModelElement; hosts: readonly Host[] }> = [
            ...cluster.vips.map(vip => ({ element: vip as ModelElement, hosts: vipHosts(vip) })),
            ...[...cluster.clones, ...cluster.activePassive].map(resource => ({
                element: resource as ModelElement,
                hosts: resource.nodes
            }))
        ];
        const grouped = region ? members.filter(member => placeOf(member.hosts) === region) : [];
        const majority = Math.floor(cluster.nodes.length / 2) + 1;
        b.element({
            id: cluster.id,
            kind: 'pacemaker',
            name: cluster.name,
            label: cluster.name,
            tag: `PACEMAKER · ${fencingOf(cluster)}`,
            details: [
                `${cluster.nodes.length} ${plural('node', cluster.nodes.length)}: ${compactList(
                    cluster.nodes.map(host => host.name),
                    3
                )} · runs with ${majority} of ${cluster.nodes.length}`,
                [
                    cluster.vips.length > 0
                        ? `${cluster.vips.length} ${plural('VIP', cluster.vips.length)} (IPaddr2)`
                        : '',
                    cluster.clones.length > 0
                        ? `clone: ${compactList(
                              cluster.clones.map(r => r.name),
                              3
                          )}`
                        : '',
                    cluster.activePassive.length > 0
                        ? `active/passive: ${compactList(
                              cluster.activePassive.map(r => r.name),
                              3
                          )}`
                        : ''
                ]
                    .filter(Boolean)
                    .join(' · ')
            ],
            parent: region,
            container: grouped.length > 0,
            tier: TIER.frontVip,
            source: cluster.nameSource,
            hosts: cluster.nodes
        });
        for (const member of grouped) groupOf.set(member.element.id, cluster.id);
    }
}

function fencingOf(cluster: Pacemaker): string {
    if (cluster.fencing === undefined) return 'NO FENCING';
    return cluster.fencing === 'off' ? 'FENCING OFF' : `fencing ${cluster.fencing}`;
}

/** A group sits in the column of its first member (the partition ELK gives it in its region). */
function groupTiers({ b, model, groupOf }: ArchitectureContext): void {
    for (const cluster of model.pacemakers) {
        const tiers = [...groupOf]
            .filter(([, group]) => group === cluster.id)
            .map(([member]) => b.get(member)?.tier ?? TIER.frontVip);
        const group = b.get(cluster.id);
        if (group && tiers.length > 0) group.tier = Math.min(...tiers);
    }
}

function vips(context: ArchitectureContext): void {
    const { b, model, frontVips, frontLbs } = context;
    for (const vip of model.vips) {
        const binders = model.haproxies.filter(haproxy => haproxy.frontends.some(frontend => frontend.vip === vip));
        // A database VIP on a load balancer that also fronts the services sits with the front VIPs,
        // so the drawing does not loop back.
        const tier =
            frontVips.has(vip) || binders.some(haproxy => frontLbs.has(haproxy)) || binders.length === 0
                ? TIER.frontVip
                : TIER.dbVip;
        const master = electedMaster(vip.members);
        // Inside its cluster's group the group says who holds it.
        const members = vip.pacemaker
            ? context.groupOf.has(vip.id)
                ? []
                : [
                      `held by ${vip.pacemaker.name} on ${compactList(
                          vip.pacemaker.nodes.map(host => host.name),
                          3
                      )}`
                  ]
            : vip.members.map(
                  member =>
                      `${member.state} ${member.host.name} (${member.priority})${member === master && member.state !== 'master' ? ' holds it' : ''}`
              );
        const hosts = vipHosts(vip);
        const ports = binders.flatMap(haproxy => haproxy.frontends.filter(f => f.vip === vip).map(f => f.port));
        const standby = isStandbyVip(vip, model);
        b.element({
            id: vip.id,
            kind: 'vip',
            name: vip.name,
            label: vip.name,
            tag: `${vip.pacemaker ? 'VIP · PACEMAKER' : `VIP · VRID ${vip.vrid}`}${standby ? ' · STANDBY' : ''}`,
            details: [
                ports.length > 0 ? `${vip.address} · ${describePorts(ports, model, 2)}` : vip.address,
                ...(members.length > 4 ? [...members.slice(0, 3), `+${members.length - 3} more`] : members)
            ],
            parent: parentOf(context, vip, hosts),
            tier,
            source: vip.nameSource,
            hosts,
            standby
        });
        for (const haproxy of binders) {
            const bound = haproxy.frontends.filter(frontend => frontend.vip === vip).map(frontend => frontend.port);
            b.edge({
                kind: 'request',
                source: vip.id,
                target: haproxy.id,
                label: '',
                details: [`haproxy ${haproxy.name} binds ${vip.address} on ${bound.join(', ')}`],
                standby: standby || haproxy.standby
            });
        }
    }
}

function loadBalancers(context: ArchitectureContext): void {
    const { b, model, frontLbs } = context;
    for (const haproxy of model.haproxies) {
        const db = haproxy.backends.some(backend => backend.servers.some(server => galeraOf(server.host, model)));
        b.element({
            id: haproxy.id,
            kind: 'haproxy',
            name: haproxy.name,
            label: haproxy.name,
            tag: `LOAD BALANCER${runsAs(haproxy, model, haproxy.standby)}`,
            details: [
                `haproxy on ${compactList(haproxy.nodes.map(host => host.name))}`,
                `${haproxy.frontends.length} ${plural('frontend', haproxy.frontends.length)} · ${haproxy.backends.length} ${plural('backend', haproxy.backends.length)}`
            ],
            parent: parentOf(context, haproxy, haproxy.nodes),
            tier: frontLbs.has(haproxy) || !db ? TIER.frontLb : TIER.dbLb,
            source: haproxy.nameSource,
            hosts: haproxy.nodes,
            standby: haproxy.standby
        });
    }
}

function services(context: ArchitectureContext): void {
    const { b, model } = context;
    for (const service of model.services) {
        const token = tokenInUse(service, model)?.format;
        const standby = isStandbyService(service, model);
        const passive = service.mode === 'active-passive';
        b.element({
            id: service.id,
            kind: 'service',
            name: service.name,
            label: service.name,
            tag: `SERVICE · ${service.serviceKind}${runsAs(service, model, standby, service.mode)}`,
            details: [
                `${service.port === undefined ? 'worker, no API port' : `port ${service.port}`}${token ? ` · ${token} tokens` : ''}`,
                `${service.port === undefined ? 'nodes' : 'API'} ×${service.nodes.length}: ${compactList(
                    service.nodes.map(host => host.name),
                    3
                )}`,
                passive ? 'one node works at a time' : '',
                service.path.length > 0 ? `path ${service.path.map(describeHop).join(' → ')}` : '',
                service.availability !== undefined ? `availability ${percent(service.availability)}` : ''
            ],
            parent: parentOf(context, service, service.nodes),
            tier: TIER.service,
            source: service.nameSource,
            hosts: service.nodes,
            standby
        });
        const database = service.database;
        if (database) {
            const vip = service.databaseVip;
            const label = describePortUse(PORTS.mysql, model);
            if (vip && b.get(vip.id)?.tier === TIER.dbVip) {
                const holders = vip.members.map(member => member.host);
                connect(context, service, service.nodes, vip.id, holders, label, PORTS.mysql);
            } else {
                const members = database.members.map(member => member.host);
                // Through a VIP that also fronts the services: the flows go to its holders.
                const targets = vip ? vip.members.map(member => member.host) : members;
                connect(
                    context,
                    service,
                    service.nodes,
                    database.id,
                    members,
                    vip ? `${label} via ${vip.name}` : label,
                    PORTS.mysql,
                    targets
                );
            }
        }
        for (const cache of service.caches)
            connect(
                context,
                service,
                service.nodes,
                cache.id,
                cache.servers,
                describePortUse(cache.port, model),
                cache.port
            );
        if (service.queue)
            connect(
                context,
                service,
                service.nodes,
                service.queue.id,
                service.queue.members,
                describePortUse(PORTS.amqp, model),
                PORTS.amqp
            );
        if (service.hsm)
            connect(
                context,
                service,
                service.nodes,
                service.hsm.id,
                service.hsm.members,
                describePortUse(service.hsm.port, model),
                service.hsm.port
            );
    }
}

/**
 * A dependency edge from a service to what it needs, through the gates on the way: VPN links that
 * carry it and firewalls in front of the target. Each segment carries the service's flows to the
 * target's hosts (flowTargets: where the packets really go, e.g. the holders of a VIP).
 */
function connect(
    { b, model }: ArchitectureContext,
    from: Service,
    fromHosts: readonly Host[],
    targetId: string,
    targetHosts: readonly Host[],
    label: string,
    port: number,
    flowTargets: readonly Host[] = targetHosts
): void {
    const gates = [
        ...model.links.filter(link => link.vpn && joinsAny(link, fromHosts, targetHosts)).map(link => link.id),
        ...model.firewalls
            .filter(
                firewall =>
                    targetHosts.some(host => contains(firewall.protects, host)) &&
                    !fromHosts.every(host => contains(firewall.protects, host))
            )
            .map(firewall => firewall.id)
    ];
    const chain = [from.id, ...gates, targetId];
    const flows = flowTargets.map(host => flowKey(from, host, port));
    const standby = isStandbyService(from, model);
    for (let i = 0; i + 1 < chain.length; i++)
        b.edge({
            kind: 'dependency',
            source: chain[i],
            target: chain[i + 1],
            label,
            details: [`${from.name} → ${b.get(targetId)?.label ?? targetId}: ${label}`],
            flows,
            // A gate the live set crosses too is not standby: only a segment that only standby uses.
            // A segment the live set crosses too (a shared gate) is not standby: edge() keeps that.
            standby
        });
}

function joinsAny(link: Link, from: readonly Host[], to: readonly Host[]): boolean {
    const forward = from.some(host => contains(link.from, host)) && to.some(host => contains(link.to, host));
    const backward = from.some(host => contains(link.to, host)) && to.some(host => contains(link.from, host));
    return forward || (link.bidirectional && backward);
}

/** A VPN tunnel: a gate on the dependency edges that cross it, with its gateways, capacity and availability. */
function vpns({ b, model }: ArchitectureContext): void {
    for (const link of model.links.filter(l => l.vpn)) {
        const availability = linkAvailability(link);
        const gateways = link.vpnEndpoints.map(host => host.name);
        b.element({
            id: link.id,
            kind: 'link',
            name: link.name || `${link.from.name}-${link.to.name}`,
            label: link.name || `${link.from.name} → ${link.to.name}`,
            tag: link.redundant ? 'VPN TUNNELS' : 'VPN TUNNEL',
            details: [
                `${link.from.name} ${link.bidirectional ? '↔' : '→'} ${link.to.name}`,
                gateways.length > 0 ? `gateways ${gateways.join(' ⇄ ')}` : '',
                `carries ${describeAllowed(link.rules, model)}`,
                [
                    describeLinkTraits(link).replace(/ · VPN$/, ''),
                    link.capacityPerSecond !== undefined ? `${link.capacityPerSecond}/s` : '',
                    availability !== undefined ? percent(availability) : ''
                ]
                    .filter(Boolean)
                    .join(' · ')
            ],
            parent: regionOf(link.to),
            tier: TIER.vpn,
            source: link.nameSource,
            hosts: link.vpnEndpoints,
            series: !link.redundant
        });
    }
}

/** A firewall as a gate in front of what it protects, with its devices (in parallel) when modelled. */
function firewalls({ b, model }: ArchitectureContext): void {
    for (const firewall of model.firewalls) {
        const availability = firewallAvailability(firewall);
        const devices = firewall.devices.map(host => host.name);
        b.element({
            id: firewall.id,
            kind: 'firewall',
            name: firewall.name,
            label: firewall.name,
            tag:
                devices.length > 0
                    ? `FIREWALL · ${devices.length} DEVICE${devices.length === 1 ? '' : 'S'}`
                    : 'FIREWALL',
            details: [
                `protects ${firewall.protects.kind} ${firewall.protects.name}`,
                `lets in ${describeAllowed(firewall.rules, model)}`,
                [
                    devices.length > 0 ? `devices ${compactList(devices, 3)}` : '',
                    availability !== undefined ? percent(availability) : ''
                ]
                    .filter(Boolean)
                    .join(' · ')
            ],
            parent: regionOf(firewall.protects),
            tier: TIER.firewall,
            source: firewall.nameSource,
            ...(firewall.devices.length > 0 ? { hosts: firewall.devices } : {})
        });
    }
}

function galeras({ b, model }: ArchitectureContext): void {
    for (const cluster of model.galeras) {
        const segment = segmentOf(cluster);
        const voters = [...cluster.members, ...cluster.arbitrators];
        const total = voters.reduce((sum, member) => sum + member.weight, 0);
        const byRegion = new Map<string, string[]>();
        for (const member of cluster.members) {
            const { segment: number, written } = segment(member);
            const notes = [member.weight !== 1 ? `w${member.weight}` : '', written ? `seg ${number}` : ''].filter(
                Boolean
            );
            const region = member.host.region.name;
            byRegion.set(region, [
                ...(byRegion.get(region) ?? []),
                `${member.host.name}${notes.length ? ` (${notes.join(' ')})` : ''}`
            ]);
        }
        const regionsSpanned = byRegion.size;
        b.element({
            id: cluster.id,
            kind: 'galera',
            name: cluster.name,
            label: cluster.name,
            tag: 'GALERA CLUSTER',
            details: [
                `${cluster.members.length} ${plural('member', cluster.members.length)} · weight ${total} · SST ${cluster.sst}`,
                ...[...byRegion].map(([region, members]) =>
                    regionsSpanned > 1 ? `${region}: ${compactList(members, 3)}` : compactList(members, 3)
                ),
                ...cluster.arbitrators.map(
                    arbitrator =>
                        `garbd ${arbitrator.host.name} (arbitrator${arbitrator.weight !== 1 ? `, w${arbitrator.weight}` : ''})`
                ),
                `Galera ${PORTS.galeraReplication}/${PORTS.galeraIst}/${cluster.sst === 'mysqldump' ? PORTS.mysql : PORTS.galeraSst}`
            ],
            parent: placeOf(voters.map(member => member.host)),
            tier: TIER.data,
            source: cluster.nameSource,
            hosts: voters.map(member => member.host)
        });
    }
}

function rabbitmqs({ b, model }: ArchitectureContext): void {
    for (const cluster of model.rabbitmqs) {
        b.element({
            id: cluster.id,
            kind: 'rabbitmq',
            name: cluster.name,
            label: cluster.name,
            tag: 'RABBITMQ CLUSTER',
            details: [
                `${cluster.members.length} ${plural('node', cluster.members.length)}: ${compactList(
                    cluster.members.map(host => host.name),
                    3
                )}`,
                [
                    `${cluster.queueType} queues`,
                    cluster.partitionHandling ? `partitions: ${cluster.partitionHandling}` : ''
                ]
                    .filter(Boolean)
                    .join(' · '),
                `AMQP ${PORTS.amqp}`
            ],
            parent: placeOf(cluster.members),
            tier: TIER.data,
            source: cluster.nameSource,
            hosts: cluster.members
        });
    }
}

function memcacheds({ b, model }: ArchitectureContext): void {
    for (const pool of model.memcacheds) {
        const traits = [
            pool.memoryBytes !== undefined ? `${Math.round(pool.memoryBytes / 1048576)} MiB` : '',
            pool.ttlSeconds !== undefined ? `ttl ${Math.round(pool.ttlSeconds / 60)}m` : '',
            pool.sasl ? 'SASL' : '',
            pool.tls ? 'TLS' : ''
        ].filter(Boolean);
        b.element({
            id: pool.id,
            kind: 'memcached',
            name: pool.name,
            label: pool.name,
            tag: 'MEMCACHED',
            details: [
                `${pool.servers.length} ${plural('server', pool.servers.length)}: ${compactList(
                    pool.servers.map(host => host.name),
                    3
                )}`,
                [`port ${pool.port}`, ...traits].join(' · ')
            ],
            parent: placeOf(pool.servers),
            tier: TIER.data,
            source: pool.nameSource,
            hosts: pool.servers
        });
    }
}

function hsms({ b, model }: ArchitectureContext): void {
    for (const group of model.hsms) {
        const capacity =
            group.capacityPerSecond ??
            (group.devices.every(device => device.capacityPerSecond !== undefined)
                ? group.devices.reduce((sum, device) => sum + device.capacityPerSecond!, 0)
                : undefined);
        b.element({
            id: group.id,
            kind: 'hsm',
            name: group.name,
            label: group.name,
            tag: `HSM · ${group.plugin}`,
            details: [
                `${group.members.length} ${plural('device', group.members.length)}: ${compactList(
                    group.members.map(host => host.name),
                    3
                )}`,
                `${describePortUse(group.port, model)}${group.haOnly ? ' · HA only' : ''}${capacity !== undefined ? ` · ${capacity}/s` : ''}`
            ],
            parent: placeOf(group.members),
            tier: TIER.data,
            source: group.nameSource,
            hosts: group.members
        });
    }
}

/**
 * A DNS name: the entry for the VIPs it resolves to, in their region, or before the regions when it
 * resolves to several regions' VIPs (round robin). Clients resolve it, then call a VIP.
 */
function dnsNames({ b, model }: ArchitectureContext): void {
    for (const dns of model.dnsNames) {
        const hosts = dns.targets.flatMap(vipHosts);
        const trust: Trust = hosts.find(host => host.zone)?.zone?.trust ?? 'internal';
        b.element({
            id: dns.id,
            kind: 'dns',
            name: dns.name,
            label: dns.name,
            tag: dns.roundRobin ? 'DNS · ROUND ROBIN' : 'DNS',
            details: [
                dns.fqdn ?? '',
                dns.roundRobin
                    ? `over ${dns.targets.length} ${plural('VIP', dns.targets.length)}: ${compactList(
                          dns.targets.map(vip => vip.name),
                          3
                      )}`
                    : `→ ${dns.targets.map(vip => `${vip.name} ${vip.address}`).join(', ')}`,
                trust === 'public' ? 'for public clients' : `for clients on ${trust} networks`
            ],
            parent: placeOf(hosts),
            tier: TIER.entry,
            source: dns.nameSource
        });
        for (const vip of dns.targets)
            b.edge({
                kind: 'resolves',
                source: dns.id,
                target: vip.id,
                label: '',
                details: [`${dns.fqdn ?? dns.name} resolves to ${vip.name} (${vip.address})`]
            });
    }
}

/** The clients' side of every way in that no DNS name covers: a front VIP, or a service that no VIP fronts. */
function entries({ b, model, frontVips, named }: ArchitectureContext): void {
    const entry = (hosts: readonly Host[]) => {
        const trust: Trust = hosts.find(host => host.zone)?.zone?.trust ?? 'internal';
        const region = placeOf(hosts);
        const where = region ? region.slice('region:'.length) : 'shared';
        const element = b.element({
            id: `entry:${where}/${trust}`,
            kind: 'entry',
            name: `${where}/${trust}`,
            label: trust === 'public' ? 'Internet' : trust === 'management' ? 'control plane' : 'clients',
            tag: 'ENTRY',
            details: [trust === 'public' ? 'public clients' : `from ${trust} networks`],
            parent: region,
            tier: TIER.entry
        });
        return element.id;
    };
    for (const vip of model.vips.filter(v => frontVips.has(v) && !named.has(v))) {
        const ports = model.haproxies
            .flatMap(haproxy => haproxy.frontends)
            .filter(frontend => frontend.vip === vip)
            .map(frontend => frontend.port);
        const served = model.services.filter(service => service.frontends.includes(vip));
        const uses =
            ports.length > 0 ? ports : served.flatMap(service => (service.port === undefined ? [] : [service.port]));
        // The ports are on the VIP's box: one label per edge would crowd the clients' side.
        b.edge({
            kind: 'entry',
            source: entry(vipHosts(vip)),
            target: vip.id,
            label: '',
            details: uses.map(port => `${describePortUse(port, model)} on ${vip.address}`),
            standby: isStandbyVip(vip, model)
        });
    }
    // Services with an API port and no VIP: clients call the nodes. Workers (no port) take no calls.
    for (const service of model.services.filter(s => s.frontends.length === 0 && s.nodes.length > 0)) {
        if (service.port === undefined) continue;
        b.edge({
            kind: 'entry',
            source: entry(service.nodes),
            target: service.id,
            label: '',
            details: [
                `clients call ${service.name} on its nodes directly (no VIP), ${describePortUse(service.port, model)}`
            ],
            standby: isStandbyService(service, model)
        });
    }
}

/** Load balancer → what its backends' servers are: services (backup servers as backup), a database. */
function backendEdges(context: ArchitectureContext): void {
    const { b, model } = context;
    for (const haproxy of model.haproxies) {
        for (const backend of haproxy.backends) {
            const groups = new Map<string, { target: string; servers: BackendServer[]; backup: boolean }>();
            for (const server of backend.servers) {
                const cluster = serviceOf(server, model) ? undefined : galeraOf(server.host, model);
                const target = serviceOf(server, model)?.id ?? cluster?.id ?? server.host.id;
                if (target === server.host.id) looseHost(context, server.host);
                // A database's backup servers are the same cluster: one edge that counts them.
                const backup = server.backup && !cluster;
                const key = `${target}|${backup}`;
                const group = groups.get(key) ?? { target, servers: [], backup };
                group.servers.push(server);
                groups.set(key, group);
            }
            for (const { target, servers, backup } of groups.values()) {
                b.edge({
                    kind: backup ? 'backup' : 'request',
                    source: haproxy.id,
                    target,
                    label: backendLabel(backend, servers, backup, model),
                    details: [
                        `backend ${backend.name}: ${servers.map(server => `${server.host.name}:${server.port}${server.backup ? ' backup' : ''}`).join(', ')}`
                    ],
                    flows: servers.map(server => flowKey(backend, server.host, server.port)),
                    standby: haproxy.standby
                });
            }
        }
    }
}

/** "HTTP 5000", "backup HTTP 5000", "MySQL 3306 · 3 writers", "MySQL 3306 · 1 writer + 2 backup". */
function backendLabel(
    backend: Backend,
    servers: readonly BackendServer[],
    backup: boolean,
    model: TopologyModel
): string {
    const port = servers[0].port;
    const what = port === PORTS.mysql ? 'MySQL' : backend.mode === 'http' ? 'HTTP' : 'TCP';
    if (backup) return `backup ${what} ${port}`;
    if (galeraOf(servers[0].host, model) && !serviceOf(servers[0], model)) {
        const writers = servers.filter(server => !server.backup).length;
        const backups = servers.length - writers;
        return `${what} ${port} · ${writers} ${plural('writer', writers)}${backups ? ` + ${backups} backup` : ''}`;
    }
    return `${what} ${port}`;
}

/** Who runs on each host, indexed once per model: backend servers are matched in linear time. */
const indexes = new WeakMap<TopologyModel, { services: Map<Host, Service[]>; galeras: Map<Host, Galera> }>();
function indexOf(model: TopologyModel) {
    let index = indexes.get(model);
    if (!index) {
        index = { services: new Map(), galeras: new Map() };
        for (const service of model.services)
            for (const host of service.nodes) index.services.set(host, [...(index.services.get(host) ?? []), service]);
        for (const cluster of model.galeras)
            for (const member of cluster.members)
                if (!index.galeras.has(member.host)) index.galeras.set(member.host, cluster);
        indexes.set(model, index);
    }
    return index;
}

/** The service a backend server is an API node of: same host and port, else the host's only service. */
function serviceOf(server: BackendServer, model: TopologyModel): Service | undefined {
    const on = indexOf(model).services.get(server.host) ?? [];
    return on.find(service => service.port === server.port) ?? (on.length === 1 ? on[0] : undefined);
}

function galeraOf(host: Host, model: TopologyModel): Galera | undefined {
    return indexOf(model).galeras.get(host);
}

/** Hosts with findings and hosts nothing else draws: a card each, so nothing is left off the picture. */
function looseHosts(context: ArchitectureContext): void {
    const roles = rolesByHost(context.model);
    for (const host of context.model.hosts)
        if (context.b.hasFindings(host.id) || !roles.has(host)) looseHost(context, host);
}

function looseHost({ b }: ArchitectureContext, host: Host): void {
    b.element({
        id: host.id,
        kind: 'host',
        name: host.name,
        label: host.name,
        tag: 'HOST',
        details: [host.address, host.zone ? `zone ${host.zone.name}` : ''],
        parent: host.region.id,
        tier: TIER.host,
        source: host.nameSource,
        hosts: [host]
    });
}
