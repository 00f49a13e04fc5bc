// The lab's plan, a pure function of the model and the failures: which network namespaces to make
// (one per host, one bridge per segment in a namespace per region, a router between all segments),
// which programs to start in each, the failures to inject and the predictions to observe. The
// predictions come from the engine (lab/predictions.ts); nothing here talks to the system.

import { parseIpv4, type Subnet } from '../language/model/addresses.js';
import { hopLimit } from '../language/analysis/headers.js';
import type { Hop, Host, Region, Service, TopologyModel, Vip, Zone } from '../language/model/model.js';
import { formatFailure, type Failure } from '../protocol/failure.js';
import { linkNamed, predict, type HopEntry, type Prediction } from './predictions.js';

/** The documented limits: a file past them is refused with the reason, never attempted. */
export const LIMITS = {
    /** Long-running processes (mariadbd, garbd, RabbitMQ, haproxy, keepalived, memcached, nginx, uwsgi, stand-ins). */
    daemons: 40,
    /** Network namespaces: hosts, probes, one per region and the router. */
    namespaces: 80,
    /** Galera data nodes, which join one after another (~6–9 s each with rsync). */
    galeraNodes: 12
};

export class LabRefusal extends Error {}

/** One L2 segment: a zone, or a region's hosts without a zone. Routed to the others by the router. */
export interface Segment {
    index: number;
    region: Region;
    zone?: Zone;
    subnet: Subnet;
    /** The router's address on this segment, the default route of its hosts. */
    gateway: string;
}

export type Step =
    | { program: 'mariadbd'; cluster: string; bootstrap: boolean; order: number }
    | { program: 'garbd'; cluster: string }
    | { program: 'haproxy' }
    | { program: 'keepalived' }
    | { program: 'memcached' }
    | { program: 'rabbitmq'; cluster: string }
    /** Header settings only where the model writes them: otherwise the program's own default is proven. */
    | { program: 'nginx'; listen: Endpoint; next?: NextHop; largeClientHeaderBuffers?: number[] }
    | { program: 'uwsgi'; listen: Endpoint; direct: Endpoint; bufferSize?: number; database?: Endpoint }
    | { program: 'standin'; listeners: StandinListener[] };

export interface Endpoint {
    address: string;
    port: number;
}

/** The hop after this one: how to reach it and in which protocol. */
export interface NextHop extends Endpoint {
    protocol: 'http' | 'uwsgi';
}

/** A small Node HTTP server standing in for an API node or a hop the lab has no real program for. */
export interface StandinListener extends Endpoint {
    /** What it stands in for (`keystone API`, `eventlet hop 3 of keystone`). */
    role: string;
    /** The modelled header limit of the hop it stands in for; none for an API node. */
    limit?: { scope: 'line' | 'headers'; bytes: number; native: boolean };
    next?: NextHop;
    /** The last hop asks its database (through its VIP when modelled) before it answers 200. */
    database?: Endpoint;
}

export interface LabNode {
    /** The host's name, or `probe@<zone>` for a namespace that only observes. */
    name: string;
    host?: Host;
    address: string;
    segment: Segment;
    /** The interface name inside the namespace: the one the host's VIPs are written on. */
    interface: string;
    steps: Step[];
}

export interface LabPlan {
    topology: string;
    segments: Segment[];
    nodes: LabNode[];
    failures: Failure[];
    predictions: Prediction[];
    daemons: number;
    /** The programs to look for before anything starts. */
    programs: string[];
}

