// Rate limits on the request path against the throughput target: Repose's global limit
// (`rate-limit`, its global-limit-group) answers 503 beyond it for all users together
// ([REPOSE-RL]), so a limit below the target caps the service below its promise. Standby
// (blue/green) services do not carry production traffic and are not compared.

import type { TopologyModel } from '../model/model.js';
import type { Finding } from './finding.js';
import { findingAt } from './finding-factory.js';
import { liveServices } from './standby.js';

export function checkRateLimits(model: TopologyModel): Finding[] {
    const target = model.targets.throughputPerSecond;
    if (target === undefined || !Number.isFinite(target)) return [];
    return liveServices(model).flatMap(service =>
        service.path.flatMap((hop, index) => {
            const limit = hop.settings.get('rate-limit')?.[0];
            if (limit === undefined || !Number.isFinite(limit) || limit >= target) return [];
            return [
                findingAt(
                    'rate-limit-target',
                    service,
                    `${service.name}: hop ${index + 1} ${hop.kind} rate-limits to ${limit}/s, below the throughput target ${target}/s; beyond it ${hop.kind} answers 503`,
                    { hop: hop.kind, hopIndex: index, limit, target },
                    { range: hop.source }
                )
            ];
        })
    );
}
