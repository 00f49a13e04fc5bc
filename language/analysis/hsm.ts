// HSM groups (DOMAIN.md §7): a Luna HA group needs two or more members, and HA-only mode so slot
// numbers stay stable through a failover ([LUNA5-HA], [LUNA-HAONLY]).

import type { TopologyModel } from '../model/model.js';
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
