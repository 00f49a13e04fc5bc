// What-if: what a failure breaks. Lose regions, hosts or links (crash, not graceful: the Galera
// reference weight stays) and see which clusters lose Primary, which flows are cut and which services
// go down. The CLI prints it (`--fail`); the diagram overlays it.

import type { Host, Link, Service, TopologyModel } from '../model/model.js';
import { deriveFlows } from './flows.js';
import { formatWeight, isPrimary, totalWeight, voters } from './quorum.js';
import { describePort, Reachability } from './reachability.js';

export interface ClusterOutcome {
    kind: 'galera' | 'rabbitmq';
    name: string;
    survivingWeight: number;
    totalWeight: number;
    primary: boolean;
    detail: string;
}
export interface ServiceOutcome {
    name: string;
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
    clusters: ClusterOutcome[];
    services: ServiceOutcome[];
    flowsCut: CutFlow[];
}

export class UnknownFailureError extends Error {}

/** Parses `region:NAME`, `host:NAME`, `link:NAME` (a link's name, or `FROM<->TO`). */
export function whatIf(model: TopologyModel, failures: readonly string[]): WhatIfResult {
    const lost = new Set<Host>();
    const lostLinks = new Set<Link>();
    for (const failure of failures) {
        const [kind, name] = splitFailure(failure);
        if (kind === 'region') {
            const region = model.regions.find(r => r.name === name);
            if (!region) throw new UnknownFailureError(`no region '${name}'`);
            region.hosts.forEach(host => lost.add(host));
        } else if (kind === 'host') {
            const host = model.hosts.find(h => h.name === name);
            if (!host) throw new UnknownFailureError(`no host '${name}'`);
            lost.add(host);
        } else {
            const link = model.links.find(
                l =>
                    l.name === name ||
                    `${l.from.name}<->${l.to.name}` === name ||
                    `${l.from.name}->${l.to.name}` === name
            );
            if (!link) throw new UnknownFailureError(`no link '${name}'`);
            lostLinks.add(link);
        }
    }
    const alive = (host: Host) => !lost.has(host);
    const network = new Reachability({ ...model, links: model.links.filter(link => !lostLinks.has(link)) });
    const clusters = clusterOutcomes(model, alive, network);
    const primary = new Map(clusters.map(outcome => [`${outcome.kind}:${outcome.name}`, outcome.primary]));
    return {
        failures: [...failures],
        lostHosts: [...lost].map(host => host.name).sort(),
        clusters,
        services: model.services.map(service => serviceOutcome(service, alive, primary)),
        flowsCut: cutFlows(model, lost, lostLinks)
    };
}

function splitFailure(failure: string): ['region' | 'host' | 'link', string] {
    const match = /^(region|host|link):(.+)$/.exec(failure);
    if (!match) throw new UnknownFailureError(`'${failure}' is not region:NAME, host:NAME or link:NAME`);
    return [match[1] as 'region' | 'host' | 'link', match[2]];
}

/**
 * Survivors that can no longer reach each other form separate partitions; only one whose weight is
 * more than half can be Primary. Without a modelled network every survivor reaches every other.
 */
function partitions<T extends { host: Host }>(survivors: readonly T[], network: Reachability, port: number): T[][] {
    const groups: T[][] = [];
    for (const survivor of survivors) {
        const connected = (other: T) =>
            !network.modelled ||
            (network.decide(survivor.host, other.host, 'tcp', port).allowed &&
                network.decide(other.host, survivor.host, 'tcp', port).allowed);
        const joined = groups.filter(group => group.some(connected));
        const merged = [survivor, ...joined.flat()];
        for (const group of joined) groups.splice(groups.indexOf(group), 1);
        groups.push(merged);
    }
    return groups;
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
            4567
        );
        const weights = groups.map(totalWeight).sort((a, b) => b - a);
        const surviving = weights[0] ?? 0;
        const primary = isPrimary(total, surviving);
        const split = groups.length > 1 ? `split into partitions of weight ${weights.join(' + ')}; the largest, ` : '';
        outcomes.push({
            kind: 'galera',
            name: cluster.name,
            survivingWeight: surviving,
            totalWeight: total,
            primary,
            detail: `${split}weight ${surviving} of ${total}, is ${primary ? 'more' : 'not more'} than ${formatWeight(total / 2)}: ${primary ? 'Primary' : 'non-primary'}`
        });
    }
    for (const cluster of model.rabbitmqs) {
        const groups = partitions(
            cluster.members.filter(alive).map(host => ({ host })),
            network,
            25672
        );
        const surviving = Math.max(0, ...groups.map(group => group.length));
        const primary = surviving > cluster.members.length / 2;
        outcomes.push({
            kind: 'rabbitmq',
            name: cluster.name,
            survivingWeight: surviving,
            totalWeight: cluster.members.length,
            primary,
            detail:
                `${groups.length > 1 ? `split into ${groups.map(group => group.length).join(' + ')} nodes; ` : ''}` +
                `${surviving} of ${cluster.members.length} nodes together: ${primary ? 'majority' : 'minority (paused under pause_minority)'}`
        });
    }
    return outcomes;
}

function serviceOutcome(
    service: Service,
    alive: (host: Host) => boolean,
    primary: Map<string, boolean>
): ServiceOutcome {
    const reasons: string[] = [];
    if (service.nodes.length > 0 && !service.nodes.some(alive)) reasons.push('every API node is lost');
    if (
        service.frontends.length > 0 &&
        !service.frontends.some(vip => vip.members.some(member => alive(member.host)))
    ) {
        reasons.push(`no load balancer holds ${service.frontends.map(vip => vip.name).join(' or ')}`);
    }
    if (service.database && primary.get(`galera:${service.database.name}`) === false)
        reasons.push(`galera ${service.database.name} is non-primary`);
    if (service.queue && primary.get(`rabbitmq:${service.queue.name}`) === false)
        reasons.push(`rabbitmq ${service.queue.name} has lost its majority`);
    if (service.hsm && !service.hsm.members.some(alive)) reasons.push(`every HSM of ${service.hsm.name} is lost`);
    return { name: service.name, up: reasons.length === 0, reasons };
}

/** Flows between surviving hosts that worked before and are blocked now (a lost link). */
function cutFlows(model: TopologyModel, lost: Set<Host>, lostLinks: Set<Link>): CutFlow[] {
    if (lostLinks.size === 0) return [];
    const before = new Reachability(model);
    const after = new Reachability({ ...model, links: model.links.filter(link => !lostLinks.has(link)) });
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
