// Model → every file of every host, plus the inventory. Pure: the writer does the file system work.

import type { ModelProblem, TopologyModel } from '../model/model.js';
import { exportClustercheck } from './clustercheck.js';
import type { ExportFile } from './export-file.js';
import { exportGalera } from './galera.js';
import { exportHaproxy } from './haproxy.js';
import { exportInventory } from './inventory.js';
import { exportKeepalived } from './keepalived.js';
import { exportKeystone } from './keystone.js';
import { exportMemcached } from './memcached.js';
import { exportNftables } from './nftables.js';
import { exportRabbitmq } from './rabbitmq.js';
import { exportSysctl } from './sysctl.js';

export function exportAll(model: TopologyModel): ExportFile[] {
    return [
        ...exportHaproxy(model),
        ...exportSysctl(model),
        ...exportKeepalived(model),
        ...exportGalera(model),
        ...exportClustercheck(model),
        ...exportNftables(model),
        ...exportMemcached(model),
        ...exportRabbitmq(model),
        ...exportKeystone(model),
        ...exportInventory(model)
    ].sort((a, b) => a.path.localeCompare(b.path));
}

/**
 * Why the model cannot be exported: every invalid value (a port out of range, a string its config
 * file would misread …). These come from the model itself, so no setting or suppression hides them.
 */
export function exportBlockers(model: TopologyModel): ModelProblem[] {
    return model.problems.filter(problem => problem.rule === 'invalid-value');
}
