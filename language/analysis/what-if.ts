// What-if: what a failure breaks. Lose regions, hosts or links (crash, not graceful: the Galera
// reference weight stays) and see which clusters lose Primary, which flows are cut and which services
// go down. The CLI prints it (`--fail`); the diagram overlays it.

import { FAILURE_FORMAT, parseFailure } from '../../protocol/failure.js';
import type { Host, Link, Pacemaker, RabbitMQ, Service, TopologyModel, Vip } from '../model/model.js';
import { PORTS } from '../model/defaults.js';
import { deriveFlows } from './flows.js';
import { vipServers } from './load-balancers.js';
import { formatWeight, isPrimary, totalWeight, voters } from './quorum.js';
import { describePort, Reachability } from './reachability.js';

export interface Partition {
    /** Host names of the voters that still reach each other. */
    members: string[];
    weight: number;
    primary: boolean;
}

export interface ClusterOutcome {
    kind: 'galera' | 'rabbitmq' | 'pacemaker';
    name: string;
    /** The cluster's element id (`galera:db`). */
    id: string;
    survivingWeight: number;
    totalWeight: number;
    primary: boolean;
    /** The surviving voters as the network splits them, largest first. */
    partitions: Partition[];
    detail: string;
}
export interface ServiceOutcome {
    name: string;
    id: string;
    up: boolean;
    reasons: string[];
}
export interface CutFlow {
    purpose: string;
    from: string;
    to: string;
    port: string;
    reason: string;
}

export interface WhatIfResult {
    failures: string[];
    lostHosts: string[];
    /** Ids of what is lost: hosts (`host:a1`) and failed links (`link:ab`). */
    lost: string[];
    clusters: ClusterOutcome[];
    services: ServiceOutcome[];
    flowsCut: CutFlow[];
}

export class UnknownFailureError extends Error {}

/** Applies `region:NAME`, `host:NAME`, `link:NAME` (a link's name, or `FROM<->TO`, `FROM->TO`, `FROM-TO`). */
export function whatIf(model: TopologyModel, failures: readonly string[]): WhatIfResult {
    const lost = new Set<Host>();
    const lostLinks = new Set<Link>();
    for (const text of failures) {
        const failure = parseFailure(text);
        if (!failure) throw new UnknownFailureError(`'${text}' is not ${FAILURE_FORMAT}`);
        const { kind, name } = failure;
        if (kind === 'region') {
            const region = model.regions.find(r => r.name === name);
            if (!region) throw new UnknownFailureError(`no region '${name}'`);
            region.hosts.forEach(host => lost.add(host));
        } else if (kind === 'host') {
            const host = model.hosts.find(h => h.name === name);
            if (!host) throw new UnknownFailureError(`no host '${name}'`);
            lost.add(host);
        } else {
            const link = findLink(model, name);
            if (!link) throw new UnknownFailureError(`no link '${name}'`);
            lostLinks.add(link);
        }
    }
    const alive = (host: Host) => !lost.has(host);
    // Failed links carry nothing; the rest of the network is as modelled.
    const network = new Reachability(model, { failedLinks: lostLinks });
    const clusters = clusterOutcomes(model, alive, network);
    return {
        failures: [...failures],
        lostHosts: [...lost].map(host => host.name).sort(),
        lost: [...[...lost].map(host => host.id).sort(), ...[...lostLinks].map(link => link.id)],
        clusters,
        services: model.services.map(service => serviceOutcome(service, model, alive, network, clusters)),
        flowsCut: cutFlows(model, lost, network)
    };
}

function findLink(model: TopologyModel, name: string): Link | undefined {
    return model.links.find(
        link =>
            link.name === name ||
            link.id === `link:${name}` ||
            `${link.from.name}<->${link.to.name}` === name ||
            `${link.from.name}->${link.to.name}` === name
    );
}

/**
 * Survivors that can no longer reach each other form separate partitions (connected components:
 * Galera's group communication relays through a member both sides still reach); only one whose
 * weight is more than half can be Primary. Without a modelled network every survivor reaches every other.
 */
function partitions<T extends { host: Host }>(
    survivors: readonly T[],
    network: Reachability,
    port: number,
    protocol: 'tcp' | 'udp' = 'tcp'
): T[][] {
    const groups: T[][] = [];
    for (const survivor of survivors) {
        const connected = (other: T) =>
            !network.modelled ||
            (network.decide(survivor.host, other.host, protocol, port).allowed &&
                network.decide(other.host, survivor.host, protocol, port).allowed);
        const joined = groups.filter(group => group.some(connected));
        const merged = [...joined.flat(), survivor];
        for (const group of joined) groups.splice(groups.indexOf(group), 1);
        groups.push(merged);
    }
    // Members in model order, so the output reads like the file.
    const order = new Map(survivors.map((survivor, index) => [survivor, index]));
    return groups.map(group => group.sort((a, b) => order.get(a)! - order.get(b)!));
}