export function planLab(model: TopologyModel, failures: readonly Failure[]): LabPlan {
    for (const failure of failures) checkFailure(model, failure);
    const used = usedAddresses(model);
    const segments = segmentsOf(model, used);
    const segmentOf = (host: Host) =>
        segments.find(segment =>
            host.zone ? segment.zone === host.zone : segment.region === host.region && !segment.zone
        )!;
    const nodes: LabNode[] = model.hosts.map(host => ({
        name: host.name,
        host,
        address: host.address,
        segment: segmentOf(host),
        interface: interfaceOf(model, host),
        steps: stepsOf(model, host)
    }));
    // An observer in each public zone (memcached exposure) and in each VIP's segment (its clients).
    const probeSegments = new Set<Segment>();
    for (const zone of model.zones.filter(zone => zone.trust === 'public')) {
        const segment = segments.find(s => s.zone === zone);
        if (segment) probeSegments.add(segment);
    }
    for (const vip of model.vips) if (vip.members[0]) probeSegments.add(segmentOf(vip.members[0].host));
    for (const segment of [...probeSegments].sort((a, b) => a.index - b.index)) {
        const address = freeAddress(segment.subnet, used);
        if (!address) throw new LabRefusal(`no free address in ${segment.subnet.text} for the lab's observer`);
        nodes.push({ name: probeName(segment), address, segment, interface: 'eth0', steps: [] });
    }
    const daemons = nodes.reduce((sum, node) => sum + node.steps.length, 0);
    const galeraNodes = model.galeras.reduce((sum, cluster) => sum + cluster.members.length, 0);
    const namespaces = nodes.length + new Set(segments.map(segment => segment.region)).size + 1;
    const over = [
        daemons > LIMITS.daemons ? `${daemons} daemons (the lab starts at most ${LIMITS.daemons})` : '',
        galeraNodes > LIMITS.galeraNodes
            ? `${galeraNodes} Galera data nodes (at most ${LIMITS.galeraNodes}, they join one by one)`
            : '',
        namespaces > LIMITS.namespaces ? `${namespaces} network namespaces (at most ${LIMITS.namespaces})` : ''
    ].filter(Boolean);
    if (over.length > 0)
        throw new LabRefusal(
            `${model.hosts.length} hosts need ${over.join(', ')}: too large for a lab on one machine; try a smaller file that keeps the part in question`
        );
    const vipProbe = (vip: Vip) => probeName(segmentOf(vip.members[0].host));
    const predictions = predict(model, failures, {
        probeOf: zone => {
            const segment = segments.find(s => s.zone === zone);
            return segment && probeName(segment);
        },
        vipProbe,
        hopEntries: (service, host) => hopEntries(model, service, host, vipProbe)
    });
    const programs: string[] = [...new Set(nodes.flatMap(node => node.steps.map(step => step.program)))];
    if (model.galeras.some(cluster => cluster.sst === 'mariabackup')) programs.push('mariabackup');
    return {
        topology: model.name ?? 'topology',
        segments,
        nodes,
        failures: [...failures],
        predictions,
        daemons,
        programs
    };
}

export function probeName(segment: Segment): string {
    return `probe@${segment.zone?.name ?? segment.region.name}`;
}

function checkFailure(model: TopologyModel, failure: Failure): void {
    const found =
        failure.kind === 'region'
            ? model.regions.some(region => region.name === failure.name)
            : failure.kind === 'host'
              ? model.hosts.some(host => host.name === failure.name)
              : model.links.some(link => linkNamed(link, failure.name));
    if (!found)
        throw new LabRefusal(`--fail ${formatFailure(failure)}: no ${failure.kind} '${failure.name}' in the file`);
}

