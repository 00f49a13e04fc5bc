// What the engine predicts, as claims the lab can observe. Every verdict is taken from the engine
// (`analyse` findings, `whatIf`, its Reachability, flows and token sizes), never recomputed here:
// the lab's job is to hold the real programs against them.

import { analyse } from '../language/analysis/analyse.js';
import { isFindingOf, type Finding } from '../language/analysis/finding.js';
import { deriveFlows, galeraPorts, VRRP_PROTOCOL } from '../language/analysis/flows.js';
import { OTHER_HEADERS_BYTES } from '../language/analysis/headers.js';
import { describePort, Reachability } from '../language/analysis/reachability.js';
import { tokenSize } from '../language/analysis/tokens.js';
import { whatIf, type WhatIfResult } from '../language/analysis/what-if.js';
import { mastersAtStart } from '../language/analysis/vrrp.js';
import type { Host, Link, Service, TopologyModel, Vip, Zone } from '../language/model/model.js';
import { formatFailure, type Failure } from '../protocol/failure.js';

export interface Pair {
    from: string;
    to: string;
    address: string;
    port: number;
}

/** Where a request enters a hop: the namespace to send it from and the address the hop listens on. */
export interface HopEntry {
    hop: string;
    namespace: string;
    address: string;
    port: number;
}

export type Observation =
    | { kind: 'galera'; members: string[]; primary: boolean; weight: number }
    | { kind: 'join'; member: string; joins: boolean }
    | { kind: 'rabbitmq'; members: string[]; running: boolean }
    | { kind: 'vip'; address: string; members: string[]; holders: string[]; oneOf: boolean; withinSeconds?: number }
    | { kind: 'connect'; pairs: Pair[]; connects: boolean }
    | { kind: 'service'; namespace: string; address: string; port: number; mode: 'http' | 'tcp'; up: boolean }
    | { kind: 'headers'; entries: HopEntry[]; tokenBytes: number; otherBytes: number; rejectedAt?: number };

export interface Prediction {
    /** The element's id (`galera:db`, `vip:api`, `service:keystone`) or the flow. */
    subject: string;
    claim: string;
    predicted: string;
    observe: Observation;
}

export interface PlanContext {
    /** The observer namespace in a public zone. */
    probeOf(zone: Zone): string | undefined;
    /** The observer namespace beside a VIP (its clients). */
    vipProbe(vip: Vip): string;
    /** Where each hop of a service's path listens on one API node. */
    hopEntries(service: Service, node: Host): HopEntry[];
}

export function predict(model: TopologyModel, failures: readonly Failure[], context: PlanContext): Prediction[] {
    const findings = analyse(model);
    const cutLinks = new Set<Link>(
        failures.flatMap(failure =>
            failure.kind === 'link' ? model.links.filter(link => linkNamed(link, failure.name)) : []
        )
    );
    const what = whatIf(
        model,
        failures.map(failure => whatIfName(model, failure))
    );
    const lost = new Set(what.lostHosts);
    const alive = (host: Host) => !lost.has(host.name);
    const after = new Reachability(model, { failedLinks: cutLinks });
    const when = failures.length > 0 ? `after ${failures.map(formatFailure).join(' + ')}` : 'as booted';
    return [
        ...galera(model, failures, what, alive, when),
        ...joins(model, findings),
        ...rabbitmq(model, failures, what, alive, when),
        ...vips(model, failures, after, alive, when),
        ...services(model, what, alive, context, when),
        ...flows(model, findings, what, after, alive, when),
        ...headers(model, findings, what, alive, context),
        ...(cutLinks.size === 0 ? exposure(model, findings, alive, context, failures) : [])
    ];
}

/** A link by its name or its ends (`r1<->r2`, `r1->r2`, the id's `r1-r2`). */
export function linkNamed(link: Link, name: string): boolean {
    const ends = `${link.from.name}${link.bidirectional ? '<->' : '->'}${link.to.name}`;
    return link.name === name || ends === name || (!link.name && `${link.from.name}-${link.to.name}` === name);
}

