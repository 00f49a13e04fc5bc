// The hosts view: the inventory. Every host as a card in its region with what it does (its roles),
// the links between regions, and the flows the network drops between them.

import type { Flow } from '../analysis/flows.js';
import { rolesByHost, type Role } from '../analysis/roles.js';
import type { Endpoint, Region, TopologyModel } from '../model/model.js';
import { compactList, describeAllowed, describeLinkTraits, describePortUse } from './describe.js';
import { keyOfFlow, plural, type DiagramBuilder } from './diagram-builder.js';
import { blockedFlows, cutFlows, failedLinkKey } from './overlays.js';

export function hostsView(b: DiagramBuilder): void {
    const model = b.model;
    const roles = rolesByHost(model);
    for (const region of model.regions) {
        b.region(region, [`${region.hosts.length} ${plural('host', region.hosts.length)}`]);
        for (const host of region.hosts) {
            b.element({
                id: host.id,
                kind: 'host',
                name: host.name,
                label: host.name,
                tag: host.zone ? `HOST · ${host.zone.name}` : 'HOST',
                details: [host.address, ...(roles.get(host) ?? []).map(describeRole)],
                parent: region.id,
                source: host.nameSource,
                hosts: [host]
            });
        }
    }
    regionLinks(b, model);
    flowEdges(b, model, blockedFlows(model, b.findings), 'blocked');
    if (b.whatIf) flowEdges(b, model, cutFlows(model, b.whatIf), 'cut');
}

/** "galera keystone-db (weight 2)", "VRRP master wlg-vip (priority 150)", "API keystone-wlg". */
export function describeRole({ role, element, detail }: Role): string {
    const what = role === 'galera member' ? 'galera' : role === 'API node' ? 'API' : role;
    return `${what} ${element.name}${detail ? ` (${detail})` : ''}`;
}

function regionOf(endpoint: Endpoint): Region {
    return endpoint.kind === 'region' ? endpoint : endpoint.region;
}

/** Links between two regions, one edge per pair of regions. */
function regionLinks(b: DiagramBuilder, model: TopologyModel): void {
    const pairs = new Map<string, typeof model.links>();
    for (const link of model.links) {
        const from = regionOf(link.from),
            to = regionOf(link.to);
        if (from === to) continue;
        const key = `${from.id}|${to.id}`;
        pairs.set(key, [...(pairs.get(key) ?? []), link]);
    }
    for (const links of pairs.values()) {
        const [first] = links;
        b.edge({
            kind: 'link',
            source: regionOf(first.from).id,
            target: regionOf(first.to).id,
            label:
                links.length === 1
                    ? [describeAllowed(first.rules, model), describeLinkTraits(first)].join(' · ')
                    : `${links.length} links`,
            details: links.map(
                link =>
                    `link ${link.name || `${link.from.name}-${link.to.name}`}: ${describeAllowed(link.rules, model)} · ${describeLinkTraits(link)}`
            ),
            directed: !first.bidirectional,
            at: first.nameSource,
            flows: links.map(link => failedLinkKey(link.id))
        });
    }
}

/** Flows the network drops (or a what-if cuts) between two regions, one edge per pair of regions. */
function flowEdges(b: DiagramBuilder, model: TopologyModel, flows: readonly Flow[], kind: 'blocked' | 'cut'): void {
    const groups = new Map<string, Flow[]>();
    for (const flow of flows) {
        if (flow.from.region === flow.to.region) continue;
        const key = `${flow.from.region.id}|${flow.to.region.id}`;
        groups.set(key, [...(groups.get(key) ?? []), flow]);
    }
    for (const group of groups.values()) {
        const ports = [...new Set(group.map(flow => describePortUse(flow.port, model, flow.protocol)))];
        b.edge({
            kind,
            source: group[0].from.region.id,
            target: group[0].to.region.id,
            label: `${kind}: ${compactList(ports, 2)}`,
            details: group.slice(0, 12).map(flow => `${flow.purpose}: ${flow.from.name} → ${flow.to.name}`),
            flows: group.map(keyOfFlow)
        });
    }
}
