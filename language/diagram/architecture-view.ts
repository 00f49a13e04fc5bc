// The architecture view: per region, the request path as the operators' stories draw it, left to
// right: entry (the clients' side) → VIP → load-balancer pair → services → database VIP → database
// load balancers → gates (VPN, firewall) → the data tier (Galera, RabbitMQ, memcached, HSM). An
// element whose hosts span regions (one Galera for three regions) is drawn beside the regions, shared.
// Edges are the dependencies the model has, labelled by purpose and port.
//
// One function per kind of element (ARCHITECTURE_KINDS): a new kind (DNS names, standby sets,
// Pacemaker clusters) is one more function that adds its elements at a tier and its edges.

import { tokenInUse } from '../analysis/headers.js';
import { contains } from '../analysis/reachability.js';
import { rolesByHost } from '../analysis/roles.js';
import { electedMaster } from '../analysis/vrrp.js';
import { segmentOf } from '../analysis/segments.js';
import { PORTS } from '../model/defaults.js';
import type {
    Backend,
    BackendServer,
    Endpoint,
    Galera,
    HAProxy,
    Host,
    Link,
    Service,
    TopologyModel,
    Trust,
    Vip
} from '../model/model.js';
import { compactList, describeAllowed, describeLinkTraits, describePorts, describePortUse } from './describe.js';
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
}

type Kind = (context: ArchitectureContext) => void;

const ARCHITECTURE_KINDS: Kind[] = [
    regions,
    vips,
    loadBalancers,
    services,
    vpns,
    firewalls,
    galeras,
    rabbitmqs,
    memcacheds,
    hsms,
    entries,
    backendEdges,
    looseHosts
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
    const context: ArchitectureContext = { b, model, frontVips, frontLbs };
    for (const kind of ARCHITECTURE_KINDS) kind(context);
}

/** The region an element is drawn in: the one all its hosts are in; none (shared) when they span regions. */
export function placeOf(hosts: readonly Host[]): string | undefined {
    const regions = new Set(hosts.map(host => host.region));
    return regions.size === 1 ? [...regions][0].id : undefined;
}

function regionOf(endpoint: Endpoint): string {
    return (endpoint.kind === 'region' ? endpoint : endpoint.region).id;
}

function regions({ b, model }: ArchitectureContext): void {
    for (const region of model.regions) {
        b.element({
            id: region.id,
            kind: 'region',
            name: region.name,
            label: region.name,
            tag: 'REGION',
            details: [region.description ?? '', region.subnet?.text ?? ''],
            container: true,
            source: region.nameSource,
            hosts: region.hosts
        });
    }
}

function vips({ b, model, frontVips, frontLbs }: ArchitectureContext): void {
    for (const vip of model.vips) {
        const binders = model.haproxies.filter(haproxy => haproxy.frontends.some(frontend => frontend.vip === vip));
        // A database VIP on a load balancer that also fronts the services sits with the front VIPs,
        // so the drawing does not loop back.
        const tier =
            frontVips.has(vip) || binders.some(haproxy => frontLbs.has(haproxy)) || binders.length === 0
                ? TIER.frontVip
                : TIER.dbVip;
        const master = electedMaster(vip.members);
        const members = vip.members.map(
            member =>
                `${member.state} ${member.host.name} (${member.priority})${member === master && member.state !== 'master' ? ' holds it' : ''}`
        );
        const hosts = vip.members.map(member => member.host);
        const ports = binders.flatMap(haproxy => haproxy.frontends.filter(f => f.vip === vip).map(f => f.port));
        b.element({
            id: vip.id,
            kind: 'vip',
            name: vip.name,
            label: vip.name,
            tag: `VIP · VRID ${vip.vrid}`,
            details: [
                ports.length > 0 ? `${vip.address} · ${describePorts(ports, model, 2)}` : vip.address,
                ...(members.length > 4 ? [...members.slice(0, 3), `+${members.length - 3} more`] : members)
            ],
            parent: placeOf(hosts),
            tier,
            source: vip.nameSource,
            hosts
        });
        for (const haproxy of binders) {
            const bound = haproxy.frontends.filter(frontend => frontend.vip === vip).map(frontend => frontend.port);
            b.edge({
                kind: 'request',
                source: vip.id,
                target: haproxy.id,
                label: '',
                details: [`haproxy ${haproxy.name} binds ${vip.address} on ${bound.join(', ')}`]
            });
        }
    }
}

