// HSM groups (DOMAIN.md §7): a Luna HA group needs two or more members, and HA-only mode so slot
// numbers stay stable through a failover ([LUNA5-HA], [LUNA-HAONLY]).

import type { HsmGroup, TopologyModel } from '../model/model.js';
import type { Finding } from './finding.js';
import { findingAt } from './finding-factory.js';

export function checkHsm(model: TopologyModel): Finding[] {
    return model.hsms.flatMap(group => {
        if (group.members.length < 2) {
            return [
                findingAt(
                    'hsm-pair',
                    group,
                    `hsm '${group.name}' has ${group.members.length} member${group.members.length === 1 ? '' : 's'}: an HA group needs at least 2`,
                    { members: group.members.length }
                )
            ];
        }
        if (!group.haOnly) {
            return [
                findingAt(
                    'hsm-pair',
                    group,
                    `hsm '${group.name}' is not in HA-only mode: clients see physical slots, whose numbers change on failover (write \`haonly\`)`,
                    { haOnly: false },
                    { severity: 'warning' }
                )
            ];
        }
        return [];
    });
}

export interface HsmCapacity {
    /** Operations a second with every device up. */
    total: number;
    /** With the strongest device lost: what an HA group must still carry. */
    degraded: number;
    /** Whether the figures come from each device, or from the group's figure shared equally. */
    perDevice: boolean;
}

/** The group's capacity, from its devices' figures, or from the group's figure (shared equally). */
export function hsmCapacity(group: HsmGroup): HsmCapacity | undefined {
    const devices = group.devices.map(device => device.capacityPerSecond);
    if (devices.length > 0 && devices.every(value => value !== undefined && Number.isFinite(value))) {
        const values = devices as number[];
        const total = values.reduce((sum, value) => sum + value, 0);
        return { total, degraded: total - Math.max(...values), perDevice: true };
    }
    const total = group.capacityPerSecond;
    if (total === undefined || !Number.isFinite(total)) return undefined;
    const count = Math.max(1, group.devices.length);
    return { total, degraded: (total * (count - 1)) / count, perDevice: false };
}
