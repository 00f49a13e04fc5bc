// Model → every file of every host, plus the inventory. Pure: the writer does the file system work.

import type { TopologyModel } from '../model/model.js';
import type { ExportFile } from './export-file.js';
import { exportGalera } from './galera.js';
import { exportHaproxy } from './haproxy.js';
import { exportKeepalived } from './keepalived.js';
import { exportNftables } from './nftables.js';
import { exportInventory, exportKeystone, exportMemcached, exportRabbitmq } from './services.js';

export function exportAll(model: TopologyModel): ExportFile[] {
    return [
        ...exportHaproxy(model),
        ...exportKeepalived(model),
        ...exportGalera(model),
        ...exportNftables(model),
        ...exportMemcached(model),
        ...exportRabbitmq(model),
        ...exportKeystone(model),
        ...exportInventory(model)
    ].sort((a, b) => a.path.localeCompare(b.path));
}
