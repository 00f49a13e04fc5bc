// Weighted quorum (DOMAIN.md §1, [G-WQ]): a partition stays Primary iff the weight of its members is
// strictly more than half of the last Primary Component's weight, less the weight of members that
// left gracefully. Crashed or cut-off members do not shrink that reference.

import type { Galera, Host } from '../model/model.js';

export interface Voter {
    host: Host;
    weight: number;
    arbitrator: boolean;
}

export function voters(cluster: Galera): Voter[] {
    return [
        ...cluster.members.map(member => ({ host: member.host, weight: member.weight, arbitrator: false })),
        ...cluster.arbitrators.map(member => ({ host: member.host, weight: member.weight, arbitrator: true }))
    ];
}

export function totalWeight(list: readonly Voter[]): number {
    return list.reduce((sum, voter) => sum + voter.weight, 0);
}

/** Is the partition that keeps `survivingWeight` Primary? `leftGracefully` shrinks the reference. */
export function isPrimary(lastPrimaryWeight: number, survivingWeight: number, leftGracefully = 0): boolean {
    return survivingWeight > (lastPrimaryWeight - leftGracefully) / 2;
}

export interface FailureOutcome {
    /** What was lost: `host:NAME` or `region:NAME`. */
    failure: string;
    lostWeight: number;
    survivingWeight: number;
    totalWeight: number;
    primary: boolean;
}

/** The outcome of crashing a set of voters (non-graceful: the reference weight stays). */
export function outcomeOfLosing(
    failure: string,
    all: readonly Voter[],
    lost: (voter: Voter) => boolean
): FailureOutcome {
    const total = totalWeight(all);
    const lostWeight = totalWeight(all.filter(lost));
    const survivingWeight = total - lostWeight;
    return { failure, lostWeight, survivingWeight, totalWeight: total, primary: isPrimary(total, survivingWeight) };
}

/** The quorum table of a cluster: the loss of each voter's host and of each region it spans. */
export function quorumTable(cluster: Galera): FailureOutcome[] {
    const all = voters(cluster);
    const hosts = [...new Set(all.map(voter => voter.host))];
    const regions = [...new Set(all.map(voter => voter.host.region))];
    return [
        ...hosts.map(host => outcomeOfLosing(`host:${host.name}`, all, voter => voter.host === host)),
        ...(regions.length > 1
            ? regions.map(region =>
                  outcomeOfLosing(`region:${region.name}`, all, voter => voter.host.region === region)
              )
            : [])
    ];
}

/** "2.5", "3": weights are integers, halves are the only fractions. */
export function formatWeight(weight: number): string {
    return Number.isInteger(weight) ? String(weight) : weight.toFixed(1);
}
