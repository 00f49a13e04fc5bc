// The engine's entry: model → findings. Every rule family adds its checks here.

import type { TopologyModel } from '../model/model.js';
import { checkAvailability } from './availability.js';
import { checkConsistency } from './consistency.js';
import type { Finding } from './finding.js';
import { checkGalera } from './galera.js';
import { checkHeaders } from './headers.js';
import { checkHsm } from './hsm.js';
import { checkPorts } from './ports.js';
import { checkRabbitMQ } from './rabbitmq.js';
import { findingAt } from './finding-factory.js';
import { checkVrrp } from './vrrp.js';

export function analyse(model: TopologyModel): Finding[] {
    const problems = model.problems.map(problem =>
        findingAt(problem.rule, problem.element, problem.message, problem.data ?? {}, { range: problem.source })
    );
    return [
        ...problems,
        ...checkConsistency(model),
        ...checkGalera(model),
        ...checkRabbitMQ(model),
        ...checkVrrp(model),
        ...checkHsm(model),
        ...checkHeaders(model),
        ...checkPorts(model),
        ...checkAvailability(model)
    ];
}