/** The failure as the what-if names it. */
function whatIfName(model: TopologyModel, failure: Failure): string {
    if (failure.kind !== 'link') return formatFailure(failure);
    const link = model.links.find(l => linkNamed(l, failure.name));
    return `link:${link?.name || (link ? `${link.from.name}${link.bidirectional ? '<->' : '->'}${link.to.name}` : failure.name)}`;
}

function galera(
    model: TopologyModel,
    failures: readonly Failure[],
    what: WhatIfResult,
    alive: (host: Host) => boolean,
    when: string
): Prediction[] {
    const predictions: Prediction[] = [];
    for (const cluster of model.galeras) {
        const outcome = what.clusters.find(c => c.kind === 'galera' && c.name === cluster.name)!;
        const members = cluster.members.filter(member => alive(member.host)).map(member => member.host.name);
        if (members.length > 0)
            predictions.push(
                galeraClaim(cluster.id, `Primary Component of the surviving members ${when}`, outcome, members)
            );
        const hosts = cluster.members.map(member => member.host);
        for (const { region, inside, outcome: view } of cutOffRegions(model, failures, 'galera', cluster.name, hosts))
            predictions.push(
                galeraClaim(
                    cluster.id,
                    `Primary Component inside region ${region}, cut off at the router`,
                    view,
                    inside
                )
            );
    }
    return predictions;
}

/**
 * Each failed region holding members of a cluster, with the engine's verdict from inside it: a region
 * cut off at the router keeps running on its own, which is, seen from there, the loss of every other
 * region.
 */
function cutOffRegions(
    model: TopologyModel,
    failures: readonly Failure[],
    kind: 'galera' | 'rabbitmq',
    name: string,
    members: readonly Host[]
): Array<{ region: string; inside: string[]; outcome: WhatIfResult['clusters'][number] }> {
    return failures
        .filter(failure => failure.kind === 'region')
        .flatMap(failure => {
            const inside = members.filter(host => host.region.name === failure.name).map(host => host.name);
            if (inside.length === 0) return [];
            const others = model.regions.filter(region => region.name !== failure.name).map(r => `region:${r.name}`);
            const outcome = whatIf(model, others).clusters.find(c => c.kind === kind && c.name === name)!;
            return [{ region: failure.name, inside, outcome }];
        });
}

/**
 * RabbitMQ under pause_minority: the members on the majority side keep running, a minority pauses
 * (the what-if's verdict). Under other partition handling a minority keeps running: not a claim.
 */
function rabbitmq(
    model: TopologyModel,
    failures: readonly Failure[],
    what: WhatIfResult,
    alive: (host: Host) => boolean,
    when: string
): Prediction[] {
    const predictions: Prediction[] = [];
    for (const cluster of model.rabbitmqs) {
        if ((cluster.partitionHandling ?? 'pause_minority') !== 'pause_minority') continue;
        const claim = (text: string, outcome: WhatIfResult['clusters'][number], members: string[]): Prediction => ({
            subject: cluster.id,
            claim: text,
            predicted: outcome.primary ? `running (${outcome.detail})` : `paused (${outcome.detail})`,
            observe: { kind: 'rabbitmq', members, running: outcome.primary }
        });
        const outcome = what.clusters.find(c => c.kind === 'rabbitmq' && c.name === cluster.name)!;
        const members = cluster.members.filter(alive).map(host => host.name);
        if (members.length > 0)
            predictions.push(claim(`brokers of the surviving members run ${when}`, outcome, members));
        for (const { region, inside, outcome: view } of cutOffRegions(
            model,
            failures,
            'rabbitmq',
            cluster.name,
            cluster.members
        ))
            predictions.push(claim(`brokers inside region ${region}, cut off at the router, run`, view, inside));
    }
    return predictions;
}

/**
 * A member joins by a state transfer from a donor: Galera replication both ways, then the SST and IST
 * ports into the joiner (the flows the engine derives, judged by its Reachability as booted). It can
 * join when some other member offers all of them; otherwise the engine's port-unreachable names why.
 */
