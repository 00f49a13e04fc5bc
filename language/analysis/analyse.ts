// The engine's entry: model → findings. Every rule family adds its checks here.

import type { TopologyModel } from '../model/model.js';
import { checkAvailability } from './availability.js';
import { checkConsistency } from './consistency.js';
import { withoutCutShort } from './cut-short.js';
import type { Finding } from './finding.js';
import { checkGalera } from './galera.js';
import { checkHeaders } from './headers.js';
import { checkHsm } from './hsm.js';
import { checkManagement } from './management.js';
import { checkPorts } from './ports.js';
import { checkRabbitMQ } from './rabbitmq.js';
import { findingAt } from './finding-factory.js';
import { checkVrrp } from './vrrp.js';
import { checkPacemaker } from './pacemaker.js';
import { checkServiceModes } from './service-mode.js';
import { checkDns } from './dns.js';
import { checkRateLimits } from './rate-limits.js';

/** A rule family: one concern's checks over the whole model. */
export interface RuleFamily {
    name: string;
    check(model: TopologyModel): Finding[];
}

/**
 * The families in the order their findings are listed. Each can be run on its own: the editor runs
 * them one at a time so a keystroke can cancel between two, and the bench times each.
 */
export const RULE_FAMILIES: readonly RuleFamily[] = [
    {
        name: 'invalid values',
        check: model =>
            model.problems.map(problem =>
                findingAt(problem.rule, problem.element, problem.message, problem.data ?? {}, { range: problem.source })
            )
    },
    { name: 'consistency', check: checkConsistency },
    { name: 'galera', check: checkGalera },
    { name: 'rabbitmq', check: checkRabbitMQ },
    { name: 'vrrp', check: checkVrrp },
    { name: 'hsm', check: checkHsm },
    { name: 'pacemaker', check: checkPacemaker },
    { name: 'service modes', check: checkServiceModes },
    { name: 'dns', check: checkDns },
    { name: 'rate limits', check: checkRateLimits },
    { name: 'headers', check: checkHeaders },
    { name: 'ports', check: checkPorts },
    { name: 'management', check: checkManagement },
    { name: 'availability', check: checkAvailability }
];

export function analyse(model: TopologyModel): Finding[] {
    return withoutCutShort(
        model,
        RULE_FAMILIES.flatMap(family => family.check(model))
    );
}
