// Availability from the model (DOMAIN.md §8), independent failures assumed: series = Π A_i,
// parallel (1-of-n) = 1 − Π(1 − A_i), quorum = P(surviving weight > W/2), computed exactly by a
// dynamic programme over surviving weight (the weighted k-of-n of [REL-KN] without enumerating
// 2^n subsets). Power and links count as always up, except the devices the model gives figures
// for: a firewall's devices, a VPN tunnel's gateways (in series with the services that cross them).
// Standby (blue/green) services are out of the topology's sum; services that one DNS name rotates
// over (round robin) are alternatives: their shared parts in series, the rest in parallel.

import { DEFAULTS } from '../model/defaults.js';
import type { Firewall, Host, Link, Service, TopologyModel, Vip } from '../model/model.js';
import { crossingsOf } from './crossings.js';
import type { Finding } from './finding.js';
import { findingAt } from './finding-factory.js';
import { hsmCapacity } from './hsm.js';
import { vipServers } from './load-balancers.js';
import { voters } from './quorum.js';
import { isStandbyVip, liveServices } from './standby.js';

export function hostAvailability(host: Host): number {
    return host.availability !== undefined && Number.isFinite(host.availability)
        ? host.availability
        : DEFAULTS.hostAvailability;
}

export function series(parts: readonly number[]): number {
    return parts.reduce((product, a) => product * a, 1);
}

export function parallel(parts: readonly number[]): number {
    if (parts.length === 1) return parts[0]; // 1 − (1 − a) is not always a in floating point
    return parts.length === 0 ? 0 : 1 - parts.reduce((product, a) => product * (1 - a), 1);
}

/** Below the target by more than rounding: 99.9 % computed from 99.9 % parts meets a 99.9 % target. */
function below(computed: number, target: number): boolean {
    return computed < target - 1e-12;
}

/** P(Σ weights of the units that are up > total / 2), units failing independently. */
export function quorumAvailability(units: ReadonlyArray<{ weight: number; availability: number }>): number {
    const total = units.reduce((sum, unit) => sum + unit.weight, 0);
    let distribution = new Float64Array(total + 1);
    distribution[0] = 1;
    for (const unit of units) {
        const next = new Float64Array(total + 1);
        for (let w = 0; w <= total; w++) {
            if (distribution[w] === 0) continue;
            next[w] += distribution[w] * (1 - unit.availability);
            if (w + unit.weight <= total) next[w + unit.weight] += distribution[w] * unit.availability;
        }
        distribution = next;
    }
    let up = 0;
    for (let w = 0; w <= total; w++) if (w > total / 2) up += distribution[w];
    return up;
}

export interface ServiceAvailability {
    service: Service;
    availability: number;
    parts: Record<string, number>;
    /** Which parts are shared elements (`galera:db`), and which are the service's own (its nodes). */
    keys: Record<string, string>;
}

/** A VIP's availability: any serving holder (keepalived), or a quorate Pacemaker cluster with one. */
export function vipAvailability(vip: Vip, model: TopologyModel): number {
    const serving = parallel(vipServers(vip, model).serving.map(hostAvailability));
    if (!vip.pacemaker) return serving;
    // no-quorum-policy=stop (the default): a partition without quorum stops its resources [PCMK-OPT].
    const quorate = quorumAvailability(
        vip.pacemaker.nodes.map(host => ({ weight: 1, availability: hostAvailability(host) }))
    );
    return Math.min(quorate, serving);
}

/** A link's availability when the model gives one: written, or a VPN tunnel's (both gateways up; two tunnels when redundant). */
export function linkAvailability(link: Link): number | undefined {
    if (link.availability !== undefined && Number.isFinite(link.availability)) return link.availability;
    if (link.vpnEndpoints.length === 0) return undefined;
    const tunnel = series(link.vpnEndpoints.map(hostAvailability));
    return link.redundant ? parallel([tunnel, tunnel]) : tunnel;
}

/** A firewall's availability when the model gives one: its devices in parallel, or the figure written. */
export function firewallAvailability(firewall: Firewall): number | undefined {
    if (firewall.devices.length > 0) return parallel(firewall.devices.map(hostAvailability));
    if (firewall.availability !== undefined && Number.isFinite(firewall.availability)) return firewall.availability;
    return undefined;
}

