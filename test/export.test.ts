// Exported files are accepted by the real programs: haproxy -c -dW, keepalived -t -e (in a
// namespace with the exported interface), mariadbd --help --verbose with no option warning and a
// one-node cluster start, nft -c (in a scratch namespace), memcached started with its file.

import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyse } from '../language/analysis/analyse.js';
import { exportAll } from '../language/export/export-all.js';
import type { ExportFile } from '../language/export/export-file.js';
import { buildModel } from '../language/model/build-model.js';
import { writeExport } from '../server/export-writer.js';
import { check } from './helpers.js';
import { Namespace, requirePrograms } from './lab/netns.js';

const root = path.resolve(import.meta.dirname, '..');
const scratch = mkdtempSync(path.join(tmpdir(), 'hatopo-export-'));
chmodSync(scratch, 0o755); // mariadbd runs as mysql and must reach its datadir below

/** A generated topology: three regions, segmented Galera with weights, a VIP pair per region. */
export function generatedTopology(): string {
    const lines = ['topology generated "three regions, every exporter"'];
    const regions = ['east', 'west', 'north'];
    regions.forEach((region, r) => {
        lines.push(
            `region ${region} 10.${50 + r}.0.0/16 {`,
            `  zone ${region}-int 10.${50 + r}.1.0/24 trust internal {`
        );
        for (const role of ['db', 'api', 'lb1', 'lb2', 'mc', 'mq'])
            lines.push(
                `    host ${region}-${role} 10.${50 + r}.1.${10 + ['db', 'api', 'lb1', 'lb2', 'mc', 'mq'].indexOf(role)}`
            );
        lines.push('  }', '}');
        lines.push(
            `vip ${region}-vip 10.${50 + r}.1.100 vrid ${60 + r} { master ${region}-lb1 priority 150; backup ${region}-lb2 priority 100; unicast }`
        );
        lines.push(
            `haproxy ${region}-lb {`,
            `  nodes ${region}-lb1, ${region}-lb2`,
            '  bufsize 32k',
            '  timeout client 90s',
            `  frontend api bind ${region}-vip port 5000 backend api`,
            `  frontend db bind ${region}-vip port 3306 backend galera`,
            `  backend api mode http check "/v3" {`,
            `    server ${region}-api port 5000`,
            '  }',
            `  backend galera mode tcp check mysql {`,
            ...regions.map((other, i) => `    server ${other}-db port 3306${i === r ? '' : ' backup'}`),
            '  }',
            '}'
        );
        lines.push(`memcached ${region}-cache { servers ${region}-mc memory 256MiB threads 2 }`);
    });
    lines.push(
        'galera db {',
        `  members east-db weight 2, west-db, north-db`,
        '  sst mariabackup',
        '  segments by region',
        '  option evs.suspect_timeout = PT30S',
        '  option wsrep_slave_threads = 4',
        '}'
    );
    lines.push('rabbitmq mq { members east-mq, west-mq, north-mq  partition_handling pause_minority }');
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
        'link east <-> west { allow tcp 3306, 4567, 4568, 4444, 5672, 25672, 4369, 11211 }',
        'link east <-> north { }',
        'link west <-> north { }'
    );
    return lines.join('\n') + '\n';
}

interface Exported {
    name: string;
    folder: string;
    files: ExportFile[];
}
const exported: Exported[] = [];

beforeAll(async () => {
    requirePrograms('haproxy', 'keepalived', 'mariadbd', 'mariadb-install-db', 'nft', 'memcached', 'ip');
    const sources = [
        ...readdirSync(path.join(root, 'examples'))
            .filter(f => f.endsWith('.hatopo'))
            .map(f => ({ name: f, text: readFileSync(path.join(root, 'examples', f), 'utf8') })),
        { name: 'generated.hatopo', text: generatedTopology() }
    ];
    for (const { name, text } of sources) {
        const model = buildModel([await check(text, name)]);
        const files = exportAll(model);
        const folder = path.join(scratch, name.replace('.hatopo', ''));
        await writeExport(folder, files);
        exported.push({ name, folder, files });
    }
}, 60_000);

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const filesNamed = (base: string) =>
    exported.flatMap(e =>
        e.files
            .filter(f => path.basename(f.path) === base)
            .map(f => ({ ...f, file: path.join(e.folder, f.path), example: e.name }))
    );

