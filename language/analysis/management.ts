// Management access: where administrators and monitoring reach the hosts from. The exported
// nftables rules admit it before anything else, so loading them never locks the operator out. It is
// written with `manage from …` or implied by a zone with `trust management`; a topology with
// neither gets the `management-access` warning and SSH from its internal subnets only.

import { addressSet } from '../model/addresses.js';
import { PORTS } from '../model/defaults.js';
import type { Endpoint, Host, ManagementAccess, PortRange, TopologyModel } from '../model/model.js';
import type { Finding } from './finding.js';
import { findingAt } from './finding-factory.js';
import { forEachFlow } from './flows.js';

/** One group of sources admitted on the same ports. */
export interface ManagementRule {
    /** Addresses and subnets, as an nft set lists them. */
    sources: string[];
    ports: PortRange[];
    /** Where the sources come from, for the rule's comment. */
    label: string;
}

export const SSH_PORT = PORTS.ssh;

/**
 * Fires at the `topology` statement (a file without one is a fragment: the file that imports it and
 * says `topology` is the whole), and only when there is something to firewall: a host that receives
 * a flow or binds a frontend.
 */
export function checkManagement(model: TopologyModel): Finding[] {
    if (model.management.length > 0 || !model.topology) return [];
    const firewalled = new Set<Host>();
    forEachFlow(model, flow => firewalled.add(flow.to));
    for (const haproxy of model.haproxies)
        if (haproxy.frontends.length > 0) for (const node of haproxy.nodes) firewalled.add(node);
    if (firewalled.size === 0) return [];
    const fallback = internalSources(model);
    return [
        findingAt(
            'management-access',
            model.topology,
            `no management access modelled (no zone with trust management, no \`manage from\` line): the firewalls exported for ${firewalled.size} host${firewalled.size > 1 ? 's' : ''} admit SSH (${SSH_PORT}/tcp) only from ${fallback.length > 0 ? `the internal subnets ${fallback.join(', ')}` : 'nowhere'}`,
            { port: SSH_PORT, sources: fallback, hosts: firewalled.size }
        )
    ];
}

/** The management rules every exported firewall starts with. */
export function managementRules(model: TopologyModel): ManagementRule[] {
    if (model.management.length === 0) {
        const sources = internalSources(model);
        return sources.length > 0
            ? [
                  {
                      sources,
                      ports: [{ first: SSH_PORT, last: SSH_PORT }],
                      label: 'internal subnets (no management modelled)'
                  }
              ]
            : [];
    }
    // One rule per set of ports, merging the places that share it.
    const byPorts = new Map<string, { access: ManagementAccess[]; ports: PortRange[] }>();
    for (const access of model.management) {
        const key = access.ports.map(range => `${range.first}-${range.last}`).join(',');
        const group = byPorts.get(key) ?? { access: [], ports: access.ports };
        group.access.push(access);
        byPorts.set(key, group);
    }
    return [...byPorts.values()]
        .map(({ access, ports }) => ({
            sources: addressSet(access.flatMap(entry => placesOf(entry.from))),
            ports,
            label: access.map(entry => describe(entry.from)).join(', ')
        }))
        .filter(rule => rule.sources.length > 0);
}

/**
 * The places that are not public: every zone that is not `trust public`, and the hosts outside
 * zones (their region's subnet when the region holds no public zone, else each address).
 */
export function internalSources(model: TopologyModel): string[] {
    const places: Array<{ base: number; prefix: number }> = [];
    for (const zone of model.zones) if (zone.trust !== 'public' && zone.subnet) places.push(zone.subnet);
    for (const region of model.regions) {
        const loose = region.hosts.filter(host => !host.zone && host.addressValue !== undefined);
        if (loose.length === 0) continue;
        const hasPublic = region.zones.some(zone => zone.trust === 'public');
        if (region.subnet && !hasPublic) places.push(region.subnet);
        else for (const host of loose) places.push({ base: host.addressValue!, prefix: 32 });
    }
    return addressSet(places);
}

function placesOf(from: Endpoint | { base: number; prefix: number }): Array<{ base: number; prefix: number }> {
    if (!('kind' in from)) return [from];
    if (from.kind === 'host') return from.addressValue !== undefined ? [{ base: from.addressValue, prefix: 32 }] : [];
    if (from.subnet) return [from.subnet];
    const hosts = from.hosts.filter(host => host.addressValue !== undefined);
    return hosts.map(host => ({ base: host.addressValue!, prefix: 32 }));
}

function describe(from: Endpoint | { text: string }): string {
    return 'kind' in from ? `${from.kind} ${from.name}` : from.text;
}