function joins(model: TopologyModel, findings: Finding[]): Prediction[] {
    const network = new Reachability(model);
    const open = (from: Host, to: Host, port: number) => !network.modelled || network.decide(from, to, 'tcp', port);
    const predictions: Prediction[] = [];
    for (const cluster of model.galeras) {
        const ports = galeraPorts(cluster.sst);
        for (const joiner of cluster.members.slice(1)) {
            const donors = cluster.members.filter(member => member !== joiner).map(member => member.host);
            const verdicts = donors.map(donor => ({
                donor,
                blocked: [
                    ...ports.map(({ port, purpose }) => ({ purpose, port, verdict: open(donor, joiner.host, port) })),
                    { purpose: 'Galera replication', port: 4567, verdict: open(joiner.host, donor, 4567) }
                ].filter(({ verdict }) => verdict !== true && !verdict.allowed)
            }));
            const able = verdicts.find(v => v.blocked.length === 0);
            const first = verdicts[0]?.blocked[0];
            const finding =
                first &&
                findings.find(
                    f => isFindingOf(f, 'port-unreachable') && f.element === cluster && f.data.port === first.port
                );
            const reason = first && first.verdict !== true ? first.verdict.reason : '';
            predictions.push({
                subject: cluster.id,
                claim: `${joiner.host.name} joins by state transfer (${cluster.sst} SST, IST)`,
                predicted: able
                    ? `joins (from ${able.donor.name})`
                    : `fails: ${first?.purpose} needs ${describePort('tcp', first?.port ?? 0)} from every donor (${finding ? 'port-unreachable: ' : ''}${reason})`,
                observe: { kind: 'join', member: joiner.host.name, joins: able !== undefined }
            });
        }
    }
    return predictions;
}

function galeraClaim(
    subject: string,
    claim: string,
    outcome: WhatIfResult['clusters'][number],
    members: string[]
): Prediction {
    return {
        subject,
        claim,
        predicted: outcome.primary
            ? `Primary, weight ${outcome.survivingWeight} of ${outcome.totalWeight}`
            : `non-primary (${outcome.detail})`,
        observe: { kind: 'galera', members, primary: outcome.primary, weight: outcome.survivingWeight }
    };
}

/**
 * Who holds each VIP: a surviving member holds it unless it hears the adverts of a surviving member
 * of higher priority (VRRP, [KA-MAN]); whether adverts pass is the engine's Reachability for IP
 * protocol 112. A master lost to a failure is replaced within the Master_Down_Interval of the new
 * holder, 3 × advert_int + (256 − priority) / 256 × advert_int (RFC 5798 §6.1).
 */
function vips(
    model: TopologyModel,
    failures: readonly Failure[],
    network: Reachability,
    alive: (host: Host) => boolean,
    when: string
): Prediction[] {
    const predictions: Prediction[] = [];
    for (const vip of model.vips) {
        const survivors = vip.members.filter(member => alive(member.host));
        if (survivors.length === 0) continue;
        const hears = (listener: Host, speaker: Host) =>
            !network.modelled || network.decide(speaker, listener, 'ip', VRRP_PROTOCOL).allowed;
        const holders = survivors.filter(
            member => !survivors.some(other => other.priority > member.priority && hears(member.host, other.host))
        );
        // Equal priorities that hear each other: the engine (vrrp.ts) says who may hold it — the declared
        // master with preempt, else whichever of them claims it first.
        const top = Math.max(...holders.map(member => member.priority));
        const tied = holders.filter(
            member =>
                member.priority === top &&
                holders.some(other => other !== member && other.priority === top && hears(member.host, other.host))
        );
        const candidates = tied.length > 1 ? mastersAtStart(vip, tied) : [];
        const declared = [...vip.members].sort((a, b) => b.priority - a.priority)[0];
        const takeover = failures.length > 0 && !alive(declared.host) && holders.length === 1;
        const within = takeover
            ? 3 * vip.advertSeconds + ((256 - holders[0].priority) / 256) * vip.advertSeconds
            : undefined;
        const oneOf = candidates.length > 1;
        const names = (
            tied.length > 1 ? holders.filter(member => !tied.includes(member) || candidates.includes(member)) : holders
        ).map(member => member.host.name);
        predictions.push({
            subject: vip.id,
            claim: `which surviving member holds ${vip.address} ${when}`,
            predicted: oneOf
                ? `one of ${names.join(', ')} (a tie of priority ${top}: the first to claim it keeps it)`
                : `${names.join(' and ')}${tied.length > 1 ? ` (a tie of priority ${top}: the declared master starts MASTER)` : ''}${names.length > 1 ? ' (VRRP adverts do not reach every member)' : ''}${within !== undefined ? `, within ${within.toFixed(1)} s` : ''}`,
            observe: {
                kind: 'vip',
                address: vip.address,
                members: survivors.map(member => member.host.name),
                holders: names,
                oneOf,
                withinSeconds: within
            }
        });
    }
    return predictions;
}