function segmentsOf(model: TopologyModel, used: Set<number>): Segment[] {
    const segments: Segment[] = [];
    const add = (region: Region, zone: Zone | undefined, subnet: Subnet | undefined) => {
        const where = zone ? `zone ${zone.name}` : `region ${region.name}`;
        if (!subnet) throw new LabRefusal(`${where} has no subnet: the lab needs one to address its hosts`);
        const gateway = freeAddress(subnet, used);
        if (!gateway) throw new LabRefusal(`${where} (${subnet.text}) has no free address for the lab's router`);
        segments.push({ index: segments.length, region, zone, subnet, gateway });
    };
    for (const region of model.regions) {
        const zoneless = region.hosts.filter(host => !host.zone);
        for (const zone of region.zones) add(region, zone, zone.subnet);
        if (zoneless.length > 0) {
            if (region.zones.length > 0)
                throw new LabRefusal(
                    `region ${region.name} has hosts outside its zones (${zoneless[0].name}): the lab puts each zone on its own segment, so give every host a zone`
                );
            add(region, undefined, region.subnet);
        }
    }
    for (const host of model.hosts) {
        const segment = segments.find(s => (host.zone ? s.zone === host.zone : s.region === host.region && !s.zone));
        if (host.addressValue === undefined || !segment)
            throw new LabRefusal(`host ${host.name} has no valid IPv4 address`);
        const size = 2 ** (32 - segment.subnet.prefix);
        if (host.addressValue < segment.subnet.base || host.addressValue >= segment.subnet.base + size)
            throw new LabRefusal(`host ${host.name} (${host.address}) lies outside ${segment.subnet.text}`);
    }
    return segments;
}

function usedAddresses(model: TopologyModel): Set<number> {
    return new Set(
        [...model.hosts.map(host => host.address), ...model.vips.map(vip => vip.address)]
            .map(parseIpv4)
            .filter((value): value is number => value !== undefined)
    );
}

/** The highest free address of a subnet (below its broadcast address); marks it used. */
function freeAddress(subnet: Subnet, used: Set<number>): string | undefined {
    const last = subnet.base + 2 ** (32 - subnet.prefix) - 2;
    for (let value = last; value > subnet.base; value--) {
        if (used.has(value)) continue;
        used.add(value);
        return [24, 16, 8, 0].map(shift => (value >>> shift) & 255).join('.');
    }
    return undefined;
}

function interfaceOf(model: TopologyModel, host: Host): string {
    const written = model.vips.find(vip => vip.members.some(member => member.host === host))?.interface;
    return written && /^[\w.-]{1,15}$/.test(written) ? written : 'eth0';
}

/** What runs on a host, from the roles the model gives it. */
function stepsOf(model: TopologyModel, host: Host): Step[] {
    const steps: Step[] = [];
    for (const cluster of model.galeras) {
        const order = cluster.members.findIndex(member => member.host === host);
        if (order >= 0) steps.push({ program: 'mariadbd', cluster: cluster.name, bootstrap: order === 0, order });
        if (cluster.arbitrators.some(member => member.host === host))
            steps.push({ program: 'garbd', cluster: cluster.name });
    }
    if (model.haproxies.some(haproxy => haproxy.nodes.includes(host))) steps.push({ program: 'haproxy' });
    if (model.vips.some(vip => vip.members.some(member => member.host === host))) steps.push({ program: 'keepalived' });
    if (model.memcacheds.some(pool => pool.servers.includes(host))) steps.push({ program: 'memcached' });
    for (const cluster of model.rabbitmqs)
        if (cluster.members.includes(host)) {
            if (!/^[A-Za-z0-9_-]+$/.test(host.name))
                throw new LabRefusal(
                    `rabbitmq ${cluster.name}: host ${host.name} is no Erlang short node name (letters, digits, - and _)`
                );
            steps.push({ program: 'rabbitmq', cluster: cluster.name });
        }
    const standins: StandinListener[] = [];
    model.services.forEach((service, serviceIndex) => {
        // A worker without an API port (cinder-volume) takes no requests: nothing stands in for it.
        if (!service.nodes.includes(host) || service.port === undefined) return;
        const hops = apiHops(service);
        const databaseAddress = service.databaseVip?.address ?? service.database?.members[0]?.host.address;
        const database = databaseAddress ? { address: databaseAddress, port: 3306 } : undefined;
        if (hops.length === 0) {
            standins.push({
                ...hopListen(service, serviceIndex, host, 0),
                role: `${service.name} API (stand-in)`,
                database
            });
            return;
        }
        const uwsgiAt = hops.findIndex(({ hop }) => hop.kind === 'uwsgi');
        if (uwsgiAt >= 0 && uwsgiAt < hops.length - 1)
            throw new LabRefusal(
                `service ${service.name}: the lab runs uwsgi as the application server, the last hop of a path, not before ${hops[uwsgiAt + 1].hop.kind}`
            );
        hops.forEach(({ hop, index }, position) => {
            const listen = hopListen(service, serviceIndex, host, position);
            const following = hops[position + 1];
            // nginx speaks the uwsgi protocol to uwsgi; anything else reaches uwsgi over HTTP.
            const followingListen = following && hopListen(service, serviceIndex, host, position + 1);
            const next: NextHop | undefined =
                following && followingListen
                    ? following.hop.kind === 'uwsgi'
                        ? hop.kind === 'nginx'
                            ? { ...followingListen, protocol: 'uwsgi' }
                            : { ...uwsgiDirect(followingListen), protocol: 'http' }
                        : { ...followingListen, protocol: 'http' }
                    : undefined;
            if (hop.kind === 'nginx') {
                steps.push({
                    program: 'nginx',
                    listen,
                    next,
                    largeClientHeaderBuffers: hop.settings.get('large_client_header_buffers')
                });
            } else if (hop.kind === 'uwsgi') {
                steps.push({
                    program: 'uwsgi',
                    listen,
                    direct: uwsgiDirect(listen),
                    bufferSize: hop.settings.get('buffer-size')?.at(-1),
                    database
                });
            } else {
                standins.push({
                    ...listen,
                    role: `${hop.kind} hop ${index + 1} of ${service.name} (stand-in)`,
                    limit: standinLimit(hop),
                    next,
                    database: next ? undefined : database
                });
            }
        });
    });
    if (standins.length > 0) steps.push({ program: 'standin', listeners: standins });
    return steps;
}

