// What the analysis says about the drawn elements and edges: flows the modelled network drops (the
// visible port-unreachable findings), and the what-if: lost hosts and links grey, services that go
// down and clusters that lose Primary marked, cut flows and failed links red.

import { isFindingOf, type Finding } from '../analysis/finding.js';
import { deriveFlows, type Flow } from '../analysis/flows.js';
import { Reachability } from '../analysis/reachability.js';
import type { WhatIfResult } from '../analysis/what-if.js';
import type { TopologyModel } from '../model/model.js';
import { keyOfFlow, type DiagramBuilder } from './diagram-builder.js';
import type { Diagram } from './diagram-model.js';

/** The flow key a failed link's own edges carry, so the what-if draws them red. */
export function failedLinkKey(linkId: string): string {
    return `failed|${linkId}`;
}

/** The flows that visible port-unreachable findings are about, as the network decides them. */
export function blockedFlows(model: TopologyModel, findings: readonly Finding[]): Flow[] {
    const wanted = new Set<string>();
    for (const finding of findings)
        if (isFindingOf(finding, 'port-unreachable') && finding.element)
            wanted.add(`${finding.element.id}|${finding.data.purpose}|${finding.data.protocol}/${finding.data.port}`);
    if (wanted.size === 0) return [];
    const network = new Reachability(model);
    return deriveFlows(model).filter(
        flow =>
            wanted.has(`${flow.owner.id}|${flow.purpose}|${flow.protocol}/${flow.port}`) &&
            !network.decide(flow.from, flow.to, flow.protocol, flow.port).allowed
    );
}

/** The flows a what-if cuts, found again among the topology's flows by purpose and ends. */
export function cutFlows(model: TopologyModel, result: WhatIfResult): Flow[] {
    if (result.flowsCut.length === 0) return [];
    const wanted = new Set(result.flowsCut.map(cut => `${cut.purpose}|${cut.from}|${cut.to}`));
    return deriveFlows(model).filter(flow => wanted.has(`${flow.purpose}|${flow.from.name}|${flow.to.name}`));
}

export function applyOverlays(diagram: Diagram, builder: DiagramBuilder): void {
    const blocked = new Set(blockedFlows(builder.model, builder.findings).map(keyOfFlow));
    const result = builder.whatIf;
    const cut = new Set(result ? cutFlows(builder.model, result).map(keyOfFlow) : []);
    for (const id of result?.lost ?? []) cut.add(failedLinkKey(id));
    for (const edge of diagram.edges) {
        const flows = builder.flowsOf.get(edge.id);
        if (!flows) continue;
        for (const key of flows) {
            if (blocked.has(key)) edge.blocked = true;
            if (cut.has(key)) edge.cut = true;
        }
    }
    if (result) markWhatIf(diagram, builder, result);
}

function markWhatIf(diagram: Diagram, builder: DiagramBuilder, result: WhatIfResult): void {
    diagram.failures = [...result.failures];
    const lostHosts = new Set(result.lostHosts);
    const lostIds = new Set(result.lost);
    const outcomes = new Map<string, { down: boolean; status: string }>();
    for (const service of result.services)
        outcomes.set(service.id, { down: !service.up, status: `DOWN: ${service.reasons.join('; ')}` });
    for (const cluster of result.clusters)
        outcomes.set(cluster.id, {
            down: !cluster.primary,
            status: `${cluster.primary ? 'Primary' : 'NON-PRIMARY'}: ${cluster.detail}`
        });
    // What a Pacemaker cluster without quorum holds stops with it (no-quorum-policy=stop).
    for (const cluster of builder.model.pacemakers) {
        if (!outcomes.get(cluster.id)?.down) continue;
        for (const held of [...cluster.vips, ...cluster.clones, ...cluster.activePassive])
            if (!outcomes.get(held.id)?.down)
                outcomes.set(held.id, { down: true, status: `stopped: pacemaker ${cluster.name} has no quorum` });
    }
    for (const element of diagram.elements) {
        const hosts = builder.hostsOf.get(element.id) ?? [];
        const gone = hosts.filter(host => lostHosts.has(host.name)).length;
        // A tunnel needs both its gateways; anything else needs one of its hosts.
        const series = builder.series.has(element.id) && gone > 0;
        if (lostIds.has(element.id) || series || (hosts.length > 0 && gone === hosts.length)) {
            element.lost = true;
            element.status =
                element.kind === 'link' && lostIds.has(element.id)
                    ? 'link failed'
                    : series
                      ? `down: ${hosts
                            .filter(host => lostHosts.has(host.name))
                            .map(host => host.name)
                            .join(', ')} lost`
                      : 'lost';
        } else if (gone > 0) {
            element.status = `${gone} of ${hosts.length} hosts lost`;
        }
        const outcome = outcomes.get(element.id);
        if (outcome?.down) {
            element.down = true;
            element.status = outcome.status;
        } else if (outcome && gone > 0 && element.kind !== 'service') {
            element.status = outcome.status; // a cluster that keeps Primary: by how much
        }
    }
    const lost = new Set(diagram.elements.filter(element => element.lost).map(element => element.id));
    for (const edge of diagram.edges) if (lost.has(edge.source) || lost.has(edge.target)) edge.lost = true;
}
