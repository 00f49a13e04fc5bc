// Services that must not run on several nodes at once. cinder-volume: "Cinder-Volume is A/P due
// to potential race conditions" (PLUMgrid, after the Red Hat reference); the Kolla spec adds
// that with LVM it cannot be deployed reliably even active/passive. Since Ocata a cinder-volume
// can run active/active inside a Cinder cluster (`[DEFAULT] cluster`) with a driver that supports
// it ([CINDER-HA]); hatopo does not model that setting, so such a deployment silences the rule.

import type { TopologyModel } from '../model/model.js';
import type { Finding } from './finding.js';
import { findingAt } from './finding-factory.js';

/** Service kinds that run active/passive only. */
export const ACTIVE_PASSIVE_ONLY = new Set(['cinder-volume']);

export function checkServiceModes(model: TopologyModel): Finding[] {
    return model.services.flatMap(service => {
        if (!ACTIVE_PASSIVE_ONLY.has(service.serviceKind) || service.mode !== 'active-active') return [];
        const nodes = service.nodes.length;
        if (nodes < 2) return [];
        return [
            findingAt(
                'service-mode',
                service,
                `${service.name}: ${service.serviceKind} runs active/active on ${nodes} nodes; it must run active/passive (race conditions on the same volumes): write \`mode active-passive\`, or make it a Pacemaker active-passive resource`,
                { serviceKind: service.serviceKind, mode: service.mode, nodes }
            )
        ];
    });
}