/** The hops that run on an API node: all but a leading haproxy, which runs on the load balancers. */
function apiHops(service: Service): Array<{ hop: Hop; index: number }> {
    const hops = service.path.map((hop, index) => ({ hop, index }));
    return hops[0]?.hop.kind === 'haproxy' ? hops.slice(1) : hops;
}

/** The API port of a service the lab sends requests to (services without one are left out before). */
function servicePort(service: Service): number {
    if (service.port === undefined) throw new LabRefusal(`service ${service.name} has no port to send requests to`);
    return service.port;
}

/** The first hop on an API node listens on the service port; the ones behind it on loopback. */
function hopListen(service: Service, serviceIndex: number, host: Host, position: number): Endpoint {
    return position === 0
        ? { address: host.address, port: servicePort(service) }
        : { address: '127.0.0.1', port: 9100 + serviceIndex * 10 + position };
}

/** uwsgi also answers HTTP on a port of its own, so a request can enter the path at it. */
function uwsgiDirect(listen: Endpoint): Endpoint {
    return { address: '127.0.0.1', port: 9600 + (listen.port % 500) };
}

/** Where a request enters each hop of a service's path, on one API node (haproxy: through the VIP). */
function hopEntries(model: TopologyModel, service: Service, host: Host, vipProbe: (vip: Vip) => string): HopEntry[] {
    const serviceIndex = model.services.indexOf(service);
    const entries: HopEntry[] = [];
    if (service.path[0]?.kind === 'haproxy') {
        const vip = service.frontends.find(v => v.members.length > 0)!;
        entries.push({ hop: 'haproxy', namespace: vipProbe(vip), address: vip.address, port: servicePort(service) });
    }
    apiHops(service).forEach(({ hop }, position) => {
        const listen = hopListen(service, serviceIndex, host, position);
        const at = hop.kind === 'uwsgi' ? uwsgiDirect(listen) : listen;
        entries.push({ hop: hop.kind, namespace: host.name, address: at.address, port: at.port });
    });
    return entries;
}

/** A stand-in has no default of its own: it enforces the limit the engine reads for the hop. */
function standinLimit(hop: Hop): StandinListener['limit'] {
    const limit = hopLimit(hop, undefined);
    return limit && { scope: limit.scope, bytes: limit.bytes, native: hop.kind === 'node' };
}
