// The network view: zones inside regions, coloured by trust; firewalls as gates in front of what they
// protect (with their devices); every link as a node naming what it allows, its latency and
// redundancy, a VPN with its gateways (inside its region, or beside the regions when it joins two);
// where management access comes from and what it reaches; and every flow the analysis finds blocked
// as a red dashed edge naming it (cut flows too, in a what-if).

import type { Flow } from '../analysis/flows.js';
import { describeRule } from '../analysis/reachability.js';
import type { Subnet } from '../model/addresses.js';
import type { Endpoint, Host, ManagementAccess, PortRange, Region, TopologyModel, Trust } from '../model/model.js';
import { compactList, describeAllowed, describeLinkTraits, describePortUse } from './describe.js';
import { keyOfFlow, plural, type DiagramBuilder } from './diagram-builder.js';
import { blockedFlows, cutFlows, failedLinkKey } from './overlays.js';

const TRUST_RANK: Record<Trust, number> = { public: 0, internal: 1, management: 2 };
/** Zones by trust left to right, each with a column for its gates before it. */
const zoneTier = (trust: Trust) => 10 * TRUST_RANK[trust] + 5;

export function networkView(b: DiagramBuilder): void {
    const model = b.model;
    for (const region of model.regions) {
        b.region(region);
        for (const zone of region.zones) {
            b.element({
                id: zone.id,
                kind: 'zone',
                name: zone.name,
                label: zone.name,
                tag: `ZONE · ${zone.trust}`,
                details: [
                    zone.subnet?.text ?? '',
                    `${zone.hosts.length} ${plural('host', zone.hosts.length)}: ${compactList(
                        zone.hosts.map(h => h.name),
                        3
                    )}`
                ],
                parent: region.id,
                tier: zoneTier(zone.trust),
                trust: zone.trust,
                source: zone.nameSource,
                hosts: zone.hosts
            });
        }
        const outside = region.hosts.filter(host => !host.zone);
        if (outside.length > 0 && region.zones.length > 0) {
            b.element({
                id: `hosts:${region.name}`,
                kind: 'hosts',
                name: region.name,
                label: 'outside zones',
                tag: 'HOSTS',
                details: [
                    `${outside.length} ${plural('host', outside.length)}: ${compactList(
                        outside.map(h => h.name),
                        3
                    )}`
                ],
                parent: region.id,
                tier: zoneTier('internal'),
                hosts: outside
            });
        }
    }
    if (model.links.length === 0 && model.firewalls.length === 0) {
        b.get(b.topologyId)?.details.push('no links or firewalls written: every host reaches every other');
    }
    firewalls(b, model);
    links(b, model);
    management(b, model);
    flowEdges(b, model, blockedFlows(model, b.findings), 'blocked');
    if (b.whatIf) flowEdges(b, model, cutFlows(model, b.whatIf), 'cut');
}

/** The drawn place of an endpoint or a host: its zone, the region's "outside zones" node, or the region. */
function placeOf(b: DiagramBuilder, endpoint: Endpoint): string {
    if (endpoint.kind === 'zone' || endpoint.kind === 'region') return endpoint.id;
    return placeOfHost(b, endpoint);
}

function placeOfHost(b: DiagramBuilder, host: Host): string {
    if (host.zone) return host.zone.id;
    const outside = `hosts:${host.region.name}`;
    return b.has(outside) ? outside : host.region.id;
}

function regionOf(endpoint: Endpoint): Region {
    return endpoint.kind === 'region' ? endpoint : endpoint.region;
}

function firewalls(b: DiagramBuilder, model: TopologyModel): void {
    for (const firewall of model.firewalls) {
        const place = placeOf(b, firewall.protects);
        const guarded = b.get(place);
        b.element({
            id: firewall.id,
            kind: 'firewall',
            name: firewall.name,
            label: firewall.name,
            tag: 'FIREWALL',
            details: [
                `protects ${firewall.protects.kind} ${firewall.protects.name}`,
                ...firewall.rules.slice(0, 4).map(describeRule),
                firewall.devices.length > 0
                    ? `devices ${compactList(
                          firewall.devices.map(h => h.name),
                          3
                      )}`
                    : ''
            ],
            parent: regionOf(firewall.protects).id,
            tier: guarded && !guarded.container ? guarded.tier - 3 : 0,
            source: firewall.nameSource,
            ...(firewall.devices.length > 0 ? { hosts: firewall.devices } : {})
        });
        if (place === regionOf(firewall.protects).id) continue; // guards the region it is drawn in
        b.edge({
            kind: 'protects',
            source: firewall.id,
            target: place,
            label: `lets in ${describeAllowed(firewall.rules, model)}`,
            details: firewall.rules.map(describeRule)
        });
    }
}

