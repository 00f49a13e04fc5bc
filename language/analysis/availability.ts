// Availability from the model (DOMAIN.md §8), independent failures assumed: series = Π A_i,
// parallel (1-of-n) = 1 − Π(1 − A_i), quorum = P(surviving weight > W/2), computed exactly by a
// dynamic programme over surviving weight (the weighted k-of-n of [REL-KN] without enumerating
// 2^n subsets). Links and power are not modelled: they count as always up.

import { DEFAULTS } from '../model/defaults.js';
import type { Host, Service, TopologyModel } from '../model/model.js';
import type { Finding } from './finding.js';
import { findingAt } from './finding-factory.js';
import { hsmCapacity } from './hsm.js';
import { vipServers } from './load-balancers.js';
import { voters } from './quorum.js';

export function hostAvailability(host: Host): number {
    return host.availability !== undefined && Number.isFinite(host.availability)
        ? host.availability
        : DEFAULTS.hostAvailability;
}

export function series(parts: readonly number[]): number {
    return parts.reduce((product, a) => product * a, 1);
}

export function parallel(parts: readonly number[]): number {
    return parts.length === 0 ? 0 : 1 - parts.reduce((product, a) => product * (1 - a), 1);
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
}

export function serviceAvailability(service: Service, model: TopologyModel): ServiceAvailability {
    const parts: Record<string, number> = {};
    if (service.frontends.length > 0) {
        // Only holders that run the VIP's haproxy serve it (load-balancers.ts).
        parts['load balancers'] = parallel(
            service.frontends.map(vip => parallel(vipServers(vip, model).serving.map(hostAvailability)))
        );
    }
    parts['API nodes'] = parallel(service.nodes.map(hostAvailability));
    if (service.database) {
        parts[`galera ${service.database.name}`] = quorumAvailability(
            voters(service.database).map(voter => ({
                weight: voter.weight,
                availability: hostAvailability(voter.host)
            }))
        );
    }
    if (service.queue) {
        parts[`rabbitmq ${service.queue.name}`] = quorumAvailability(
            service.queue.members.map(host => ({ weight: 1, availability: hostAvailability(host) }))
        );
    }
    if (service.hsm) parts[`hsm ${service.hsm.name}`] = parallel(service.hsm.members.map(hostAvailability));
    return { service, availability: series(Object.values(parts)), parts };
}

/** The control plane works when every service works. */
export function topologyAvailability(model: TopologyModel): number {
    return series(model.services.map(service => serviceAvailability(service, model).availability));
}

/** Enough decimals to tell 99.99999 % from 100 %, no trailing zeros. */
export function formatPercent(availability: number): string {
    return `${(availability * 100).toFixed(6).replace(/\.?0+$/, '')} %`;
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
        if (computed < target) {
            const weakest = model.services
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
        if (computed.availability < service.availability) {
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
    return [...findings, ...singlePoints(model), ...capacity(model)];
}

function singlePoints(model: TopologyModel): Finding[] {
    const findings: Finding[] = [];
    for (const service of model.services) {
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

function capacity(model: TopologyModel): Finding[] {
    const target = model.targets.throughputPerSecond;
    if (target === undefined || !Number.isFinite(target)) return [];
    return model.services.flatMap(service => {
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