function loadBalancers({ b, model, frontLbs }: ArchitectureContext): void {
    for (const haproxy of model.haproxies) {
        const db = haproxy.backends.some(backend => backend.servers.some(server => galeraOf(server.host, model)));
        b.element({
            id: haproxy.id,
            kind: 'haproxy',
            name: haproxy.name,
            label: haproxy.name,
            tag: 'LOAD BALANCER',
            details: [
                `haproxy on ${compactList(haproxy.nodes.map(host => host.name))}`,
                `${haproxy.frontends.length} ${plural('frontend', haproxy.frontends.length)} · ${haproxy.backends.length} ${plural('backend', haproxy.backends.length)}`
            ],
            parent: placeOf(haproxy.nodes),
            tier: frontLbs.has(haproxy) || !db ? TIER.frontLb : TIER.dbLb,
            source: haproxy.nameSource,
            hosts: haproxy.nodes
        });
    }
}

function services(context: ArchitectureContext): void {
    const { b, model } = context;
    for (const service of model.services) {
        const token = tokenInUse(service, model)?.format;
        b.element({
            id: service.id,
            kind: 'service',
            name: service.name,
            label: service.name,
            tag: `SERVICE · ${service.serviceKind}`,
            details: [
                `port ${service.port}${token ? ` · ${token} tokens` : ''}`,
                `API ×${service.nodes.length}: ${compactList(
                    service.nodes.map(host => host.name),
                    3
                )}`,
                service.path.length > 0 ? `path ${service.path.map(hop => hop.kind).join(' → ')}` : '',
                service.availability !== undefined ? `availability ${percent(service.availability)}` : ''
            ],
            parent: placeOf(service.nodes),
            tier: TIER.service,
            source: service.nameSource,
            hosts: service.nodes
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
    for (let i = 0; i + 1 < chain.length; i++)
        b.edge({
            kind: 'dependency',
            source: chain[i],
            target: chain[i + 1],
            label,
            details: [`${from.name} → ${b.get(targetId)?.label ?? targetId}: ${label}`],
            flows
        });
}

function joinsAny(link: Link, from: readonly Host[], to: readonly Host[]): boolean {
    const forward = from.some(host => contains(link.from, host)) && to.some(host => contains(link.to, host));
    const backward = from.some(host => contains(link.to, host)) && to.some(host => contains(link.from, host));
    return forward || (link.bidirectional && backward);
}

function vpns({ b, model }: ArchitectureContext): void {
    for (const link of model.links.filter(l => l.vpn)) {
        b.element({
            id: link.id,
            kind: 'link',
            name: link.name || `${link.from.name}-${link.to.name}`,
            label: link.name || `${link.from.name} → ${link.to.name}`,
            tag: 'VPN',
            details: [
                `${link.from.name} ${link.bidirectional ? '↔' : '→'} ${link.to.name}`,
                describeAllowed(link.rules, model),
                describeLinkTraits(link).replace(/ · VPN$/, '')
            ],
            parent: regionOf(link.to),
            tier: TIER.vpn,
            source: link.nameSource
        });
    }
}

function firewalls({ b, model }: ArchitectureContext): void {
    for (const firewall of model.firewalls) {
        b.element({
            id: firewall.id,
            kind: 'firewall',
            name: firewall.name,
            label: firewall.name,
            tag: 'FIREWALL',
            details: [
                `protects ${firewall.protects.kind} ${firewall.protects.name}`,
                `lets in ${describeAllowed(firewall.rules, model)}`
            ],
            parent: regionOf(firewall.protects),
            tier: TIER.firewall,
            source: firewall.nameSource
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
                cluster.partitionHandling ? `partitions: ${cluster.partitionHandling}` : '',
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

/** The clients' side of every way in: a front VIP, or a service that no VIP fronts. */
function entries({ b, model, frontVips }: ArchitectureContext): void {
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
    for (const vip of model.vips.filter(v => frontVips.has(v))) {
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
            source: entry(vip.members.map(member => member.host)),
            target: vip.id,
            label: '',
            details: uses.map(port => `${describePortUse(port, model)} on ${vip.address}`)
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
            ]
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
                    flows: servers.map(server => flowKey(backend, server.host, server.port))
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