/**
 * Each link is a node in the region it starts from (next to the zone it starts from), joined to both
 * ends: a region's links read as its ways out, and no hub of lines gathers beside the regions.
 */
function links(b: DiagramBuilder, model: TopologyModel): void {
    for (const link of model.links) {
        const from = placeOf(b, link.from),
            to = placeOf(b, link.to);
        const start = b.get(from);
        b.element({
            id: link.id,
            kind: 'link',
            name: link.name || `${link.from.name}-${link.to.name}`,
            label: link.name || `${link.from.name} ${link.bidirectional ? '↔' : '→'} ${link.to.name}`,
            tag: link.vpn ? 'VPN LINK' : 'LINK',
            details: [
                `${link.from.name} ${link.bidirectional ? '↔' : '→'} ${link.to.name}`,
                describeAllowed(link.rules, model),
                describeLinkTraits(link),
                link.vpnEndpoints.length > 0 ? `gateways ${link.vpnEndpoints.map(h => h.name).join(' ⇄ ')}` : ''
            ],
            parent: regionOf(link.from).id,
            tier: start && !start.container ? start.tier + 2 : 40,
            source: link.nameSource,
            ...(link.vpnEndpoints.length > 0 ? { hosts: link.vpnEndpoints, series: !link.redundant } : {})
        });
        for (const [end, name] of [
            [from, link.from.name],
            [to, link.to.name]
        ] as const) {
            b.edge({
                kind: 'link',
                source: end,
                target: link.id,
                label: '',
                details: [`${name} ↔ link ${link.name || link.id}`],
                directed: false,
                flows: [failedLinkKey(link.id)]
            });
        }
    }
}

/** "SSH 22", "SSH 22 · tcp 9100-9110". */
function describeManaged(ports: readonly PortRange[], model: TopologyModel): string {
    return ports
        .map(range =>
            range.first === range.last ? describePortUse(range.first, model) : `tcp ${range.first}-${range.last}`
        )
        .join(' · ');
}

function isSubnet(from: ManagementAccess['from']): from is Subnet {
    return !('kind' in from);
}

/**
 * Where administrators and monitoring come from (`manage from`, or a zone of trust management): the
 * place says so, and a dashed edge goes to every other region it reaches (all of them: the exported
 * firewalls admit it on every host). A subnet outside the model is a box of its own before the regions.
 */
function management(b: DiagramBuilder, model: TopologyModel): void {
    for (const access of model.management) {
        const ports = describeManaged(access.ports, model);
        const how = access.implied ? 'trust management' : 'manage from';
        let source: string;
        let home: Region | undefined;
        if (isSubnet(access.from)) {
            source = b.element({
                id: `manage:${access.from.text}`,
                kind: 'manage',
                name: access.from.text,
                label: access.from.text,
                tag: 'MANAGEMENT ACCESS',
                details: [`${ports} to every host`, 'outside the modelled regions'],
                tier: 0,
                source: access.source
            }).id;
        } else {
            home = regionOf(access.from);
            source = placeOf(b, access.from);
            const line = `${how}${access.from.kind === 'host' ? ` ${access.from.name}` : ''}: ${ports} to every host`;
            const place = b.get(source);
            if (place && !place.details.includes(line)) place.details.push(line);
        }
        for (const region of model.regions) {
            if (region === home) continue;
            b.edge({
                kind: 'manage',
                source,
                target: region.id,
                label: ports,
                details: [
                    `${how} ${'kind' in access.from ? access.from.name : access.from.text}: ${ports} on every host of ${region.name}`
                ],
                at: access.source
            });
        }
    }
}

/** Flows the network drops (or a what-if cuts), one red edge per pair of places naming them. */
function flowEdges(b: DiagramBuilder, model: TopologyModel, flows: readonly Flow[], kind: 'blocked' | 'cut'): void {
    const groups = new Map<string, { from: string; to: string; flows: Flow[] }>();
    for (const flow of flows) {
        const from = placeOfHost(b, flow.from),
            to = placeOfHost(b, flow.to);
        if (from === to) continue;
        const key = `${from}|${to}`;
        const group = groups.get(key) ?? { from, to, flows: [] };
        group.flows.push(flow);
        groups.set(key, group);
    }
    for (const group of groups.values()) {
        const ports = [...new Set(group.flows.map(flow => describePortUse(flow.port, model, flow.protocol)))];
        b.edge({
            kind,
            source: group.from,
            target: group.to,
            label: `${kind}: ${compactList(ports, 2)}`,
            details: group.flows.slice(0, 12).map(flow => `${flow.purpose}: ${flow.from.name} → ${flow.to.name}`),
            flows: group.flows.map(keyOfFlow)
        });
    }
}