function clusterOutcomes(
    model: TopologyModel,
    alive: (host: Host) => boolean,
    network: Reachability
): ClusterOutcome[] {
    const outcomes: ClusterOutcome[] = [];
    for (const cluster of model.galeras) {
        const all = voters(cluster);
        const total = totalWeight(all);
        const groups = partitions(
            all.filter(voter => alive(voter.host)),
            network,
            PORTS.galeraReplication
        )
            .map(group => ({
                members: group.map(voter => voter.host.name),
                weight: totalWeight(group),
                primary: isPrimary(total, totalWeight(group))
            }))
            .sort((a, b) => b.weight - a.weight);
        const surviving = groups[0]?.weight ?? 0;
        const primary = isPrimary(total, surviving);
        const split =
            groups.length > 1
                ? `split into partitions of weight ${groups.map(group => `${group.weight} (${group.members.join(', ')})`).join(' + ')}; the largest, `
                : '';
        outcomes.push({
            kind: 'galera',
            name: cluster.name,
            id: cluster.id,
            survivingWeight: surviving,
            totalWeight: total,
            primary,
            partitions: groups,
            detail: `${split}weight ${surviving} of ${total}, is ${primary ? 'more' : 'not more'} than ${formatWeight(total / 2)}: ${primary ? 'Primary' : 'non-primary'}`
        });
    }
    for (const cluster of model.rabbitmqs) {
        outcomes.push(
            majorityOutcome(cluster, cluster.members, alive, network, PORTS.rabbitmqDistribution, 'tcp', primary =>
                primary ? 'majority' : 'minority (paused under pause_minority)'
            )
        );
    }
    // Corosync quorum: a partition without a majority stops its resources (no-quorum-policy=stop [PCMK-OPT]).
    for (const cluster of model.pacemakers) {
        outcomes.push(
            majorityOutcome(cluster, cluster.nodes, alive, network, PORTS.corosync, 'udp', primary =>
                primary ? 'quorate' : 'no quorum, its VIPs and resources stop'
            )
        );
    }
    return outcomes;
}

/** A cluster of equal votes (RabbitMQ, corosync): the partition with more than half of the nodes works. */
function majorityOutcome(
    cluster: RabbitMQ | Pacemaker,
    nodes: readonly Host[],
    alive: (host: Host) => boolean,
    network: Reachability,
    port: number,
    protocol: 'tcp' | 'udp',
    state: (primary: boolean) => string
): ClusterOutcome {
    const size = nodes.length;
    const groups = partitions(
        nodes.filter(alive).map(host => ({ host })),
        network,
        port,
        protocol
    )
        .map(group => ({
            members: group.map(member => member.host.name),
            weight: group.length,
            primary: group.length > size / 2
        }))
        .sort((a, b) => b.weight - a.weight);
    const surviving = groups[0]?.weight ?? 0;
    const primary = surviving > size / 2;
    return {
        kind: cluster.kind,
        name: cluster.name,
        id: cluster.id,
        survivingWeight: surviving,
        totalWeight: size,
        primary,
        partitions: groups,
        detail:
            `${groups.length > 1 ? `split into ${groups.map(group => group.weight).join(' + ')} nodes; ` : ''}` +
            `${surviving} of ${size} nodes together: ${state(primary)}`
    };
}

/**
 * A service is up when a surviving load balancer answers on one of its VIPs, an API node survives,
 * and those API nodes still reach what they depend on: a Primary member of their database (through
 * its VIP when they use one), a majority of their broker, an HSM.
 */