/** A client beside the VIP reaches the service's front door, as the what-if says. */
function services(
    model: TopologyModel,
    what: WhatIfResult,
    alive: (host: Host) => boolean,
    context: PlanContext,
    when: string
): Prediction[] {
    const predictions: Prediction[] = [];
    for (const service of model.services) {
        const outcome = what.services.find(s => s.name === service.name)!;
        // RabbitMQ and HSMs are not booted: a verdict that rests on them is not observed.
        if (outcome.reasons.some(reason => /rabbitmq|HSM/.test(reason))) continue;
        for (const vip of service.frontends) {
            const frontend = model.haproxies
                .flatMap(haproxy => haproxy.frontends)
                .find(f => f.vip === vip && f.port === service.port);
            if (!frontend) continue;
            const probe = context.vipProbe(vip);
            // The observer shares the VIP's segment: with that region lost it is cut off too.
            if (what.failures.includes(`region:${vip.members[0].host.region.name}`)) continue;
            predictions.push({
                subject: service.id,
                claim: `a client beside ${vip.name} reaches ${service.name} at ${vip.address}:${frontend.port} ${when}`,
                predicted: outcome.up ? 'answers' : `down: ${outcome.reasons.join('; ')}`,
                observe: {
                    kind: 'service',
                    namespace: probe,
                    address: vip.address,
                    port: frontend.port,
                    mode: frontend.backend.mode,
                    up: outcome.up
                }
            });
        }
    }
    return predictions;
}

/** Every TCP flow the model needs between surviving hosts, grouped by purpose, port and verdict. */
function flows(
    model: TopologyModel,
    findings: Finding[],
    what: WhatIfResult,
    network: Reachability,
    alive: (host: Host) => boolean,
    when: string
): Prediction[] {
    const groups = new Map<string, Prediction & { observe: { kind: 'connect' } }>();
    const seen = new Set<string>();
    const unreachable = new Set(
        findings
            .filter((f): f is Finding<'port-unreachable'> => isFindingOf(f, 'port-unreachable'))
            .map(f => `${f.data.purpose}|${f.data.port}`)
    );
    for (const flow of deriveFlows(model)) {
        if (flow.protocol !== 'tcp' || !alive(flow.from) || !alive(flow.to)) continue;
        const key = `${flow.from.name}|${flow.to.name}|${flow.port}`;
        if (seen.has(key)) continue;
        seen.add(key);
        const verdict = !network.modelled
            ? { allowed: true, reason: '' }
            : network.decide(flow.from, flow.to, 'tcp', flow.port);
        const cut = what.flowsCut.some(
            c => c.from === flow.from.name && c.to === flow.to.name && c.purpose === flow.purpose
        );
        const source = cut
            ? 'cut by the failure'
            : unreachable.has(`${flow.purpose}|${flow.port}`)
              ? 'port-unreachable'
              : '';
        const group = `${flow.purpose}|${flow.port}|${verdict.allowed}|${verdict.reason}`;
        const entry = groups.get(group) ?? {
            subject: `flow ${flow.purpose} ${describePort('tcp', flow.port)}`,
            claim: `connects ${when}`,
            predicted: verdict.allowed ? 'connects' : `blocked (${source || 'engine'}: ${verdict.reason})`,
            observe: { kind: 'connect' as const, pairs: [], connects: verdict.allowed }
        };
        entry.observe.pairs.push({ from: flow.from.name, to: flow.to.name, address: flow.to.address, port: flow.port });
        groups.set(group, entry);
    }
    return [...groups.values()].map(entry => ({
        ...entry,
        claim: `${entry.claim} (${entry.observe.pairs.length} pair${entry.observe.pairs.length > 1 ? 's' : ''})`
    }));
}

