// Pacemaker clusters (PLUMgrid's Red Hat reference architecture): a cluster needs fencing. Without
// a fence device, Pacemaker either refuses to start resources (stonith-enabled=true, the default:
// "at least one fence device must be configured before resources are allowed to run") or, with
// fencing disabled, assumes an unresponsive node runs nothing and recovers its resources elsewhere
// while it may still hold them ([PCMK-FENCE], [PCMK-OPT]).

import type { TopologyModel } from '../model/model.js';
import type { Finding } from './finding.js';
import { findingAt } from './finding-factory.js';

const DISABLED = new Set(['off', 'false', 'none', 'disabled']);

export function checkPacemaker(model: TopologyModel): Finding[] {
    return model.pacemakers.flatMap(cluster => {
        const nodes = cluster.nodes.length;
        if (cluster.fencing === undefined) {
            return [
                findingAt(
                    'pacemaker-fencing',
                    cluster,
                    `pacemaker '${cluster.name}' (${nodes} nodes) has no fencing: with stonith-enabled (the default) it starts no resources until a fence device exists; write \`fencing <agent>\` (fence_ipmilan …)`,
                    { nodes }
                )
            ];
        }
        if (DISABLED.has(cluster.fencing)) {
            return [
                findingAt(
                    'pacemaker-fencing',
                    cluster,
                    `pacemaker '${cluster.name}' (${nodes} nodes) runs with fencing ${cluster.fencing}: a node that stops answering is assumed to hold nothing, and its ${cluster.vips.length + cluster.activePassive.length} VIPs and active/passive resources start elsewhere while it may still hold them`,
                    { nodes, fencing: cluster.fencing }
                )
            ];
        }
        return [];
    });
}
