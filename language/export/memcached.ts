// memcached.conf per pool server: Debian's /etc/memcached.conf, one command-line option per line
// (DOMAIN.md §6): the server's own address, the pool's port, UDP off ([MC-156]), memory, threads.

import type { TopologyModel } from '../model/model.js';
import { header, hostFolder, type ExportFile } from './export-file.js';

export function exportMemcached(model: TopologyModel): ExportFile[] {
    return model.memcacheds.flatMap(pool =>
        pool.servers.map(server => ({
            path: `${hostFolder(server.name)}/memcached.conf`,
            content: [
                header(`memcached.conf for ${server.name}, pool '${pool.name}'`, '/etc/memcached.conf').trimEnd(),
                `-l ${server.address}`,
                `-p ${pool.port}`,
                '-U 0',
                `-m ${pool.memoryBytes !== undefined ? Math.max(1, Math.round(pool.memoryBytes / 1024 ** 2)) : 64}`,
                `-t ${pool.threads ?? 4}`,
                '-c 1024',
                ...(pool.sasl ? ['-S'] : []),
                ''
            ].join('\n')
        }))
    );
}