export function serviceAvailability(service: Service, model: TopologyModel): ServiceAvailability {
    const parts: Record<string, number> = {};
    const keys: Record<string, string> = {};
    if (service.frontends.length > 0) {
        // Only holders that run the VIP's haproxy serve it (load-balancers.ts); a live service is
        // reached through its live VIPs, not the standby set.
        const live = service.frontends.filter(vip => !isStandbyVip(vip, model));
        const vips = live.length > 0 ? live : service.frontends;
        parts['load balancers'] = parallel(vips.map(vip => vipAvailability(vip, model)));
        keys['load balancers'] = `${service.id}/load balancers`;
    }
    parts['API nodes'] = parallel(service.nodes.map(hostAvailability));
    keys['API nodes'] = `${service.id}/API nodes`;
    if (service.database) {
        keys[`galera ${service.database.name}`] = service.database.id;
        parts[`galera ${service.database.name}`] = quorumAvailability(
            voters(service.database).map(voter => ({
                weight: voter.weight,
                availability: hostAvailability(voter.host)
            }))
        );
    }
    if (service.queue) {
        keys[`rabbitmq ${service.queue.name}`] = service.queue.id;
        parts[`rabbitmq ${service.queue.name}`] = quorumAvailability(
            service.queue.members.map(host => ({ weight: 1, availability: hostAvailability(host) }))
        );
    }
    if (service.hsm) {
        parts[`hsm ${service.hsm.name}`] = parallel(service.hsm.members.map(hostAvailability));
        keys[`hsm ${service.hsm.name}`] = service.hsm.id;
    }
    const devices = crossingsOf(service, model, modelledDevices(model));
    for (const firewall of devices.firewalls) {
        parts[`firewall ${firewall.name}`] = firewallAvailability(firewall)!;
        keys[`firewall ${firewall.name}`] = firewall.id;
    }
    for (const link of devices.links) {
        const label = `${link.vpn ? 'vpn' : 'link'} ${link.name || `${link.from.name}-${link.to.name}`}`;
        parts[label] = linkAvailability(link)!;
        keys[label] = link.id;
    }
    return { service, availability: series(Object.values(parts)), parts, keys };
}

/** The links and firewalls whose availability the model gives. */
function modelledDevices(model: TopologyModel): { links: Link[]; firewalls: Firewall[] } {
    return {
        links: model.links.filter(link => linkAvailability(link) !== undefined),
        firewalls: model.firewalls.filter(firewall => firewallAvailability(firewall) !== undefined)
    };
}

/** What production needs: each service on its own, or a DNS name's alternatives together. */
export interface EntryAvailability {
    /** The DNS name (`dns:keystone`) or the service (`service:nova`). */
    id: string;
    services: Service[];
    availability: number;
}

/**
 * Services of one kind that a DNS name rotates clients over (round robin over their VIPs) are
 * alternatives: a client whose address does not answer tries the next one, as getaddrinfo-based
 * clients do [CPY-SOCK]. Their shared parts (one Galera cluster) count once, in series; the parts
 * each has alone (load balancers, API nodes) in parallel.
 */
export function entryPoints(model: TopologyModel): EntryAvailability[] {
    const live = liveServices(model);
    const grouped = new Set<Service>();
    const entries: EntryAvailability[] = [];
    for (const dns of model.dnsNames) {
        const behind = live.filter(service => service.frontends.some(vip => dns.targets.includes(vip)));
        const byKind = new Map<string, Service[]>();
        for (const service of behind)
            byKind.set(service.serviceKind, [...(byKind.get(service.serviceKind) ?? []), service]);
        for (const services of byKind.values()) {
            if (services.length < 2 || services.some(service => grouped.has(service))) continue;
            services.forEach(service => grouped.add(service));
            entries.push({ id: dns.id, services, availability: alternatives(services, model) });
        }
    }
    for (const service of live) {
        if (grouped.has(service)) continue;
        entries.push({
            id: service.id,
            services: [service],
            availability: serviceAvailability(service, model).availability
        });
    }
    return entries;
}

function alternatives(services: readonly Service[], model: TopologyModel): number {
    const each = services.map(service => serviceAvailability(service, model));
    const keySets = each.map(result => new Set(Object.values(result.keys)));
    const shared = new Map<string, number>();
    for (const [label, key] of Object.entries(each[0].keys))
        if (keySets.every(set => set.has(key))) shared.set(key, each[0].parts[label]);
    const own = each.map(result =>
        series(
            Object.entries(result.keys)
                .filter(([, key]) => !shared.has(key))
                .map(([label]) => result.parts[label])
        )
    );
    return series([...shared.values()]) * parallel(own);
}

