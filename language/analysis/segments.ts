// gmcast.segment of each Galera voter: written on the member, else one per region with
// `segments by region` (regions numbered in name order), else the cluster-wide provider option, else
// Galera's default 0 [G-PAR]. The rule that wants one segment per site and the exporter that writes
// galera.cnf both read it from here.

import type { Galera, GaleraMember } from '../model/model.js';
import { providerOption } from './galera-options.js';

export interface Segment {
    segment: number;
    /** Whether the model says so (false: Galera's default 0 applies). */
    written: boolean;
}

export function segmentOf(cluster: Galera): (member: GaleraMember) => Segment {
    const voters = [...cluster.members, ...cluster.arbitrators];
    const regions = [...new Set(voters.map(member => member.host.region.name))].sort();
    const clusterWide = Number(providerOption(cluster, 'gmcast.segment'));
    return member => {
        if (member.segment !== undefined) return { segment: member.segment, written: true };
        if (cluster.segmentByRegion) return { segment: regions.indexOf(member.host.region.name), written: true };
        if (Number.isInteger(clusterWide)) return { segment: clusterWide, written: true };
        return { segment: 0, written: false };
    };
}

/** Segments that voters of different regions share: `segment → regions`. */
export function sharedSegments(cluster: Galera): Map<number, string[]> {
    const segment = segmentOf(cluster);
    const regions = new Map<number, Set<string>>();
    for (const member of [...cluster.members, ...cluster.arbitrators]) {
        const { segment: number } = segment(member);
        regions.set(number, (regions.get(number) ?? new Set()).add(member.host.region.name));
    }
    return new Map(
        [...regions].filter(([, names]) => names.size > 1).map(([number, names]) => [number, [...names].sort()])
    );
}
