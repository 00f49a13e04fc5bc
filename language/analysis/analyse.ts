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

export function analyse(model: TopologyModel): Finding[] {
    const problems = model.problems.map(problem =>
        findingAt(problem.rule, problem.element, problem.message, problem.data ?? {}, { range: problem.source })
    );
    return withoutCutShort(model, [
        ...problems,
        ...checkConsistency(model),
        ...checkGalera(model),
        ...checkRabbitMQ(model),
        ...checkVrrp(model),
        ...checkHsm(model),
        ...checkPacemaker(model),
        ...checkServiceModes(model),
        ...checkDns(model),
        ...checkRateLimits(model),
        ...checkHeaders(model),
        ...checkPorts(model),
        ...checkManagement(model),
        ...checkAvailability(model)
    ]);
}