/** The control plane works when every live service works (one of each DNS name's alternatives will do). */
export function topologyAvailability(model: TopologyModel): number {
    return series(entryPoints(model).map(entry => entry.availability));
}

/** Enough decimals to tell 99.99999 % from 100 %, no trailing zeros. */
export function formatPercent(availability: number): string {
    if (availability >= 1) return '100 %';
    // Six decimals, or as many more as it takes not to round 99.9999999 % up to 100 %.
    let decimals = 6;
    while (decimals < 15 && Number((availability * 100).toFixed(decimals)) >= 100) decimals++;
    return `${(availability * 100).toFixed(decimals).replace(/\.?0+$/, '')} %`;
}

/** Downtime a year (365 d) at that availability: "4 h 22.8 min". */
export function downtimePerYear(availability: number): string {
    const minutes = (1 - availability) * 365 * 24 * 60;
    if (minutes < 60) return `${+minutes.toFixed(1)} min`;
    return `${Math.floor(minutes / 60)} h ${+(minutes % 60).toFixed(1)} min`;
}

export function checkAvailability(model: TopologyModel): Finding[] {
    const findings: Finding[] = [];
    const target = model.targets.availability;
    if (target !== undefined && Number.isFinite(target) && model.services.length > 0) {
        const computed = topologyAvailability(model);
        if (below(computed, target)) {
            const weakest = (liveServices(model).length > 0 ? liveServices(model) : model.services)
                .map(service => serviceAvailability(service, model))
                .sort((a, b) => a.availability - b.availability)[0];
            const [part, value] = Object.entries(weakest.parts).sort((a, b) => a[1] - b[1])[0];
            findings.push(
                findingAt(
                    'availability-target',
                    model.topology,
                    `computed availability ${formatPercent(computed)} (${downtimePerYear(computed)} down a year) is below the target ` +
                        `${formatPercent(target)} (${downtimePerYear(target)}); weakest: ${weakest.service.name} at ${formatPercent(weakest.availability)}, its ${part} at ${formatPercent(value)}`,
                    { computed, target, weakest: weakest.service.name },
                    { range: model.targets.source }
                )
            );
        }
    }
    for (const service of model.services) {
        if (service.availability === undefined || !Number.isFinite(service.availability)) continue;
        const computed = serviceAvailability(service, model);
        if (below(computed.availability, service.availability)) {
            findings.push(
                findingAt(
                    'availability-target',
                    service,
                    `${service.name}: computed availability ${formatPercent(computed.availability)} is below its target ${formatPercent(service.availability)} ` +
                        `(${Object.entries(computed.parts)
                            .map(([part, value]) => `${part} ${formatPercent(value)}`)
                            .join(', ')})`,
                    { computed: computed.availability, target: service.availability, parts: computed.parts }
                )
            );
        }
    }
    return [...findings, ...singlePoints(model), ...singleDevices(model), ...capacity(model)];
}

function singlePoints(model: TopologyModel): Finding[] {
    const findings: Finding[] = [];
    // A service that a DNS name rotates over with others of its kind is not alone: they back it up.
    const backedUp = new Set(
        entryPoints(model)
            .filter(entry => entry.services.length > 1)
            .flatMap(entry => entry.services)
    );
    for (const service of model.services) {
        if (backedUp.has(service)) continue;
        if (service.nodes.length === 1) {
            const a = hostAvailability(service.nodes[0]);
            findings.push(
                findingAt(
                    'spof',
                    service,
                    `${service.name} runs on 1 API node (${service.nodes[0].name}, ${formatPercent(a)}): losing it stops the service; a second node would give ${formatPercent(parallel([a, a]))}`,
                    { element: service.nodes[0].id, kind: 'API node' }
                )
            );
        }
        for (const vip of service.frontends) {
            const { serving, idle } = vipServers(vip, model);
            if (serving.length !== 1) continue;
            const why =
                idle.length > 0
                    ? `held by ${vip.members.length} hosts, but only ${serving[0].name} runs its haproxy: a failover to ${idle.map(host => host.name).join(', ')} answers nothing`
                    : `held by 1 load balancer (${serving[0].name}) with no VRRP peer`;
            findings.push(
                findingAt(
                    'spof',
                    service,
                    `${service.name} is served through vip '${vip.name}' (${vip.address}), ${why}`,
                    {
                        element: vip.id,
                        kind: 'load balancer'
                    }
                )
            );
        }
        if (service.hsm && service.hsm.members.length === 1) {
            findings.push(
                findingAt(
                    'spof',
                    service,
                    `${service.name} depends on hsm '${service.hsm.name}', 1 HSM (${service.hsm.members[0].name})`,
                    { element: service.hsm.id, kind: 'HSM' }
                )
            );
        }
    }
    return findings;
}