function serviceOutcome(
    service: Service,
    model: TopologyModel,
    alive: (host: Host) => boolean,
    network: Reachability,
    clusters: readonly ClusterOutcome[]
): ServiceOutcome {
    const reasons: string[] = [];
    const nodes = service.nodes.filter(alive);
    if (service.nodes.length > 0 && nodes.length === 0) reasons.push('every API node is lost');
    // A Pacemaker-held VIP serves only while its cluster is quorate.
    const quorate = (vip: Vip) => !vip.pacemaker || clusters.find(cluster => cluster.id === vip.pacemaker!.id)?.primary;
    if (service.frontends.length > 0) {
        const serving = service.frontends.filter(quorate).flatMap(vip => vipServers(vip, model).serving.filter(alive));
        const stopped = service.frontends.filter(vip => !quorate(vip));
        if (serving.length === 0 && stopped.length === service.frontends.length) {
            const clusterNames = [...new Set(stopped.map(vip => vip.pacemaker!.name))];
            reasons.push(
                `pacemaker ${clusterNames.join(', ')} has no quorum: ${stopped.map(vip => vip.name).join(', ')} stopped`
            );
        } else if (serving.length === 0) {
            reasons.push(`no surviving load balancer serves ${service.frontends.map(vip => vip.name).join(' or ')}`);
        }
    }
    const reach = (from: readonly Host[], to: readonly Host[], port: number) =>
        from.some(a => to.some(b => network.decide(a, b, 'tcp', port).allowed));
    if (service.database) {
        const outcome = clusters.find(cluster => cluster.id === service.database!.id)!;
        const primaryNames = new Set(outcome.partitions.find(partition => partition.primary)?.members ?? []);
        const primaryHosts = service.database.members
            .map(member => member.host)
            .filter(host => primaryNames.has(host.name));
        if (!outcome.primary) reasons.push(`galera ${service.database.name} is non-primary`);
        else if (nodes.length > 0) {
            const via =
                service.databaseVip && quorate(service.databaseVip)
                    ? vipServers(service.databaseVip, model).serving.filter(alive)
                    : [];
            const reaches = service.databaseVip
                ? reach(nodes, via, PORTS.mysql) && via.some(proxy => reach([proxy], primaryHosts, PORTS.mysql))
                : reach(nodes, primaryHosts, PORTS.mysql);
            if (!reaches) {
                reasons.push(
                    `no surviving API node reaches the Primary component of galera ${service.database.name}${service.databaseVip ? ` through vip ${service.databaseVip.name}` : ''}`
                );
            }
        }
    }
    if (service.queue) {
        const outcome = clusters.find(cluster => cluster.id === service.queue!.id)!;
        if (!outcome.primary) reasons.push(`rabbitmq ${service.queue.name} has lost its majority`);
    }
    if (service.hsm) {
        const devices = service.hsm.members.filter(alive);
        if (devices.length === 0) reasons.push(`every HSM of ${service.hsm.name} is lost`);
        else if (nodes.length > 0 && !reach(nodes, devices, service.hsm.port))
            reasons.push(`no surviving API node reaches an HSM of ${service.hsm.name}`);
    }
    return { name: service.name, id: service.id, up: reasons.length === 0, reasons };
}

/** Flows between surviving hosts that worked before and are blocked now (a lost link). */
function cutFlows(model: TopologyModel, lost: Set<Host>, after: Reachability): CutFlow[] {
    const before = new Reachability(model);
    const cut: CutFlow[] = [];
    for (const flow of deriveFlows(model)) {
        if (lost.has(flow.from) || lost.has(flow.to)) continue;
        if (!before.decide(flow.from, flow.to, flow.protocol, flow.port).allowed) continue;
        const verdict = after.decide(flow.from, flow.to, flow.protocol, flow.port);
        if (!verdict.allowed)
            cut.push({
                purpose: flow.purpose,
                from: flow.from.name,
                to: flow.to.name,
                port: describePort(flow.protocol, flow.port),
                reason: verdict.reason
            });
    }
    return cut;
}

export function formatWhatIf(result: WhatIfResult, topology: string): string {
    const lines = [`what if ${result.failures.join(' and ')} (${topology}): ${result.lostHosts.length} hosts lost`];
    for (const cluster of result.clusters)
        lines.push(`  ${cluster.primary ? 'ok  ' : 'DOWN'} ${cluster.kind} ${cluster.name}: ${cluster.detail}`);
    for (const service of result.services)
        lines.push(
            `  ${service.up ? 'ok  ' : 'DOWN'} service ${service.name}${service.up ? '' : `: ${service.reasons.join('; ')}`}`
        );
    if (result.flowsCut.length > 0) {
        lines.push(`  ${result.flowsCut.length} flows cut:`);
        for (const flow of result.flowsCut.slice(0, 20))
            lines.push(`    ${flow.purpose} ${flow.port} ${flow.from} → ${flow.to}: ${flow.reason}`);
        if (result.flowsCut.length > 20) lines.push(`    … and ${result.flowsCut.length - 20} more`);
    }
    return lines.join('\n') + '\n';
}