/** A token of the computed size through each request path: refused at the first hop the engine says it overflows. */
function headers(
    model: TopologyModel,
    findings: Finding[],
    what: WhatIfResult,
    alive: (host: Host) => boolean,
    context: PlanContext
): Prediction[] {
    const keystoneToken = model.services.find(service => service.token)?.token;
    const predictions: Prediction[] = [];
    for (const service of model.services) {
        const token = service.token ?? keystoneToken;
        const node = service.nodes.find(alive);
        // Where the what-if says the service is down, its front door claim speaks for it.
        const up = what.services.find(s => s.name === service.name)?.up ?? true;
        if (!token || service.path.length === 0 || !node || !up) continue;
        if (service.path[0].kind === 'haproxy' && !service.frontends.some(vip => vip.members.some(m => alive(m.host))))
            continue;
        const budget = findings.filter(
            (f): f is Finding<'header-budget'> => isFindingOf(f, 'header-budget') && f.element === service
        );
        const tokenBytes = budget[0]?.data.tokenBytes ?? tokenSize(token.format, model, token.nocatalog).bytes;
        const over = budget
            .filter(f => f.data.headerBytes > f.data.limitBytes)
            .sort((a, b) => a.data.hopIndex - b.data.hopIndex)[0];
        const hops = service.path.map(hop => hop.kind).join(' → ');
        predictions.push({
            subject: service.id,
            claim: `a ${tokenBytes} B ${token.format} X-Auth-Token passes ${hops}`,
            predicted: over
                ? `refused at hop ${over.data.hopIndex + 1} ${over.data.hop} (needs ${over.data.headerBytes} B, allows ${over.data.limitBytes} B)`
                : 'passes every hop',
            observe: {
                kind: 'headers',
                entries: context.hopEntries(service, node),
                tokenBytes,
                otherBytes: OTHER_HEADERS_BYTES,
                rejectedAt: over?.data.hopIndex
            }
        });
    }
    return predictions;
}

/** memcached from each public zone: connects where `port-exposed` names the server and zone, refused elsewhere. */
function exposure(
    model: TopologyModel,
    findings: Finding[],
    alive: (host: Host) => boolean,
    context: PlanContext,
    failures: readonly Failure[]
): Prediction[] {
    const predictions: Prediction[] = [];
    for (const pool of model.memcacheds) {
        const exposed = findings.find(
            (f): f is Finding<'port-exposed'> => isFindingOf(f, 'port-exposed') && f.element === pool
        );
        for (const zone of model.zones.filter(z => z.trust === 'public')) {
            const probe = context.probeOf(zone);
            if (!probe || failures.some(f => f.kind === 'region' && f.name === zone.region.name)) continue;
            const servers = pool.servers.filter(alive);
            if (servers.length === 0) continue;
            const reached = (host: Host) =>
                (exposed?.data.hosts ?? []).includes(host.name) && (exposed?.data.zones ?? []).includes(zone.name);
            for (const connects of [true, false]) {
                const group = servers.filter(host => reached(host) === connects);
                if (group.length === 0) continue;
                predictions.push({
                    subject: pool.id,
                    claim: `public zone ${zone.name} connects to memcached ${pool.port}/tcp on ${group.map(h => h.name).join(', ')}`,
                    predicted: connects ? 'connects (port-exposed)' : 'refused (no port-exposed)',
                    observe: {
                        kind: 'connect',
                        pairs: group.map(host => ({
                            from: probe,
                            to: host.name,
                            address: host.address,
                            port: pool.port
                        })),
                        connects
                    }
                });
            }
        }
    }
    return predictions;
}