/** Devices the model gives as single boxes on some service's path: one firewall device, one VPN tunnel. */
function singleDevices(model: TopologyModel): Finding[] {
    const findings: Finding[] = [];
    const crossers = (element: Link | Firewall) =>
        model.services.filter(service => {
            const crossed = crossingsOf(service, model, { links: model.links, firewalls: model.firewalls });
            return element.kind === 'link' ? crossed.links.includes(element) : crossed.firewalls.includes(element);
        });
    for (const firewall of model.firewalls) {
        if (firewall.devices.length !== 1) continue;
        const services = crossers(firewall);
        if (services.length === 0) continue;
        findings.push(
            findingAt(
                'spof',
                firewall,
                `firewall '${firewall.name}' is 1 device (${firewall.devices[0].name}, ${formatPercent(hostAvailability(firewall.devices[0]))}) on the path of ${services.map(service => service.name).join(', ')}: losing it cuts them off`,
                { element: firewall.id, kind: 'firewall' }
            )
        );
    }
    for (const link of model.links) {
        if (!link.vpn || link.vpnEndpoints.length === 0 || link.redundant) continue;
        const services = crossers(link);
        if (services.length === 0) continue;
        findings.push(
            findingAt(
                'spof',
                link,
                `vpn '${link.name || link.id}' is 1 tunnel (${link.vpnEndpoints.map(host => host.name).join(' ↔ ')}, ${formatPercent(linkAvailability(link)!)}) on the path of ${services.map(service => service.name).join(', ')}: write \`redundant\` for a second tunnel`,
                { element: link.id, kind: 'VPN tunnel' }
            )
        );
    }
    return findings;
}

/** A link whose capacity (requests a second) is below the throughput target, on a live service's path. */
function linkCapacity(model: TopologyModel, target: number): Finding[] {
    const live = liveServices(model);
    return model.links.flatMap(link => {
        const capacity = link.capacityPerSecond;
        if (capacity === undefined || !Number.isFinite(capacity) || capacity >= target) return [];
        const services = live.filter(service =>
            crossingsOf(service, model, { links: [link], firewalls: [] }).links.includes(link)
        );
        if (services.length === 0) return [];
        return [
            findingAt(
                'capacity-target',
                link,
                `${link.vpn ? 'vpn' : 'link'} '${link.name || link.id}' carries ${capacity}/s, below the throughput target ${target}/s of ${services.map(service => service.name).join(', ')}, whose traffic crosses it`,
                { target, capacity, bottleneck: link.id }
            )
        ];
    });
}

function capacity(model: TopologyModel): Finding[] {
    const target = model.targets.throughputPerSecond;
    if (target === undefined || !Number.isFinite(target)) return [];
    return [...linkCapacity(model, target), ...hsmCapacityFindings(model, target)];
}

function hsmCapacityFindings(model: TopologyModel, target: number): Finding[] {
    return liveServices(model).flatMap(service => {
        const hsm = service.hsm;
        const figures = hsm && hsmCapacity(hsm);
        if (!hsm || !figures) return [];
        const data = { target, capacity: figures.total, bottleneck: hsm.id, degraded: figures.degraded };
        const how = figures.perDevice
            ? ''
            : ` (the group's ${figures.total}/s shared by ${hsm.devices.length} devices)`;
        if (figures.total < target) {
            return [
                findingAt(
                    'capacity-target',
                    service,
                    `${service.name}: the throughput target ${target}/s exceeds hsm '${hsm.name}' capacity ${figures.total}/s, the bottleneck of its request path`,
                    data
                )
            ];
        }
        if (hsm.devices.length > 1 && figures.degraded < target) {
            return [
                findingAt(
                    'capacity-target',
                    service,
                    `${service.name}: hsm '${hsm.name}' carries ${figures.total}/s, but with one device lost ${+figures.degraded.toFixed(1)}/s${how}, below the throughput target ${target}/s`,
                    data
                )
            ];
        }
        return [];
    });
}
