// The engine's entry: model → findings. Every rule family adds its checks here.

import type { TopologyModel } from '../model/model.js';
import { checkAvailability } from './availability.js';
import { checkConsistency } from './consistency.js';
import type { Finding } from './finding.js';
import { checkGalera } from './galera.js';
import { checkHeaders } from './headers.js';
import { checkHsm } from './hsm.js';
import { checkManagement } from './management.js';
import { checkPorts } from './ports.js';
import { checkRabbitMQ } from './rabbitmq.js';
import { ruleInfo } from './rules.js';
import { checkVrrp } from './vrrp.js';

export function analyse(model: TopologyModel): Finding[] {
    const problems: Finding[] = model.problems.map(problem => ({
        rule: problem.rule,
        severity: ruleInfo(problem.rule).severity,
        message: problem.message,
        range: problem.source,
        ...(problem.data ? { data: problem.data } : {})
    }));
    return [
        ...problems,
        ...checkConsistency(model),
        ...checkGalera(model),
        ...checkRabbitMQ(model),
        ...checkVrrp(model),
        ...checkHsm(model),
        ...checkHeaders(model),
        ...checkPorts(model),
        ...checkManagement(model),
        ...checkAvailability(model)
    ];
}
