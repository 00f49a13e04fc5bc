// What the export tests prove the real programs with: every example and a generated topology that
// uses every exporter and option (TLS, interfaces, management, queue type …), exported by the real
// writer into a scratch folder.

import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { exportAll } from '../../language/export/export-all.js';
import type { ExportFile } from '../../language/export/export-file.js';
import { buildModel } from '../../language/model/build-model.js';
import type { TopologyModel } from '../../language/model/model.js';
import { writeExport } from '../../server/export-writer.js';
import { check } from '../helpers.js';

const ROOT = path.resolve(import.meta.dirname, '../..');

/** Three regions, segmented Galera with weights, a VIP pair per region, a public and a management zone. */
export function generatedTopology(): string {
    const lines = ['topology generated "three regions, every exporter"'];
    const regions = ['east', 'west', 'north'];
    const roles = ['db', 'api', 'lb1', 'lb2', 'mc', 'mq'];
    regions.forEach((region, r) => {
        lines.push(
            `region ${region} 10.${50 + r}.0.0/16 {`,
            `  zone ${region}-int 10.${50 + r}.1.0/24 trust internal {`
        );
        for (const role of roles)
            lines.push(
                `    host ${region}-${role} 10.${50 + r}.1.${10 + roles.indexOf(role)}${role.startsWith('lb') ? ' interface ens3' : ''}`
            );
        lines.push('  }');
        lines.push(
            `  zone ${region}-dmz 10.${50 + r}.9.0/24 trust public {`,
            `    host ${region}-web 10.${50 + r}.9.10`,
            '  }'
        );
        lines.push('}');
        lines.push(
            `vip ${region}-vip 10.${50 + r}.1.100 vrid ${60 + r} { master ${region}-lb1 priority 150; backup ${region}-lb2 priority 100; unicast }`
        );
        lines.push(
            `haproxy ${region}-lb {`,
            `  nodes ${region}-lb1, ${region}-lb2`,
            '  bufsize 32k',
            '  timeout client 90s',
            `  frontend api bind ${region}-vip port 5000 backend api tls`,
            `  frontend db bind ${region}-vip port 3306 backend galera`,
            `  backend api mode http check "GET /v3" {`,
            `    server ${region}-api port 5000`,
            '  }',
            `  backend galera mode tcp {`,
            ...regions.map((other, i) => `    server ${other}-db port 3306${i === r ? '' : ' backup'}`),
            '  }',
            '}'
        );
        lines.push(`memcached ${region}-cache { servers ${region}-mc memory 256MiB threads 2 }`);
    });
    lines.push(
        'region ops 10.60.0.0/16 {',
        '  zone ops-admin 10.60.1.0/24 trust management {',
        '    host ops-bastion 10.60.1.10',
        '  }',
        '}',
        'manage from 10.60.2.0/24 ports 22, 9100'
    );
    lines.push(
        'galera db {',
        `  members east-db weight 2, west-db, north-db`,
        '  sst mariabackup',
        '  segments by region',
        '  option evs.suspect_timeout = PT30S',
        '  option wsrep_slave_threads = 4',
        '}'
    );
    lines.push('rabbitmq mq { members east-mq, west-mq, north-mq  partition_handling pause_minority  queues quorum }');
    lines.push(
        `service keystone port 5000 {`,
        `  nodes east-api, west-api, north-api`,
        '  frontend east-vip',
        '  database db via east-vip',
        '  cache east-cache, west-cache',
        '  queue mq',
        '  token fernet expiration 24h',
        '}'
    );
    lines.push(
        'link east <-> west { allow tcp 3306, 4567, 4568, 4444, 5672, 25672, 4369, 9200, 11211 }',
        'link east <-> north { }',
        'link west <-> north { }'
    );
    return lines.join('\n') + '\n';
}

export interface Exported {
    name: string;
    folder: string;
    model: TopologyModel;
    files: ExportFile[];
}

/** Every example and the generated topology, each exported into `scratch/<name>/`. */
export async function exportEverything(scratch: string): Promise<Exported[]> {
    const sources = [
        ...readdirSync(path.join(ROOT, 'examples'))
            .filter(f => f.endsWith('.hatopo'))
            .sort()
            .map(f => ({ name: f, text: readFileSync(path.join(ROOT, 'examples', f), 'utf8') })),
        { name: 'generated.hatopo', text: generatedTopology() }
    ];
    const exported: Exported[] = [];
    for (const { name, text } of sources) {
        const model = buildModel([await check(text, name)]);
        const files = exportAll(model);
        const folder = path.join(scratch, name.replace('.hatopo', ''));
        await writeExport(folder, files);
        exported.push({ name, folder, model, files });
    }
    return exported;
}

/** Every exported file of one kind, with where it was written and which topology it came from. */
export function filesNamed(exported: readonly Exported[], base: string) {
    return exported.flatMap(e =>
        e.files
            .filter(f => path.basename(f.path) === base)
            .map(f => ({
                ...f,
                file: path.join(e.folder, f.path),
                host: path.dirname(f.path),
                example: e.name,
                exported: e
            }))
    );
}
