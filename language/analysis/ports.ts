// Port rules: flows the topology needs but the network blocks, sensitive ports reachable from
// untrusted zones, and two listeners on one address and port.

import type { Host, ModelElement, TopologyModel } from '../model/model.js';
import type { Finding } from './finding.js';
import { findingAt } from './finding-factory.js';
import { deriveListeners, forEachFlow, type Flow, type Listener } from './flows.js';
import { describePort, describeRule, Reachability, type Verdict } from './reachability.js';

export function checkPorts(model: TopologyModel, reachability = new Reachability(model)): Finding[] {
    const listeners = deriveListeners(model);
    return [
        ...unreachable(model, reachability),
        ...exposed(model, reachability, listeners),
        ...conflicts(model, listeners)
    ];
}

/** Blocked flows, one finding per owner, purpose, port and verdict, naming the hosts involved. */
function unreachable(model: TopologyModel, reachability: Reachability): Finding[] {
    if (!reachability.modelled) return []; // no link or firewall written: the network is not modelled
    const groups = new Map<string, { flow: Flow; verdict: Verdict; pairs: string[] }>();
    forEachFlow(model, flow => {
        const verdict = reachability.decide(flow.from, flow.to, flow.protocol, flow.port);
        if (verdict.allowed) return;
        const key = `${flow.owner.kind}:${flow.owner.name}|${flow.purpose}|${flow.protocol}/${flow.port}|${verdict.reason}`;
        const group = groups.get(key) ?? { flow, verdict, pairs: [] };
        group.pairs.push(`${flow.from.name} → ${flow.to.name}`);
        groups.set(key, group);
    });
    return [...groups.values()].map(({ flow, verdict, pairs }) => {
        const shown =
            pairs.length > 3 ? `${pairs.slice(0, 3).join(', ')} and ${pairs.length - 3} more` : pairs.join(', ');
        return findingAt(
            'port-unreachable',
            flow.owner,
            `${flow.purpose} needs ${describePort(flow.protocol, flow.port)} (${shown}), but ${verdict.reason}`,
            {
                purpose: flow.purpose,
                protocol: flow.protocol,
                port: flow.port,
                reason: verdict.reason,
                pairs: pairs.length,
                // Where the quick fix adds the allow rule: the blocking link or firewall, or a new link.
                ...(verdict.blocker ? { blocker: verdict.blocker.id } : {}),
                ...(verdict.shadowedBy ? { shadowedBy: describeRule(verdict.shadowedBy) } : {}),
                ...(verdict.missingLink ? { regions: verdict.missingLink } : {})
            }
        );
    });
}

function exposed(model: TopologyModel, reachability: Reachability, listeners: readonly Listener[]): Finding[] {
    const untrusted = model.zones.filter(zone => zone.trust === 'public');
    if (untrusted.length === 0) return [];
    // One finding per program and port, naming the hosts and the zones that reach them. Listeners are
    // first grouped by the place the network rules see them in, so each public zone is probed once
    // per place and port, not once per host: linear in hosts.
    const groups = new Map<string, { listener: Listener; hosts: Set<string>; zones: Set<string> }>();
    const places = new Map<string, Listener[]>();
    for (const listener of listeners) {
        if (!listener.sensitive) continue;
        const key = `${reachability.scope(listener.host)}|${listener.host.zone?.name ?? ''}|${listener.port}`;
        const place = places.get(key);
        if (place) place.push(listener);
        else places.set(key, [listener]);
    }
    for (const listeners of places.values()) {
        const sample = listeners[0];
        for (const zone of untrusted) {
            const inside = sample.host.zone === zone;
            if (!inside) {
                const probe: Host = { ...sample.host, name: `(any host in ${zone.name})`, zone, region: zone.region };
                if (!reachability.decide(probe, sample.host, 'tcp', sample.port).allowed) continue;
            }
            for (const listener of listeners) {
                const key = `${listener.owner.kind}:${listener.owner.name}|${listener.purpose}|${listener.port}`;
                const group = groups.get(key) ?? { listener, hosts: new Set<string>(), zones: new Set<string>() };
                group.hosts.add(listener.host.name);
                group.zones.add(zone.name);
                groups.set(key, group);
            }
        }
    }
    return [...groups.values()].map(({ listener, hosts, zones }) =>
        findingAt(
            'port-exposed',
            listener.owner,
            `${listener.purpose} listens on ${listener.port}/tcp on ${[...hosts].join(', ')}, reachable from public zone${zones.size > 1 ? 's' : ''} ${[...zones].join(', ')}`,
            { port: listener.port, hosts: [...hosts], zones: [...zones] }
        )
    );
}

function conflicts(model: TopologyModel, listeners: readonly Listener[]): Finding[] {
    const findings: Finding[] = [];
    const bound = new Map<string, { purpose: string; owner: ModelElement }>();
    const bind = (address: string, port: number, where: string, purpose: string, owner: ModelElement) => {
        const key = `${where}|${address}:${port}`;
        const earlier = bound.get(key);
        if (!earlier) {
            bound.set(key, { purpose, owner });
            return;
        }
        if (earlier.owner === owner && earlier.purpose === purpose) return;
        findings.push(
            findingAt(
                'port-conflict',
                owner,
                `${purpose} binds ${address}:${port} on ${where}, already bound by ${earlier.purpose}`,
                { address, port, host: where, other: earlier.purpose }
            )
        );
    };
    for (const listener of listeners)
        bind(listener.host.address, listener.port, listener.host.name, listener.purpose, listener.owner);
    for (const haproxy of model.haproxies) {
        for (const frontend of haproxy.frontends) {
            for (const node of haproxy.nodes)
                bind(
                    frontend.vip.address,
                    frontend.port,
                    node.name,
                    `haproxy ${haproxy.name} frontend ${frontend.name}`,
                    frontend
                );
        }
    }
    return findings;
}