describe('exported files in the real programs', () => {
    it('every example and the generated topology export every kind of file it models', () => {
        const generated = exported.find(e => e.name === 'generated.hatopo')!;
        const kinds = new Set(generated.files.map(f => path.basename(f.path)));
        expect([...kinds].sort()).toEqual([
            'galera.cnf',
            'globals.yml',
            'haproxy.cfg',
            'keepalived.conf',
            'keystone.conf',
            'memcached.conf',
            'multinode',
            'nftables.conf',
            'rabbitmq.conf'
        ]);
        expect(filesNamed('haproxy.cfg').length).toBeGreaterThan(6);
        expect(filesNamed('galera.cnf').length).toBeGreaterThan(6);
    });

    it('haproxy -c -dW accepts every haproxy.cfg', () => {
        for (const { file, example } of filesNamed('haproxy.cfg')) {
            const result = spawnSync('haproxy', ['-c', '-dW', '-f', file], { encoding: 'utf8' });
            expect(result.status, `${example} ${file}: ${result.stdout}${result.stderr}`).toBe(0);
        }
    });

    it('keepalived -t -e accepts every keepalived.conf in a namespace with its interface', () => {
        const namespace = new Namespace();
        try {
            for (const { file, example } of filesNamed('keepalived.conf')) {
                const result = namespace.try('keepalived', ['-t', '-e', '-f', file]);
                expect(result.status, `${example} ${file}: ${result.output}`).toBe(0);
            }
        } finally {
            namespace.dispose();
        }
    });

    it('nft -c accepts every nftables.conf in a scratch namespace', () => {
        const namespace = new Namespace();
        try {
            for (const { file, example } of filesNamed('nftables.conf')) {
                const result = namespace.try('nft', ['-c', '-f', file]);
                expect(result.status, `${example} ${file}: ${result.output}`).toBe(0);
            }
        } finally {
            namespace.dispose();
        }
    });

    it('mariadbd reads every galera.cnf without an option warning', () => {
        for (const { file, example } of filesNamed('galera.cnf')) {
            const result = spawnSync('mariadbd', [`--defaults-file=${file}`, '--user=mysql', '--help', '--verbose'], {
                encoding: 'utf8'
            });
            expect(result.status, `${example} ${file}: ${result.stderr}`).toBe(0);
            expect(result.stderr, `${example} ${file}`).not.toMatch(/\[Warning\] option|unknown (variable|option)/i);
        }
    });

    it('memcached starts with its file and listens where the model says', () => {
        const { file, content } = filesNamed('memcached.conf').find(f => f.example === 'generated.hatopo')!;
        const args = content
            .split('\n')
            .filter(line => line.startsWith('-'))
            .flatMap(line => line.split(/\s+/));
        const address = args[args.indexOf('-l') + 1];
        const namespace = new Namespace([address]);
        try {
            namespace.exec('memcached', [...args, '-u', 'memcache', '-d', '-P', path.join(scratch, 'memcached.pid')]);
            let stats = '';
            for (let i = 0; i < 20 && !stats.includes('STAT tcpport'); i++) {
                stats = namespace.try(
                    'bash',
                    [
                        '-c',
                        `exec 3<>/dev/tcp/${address}/11211; printf 'stats settings\\r\\nquit\\r\\n' >&3; timeout 2 cat <&3`
                    ],
                    5000
                ).output;
            }
            expect(stats, file).toContain('STAT tcpport 11211');
            expect(stats).toContain('STAT udpport 0');
            expect(stats).toContain('STAT maxbytes 268435456');
        } finally {
            namespace.dispose();
        }
    });

    it('a galera.cnf of each cluster starts a one-node Primary cluster, unmodified', () => {
        const firstPerCluster = new Map<string, { file: string; content: string }>();
        for (const entry of filesNamed('galera.cnf')) {
            const cluster = `${entry.example}:${/wsrep_cluster_name = (.+)/.exec(entry.content)![1]}`;
            if (!firstPerCluster.has(cluster)) firstPerCluster.set(cluster, entry);
        }
        for (const [cluster, { file, content }] of firstPerCluster) {
            const address = /wsrep_node_address = (.+)/.exec(content)![1];
            const node = path.join(scratch, `node-${cluster.replace(/\W/g, '_')}`);
            mkdirSync(node, { recursive: true });
            chownSync(node, uid('mysql'), uid('mysql'));
            const namespace = new Namespace([address]);
            try {
                namespace.exec(
                    'mariadb-install-db',
                    [
                        '--no-defaults',
                        '--user=mysql',
                        `--datadir=${node}/data`,
                        '--skip-test-db',
                        '--auth-root-authentication-method=normal'
                    ],
                    { timeout: 60_000 }
                );
                const started = spawnSync('ip', [
                    'netns',
                    'exec',
                    namespace.name,
                    'sh',
                    '-c',
                    `mariadbd --defaults-file=${file} --user=mysql --datadir=${node}/data --socket=${node}/sock --pid-file=${node}/pid ` +
                        `--log-error=${node}/err.log --tmpdir=${node} --skip-name-resolve --wsrep-new-cluster >/dev/null 2>&1 &`
                ]);
                expect(started.status).toBe(0);
                let state = '';
                for (let i = 0; i < 60 && !state.includes('Synced'); i++) {
                    spawnSync('sleep', ['0.5']);
                    state = namespace.try(
                        'mariadb',
                        [`--socket=${node}/sock`, '-uroot', '-N', '-e', "SHOW STATUS LIKE 'wsrep_local_state_comment'"],
                        5000
                    ).output;
                }
                const log = (() => {
                    try {
                        return readFileSync(`${node}/err.log`, 'utf8');
                    } catch {
                        return '';
                    }
                })();
                expect(state, `${cluster}: ${log.split('\n').slice(-15).join('\n')}`).toContain('Synced');
                const status = namespace.try(
                    'mariadb',
                    [`--socket=${node}/sock`, '-uroot', '-N', '-e', "SHOW STATUS LIKE 'wsrep_cluster_status'"],
                    5000
                ).output;
                expect(status).toContain('Primary');
            } finally {
                namespace.dispose();
            }
        }
    }, 240_000);
});

describe('analysis of the generated topology', () => {
    it('is clean of consistency errors', async () => {
        const model = buildModel([await check(generatedTopology(), 'generated-analysis.hatopo')]);
        const rules = analyse(model).map(f => f.rule);
        for (const rule of ['duplicate-name', 'duplicate-address', 'address-outside-subnet', 'invalid-value'])
            expect(rules).not.toContain(rule);
    });
});

function uid(user: string): number {
    return Number(spawnSync('id', ['-u', user], { encoding: 'utf8' }).stdout.trim());
}
