// `hatopo export`: the configs of one topology, one folder per host, by the same exporters and
// writer as the editor's "Export Configs".

import { exportAll } from '../language/export/export-all.js';
import { defineCommand } from './cli-command.js';
import { exportBlock, exportBlockMessage } from './export-gate.js';
import { writeExport } from './export-writer.js';
import { findHatopoFiles, InputError, loadTopology, topologies } from './load-topology.js';
import { relativeFile } from './report.js';

export const exportCommand = defineCommand({
    name: 'export',
    summary: 'Write the configs of a topology: one folder per host, and an inventory for Kolla-Ansible.',
    details:
        'haproxy.cfg, keepalived.conf, galera.cnf, clustercheck, nftables.conf, memcached.conf, rabbitmq.conf, keystone.conf …\n' +
        'Never writes outside DIR; refuses to overwrite files edited since the last export unless --force;\n' +
        'never writes through a symbolic link; refuses a topology with syntax or reference errors or invalid values\n' +
        '(nothing is written then). docs/export.md lists every file and setting.',
    operands: { name: 'FILE', min: 1, max: 1, error: 'export takes one .hatopo file and --out DIR' },
    options: {
        out: { type: 'string', value: 'DIR', required: true, help: 'the folder to write into (created if missing)' },
        force: { type: 'boolean', help: 'overwrite files edited since the last export' }
    },
    async run(options, [file]) {
        const out = options.out;
        const { services, documents } = await loadTopology(await findHatopoFiles([file]));
        const [topology] = topologies(services, documents.slice(0, 1));
        const block = exportBlock(documents, topology.model);
        if (block) throw new InputError(exportBlockMessage(block, relativeFile(block.uri)));
        const result = await writeExport(out, exportAll(topology.model), { force: options.force });
        process.stdout.write(
            `hatopo: ${result.written.length} files written, ${result.unchanged.length} unchanged in ${out}\n`
        );
        return 0;
    }
});
