// Exported files are accepted by the real programs, for every example and a generated topology:
// haproxy -c -dW (with the TLS certificates present), keepalived -t -e (in a namespace with the
// exported interfaces), nft -c (in a scratch namespace; loading twice leaves other tables alone),
// mariadbd --help --verbose (no warning; wsrep_provider_options read back as the model merged it),
// a one-node Galera start per cluster with its clustercheck answering 200 while Synced and 503 once
// desynced, systemd-analyze verify for the clustercheck units, sysctl -p, memcached started with
// its file, and RabbitMQ booted from each cluster's rabbitmq.conf and definitions.json.

import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyse } from '../language/analysis/analyse.js';
import { buildModel } from '../language/model/build-model.js';
import { check } from './helpers.js';
import { exportEverything, filesNamed, generatedTopology, type Exported } from './lab/exported.js';
import { Namespace, requirePrograms } from './lab/netns.js';
import {
    prepareRabbit,
    rabbitConfigReads,
    rabbitmqctl,
    rabbitOutput,
    rabbitStarted,
    startRabbit,
    stopRabbit
} from './lab/rabbitmq.js';

const scratch = mkdtempSync(path.join(tmpdir(), 'hatopo-export-'));
chmodSync(scratch, 0o755); // mariadbd runs as mysql and must reach its datadir below
let exported: Exported[] = [];

beforeAll(async () => {
    requirePrograms(
        'haproxy',
        'keepalived',
        'mariadbd',
        'mariadb-install-db',
        'nft',
        'memcached',
        'ip',
        'unshare',
        'openssl',
        'systemd-analyze',
        '/usr/lib/rabbitmq/bin/rabbitmq-server'
    );
    exported = await exportEverything(scratch);
}, 60_000);

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Runs a shell script in a private mount namespace (mounts there never reach the host). */
function inMountNamespace(script: string, timeout = 120_000) {
    const result = spawnSync('unshare', ['--mount', '--propagation', 'private', 'bash', '-c', script], {
        encoding: 'utf8',
        timeout
    });
    return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

/** MariaDB's one warning that says nothing about the file: this machine's open-files limit. */
const RLIMIT_WARNING = /\[Warning\] Could not increase number of max_open_files/;

describe('exported files in the real programs', () => {
    it('the generated topology exports every kind of file', () => {
        const generated = exported.find(e => e.name === 'generated.hatopo')!;
        expect([...new Set(generated.files.map(f => path.basename(f.path)))].sort()).toEqual([
            'clustercheck',
            'clustercheck.cnf',
            'clustercheck.socket',
            'clustercheck@.service',
            'definitions.json',
            'erlang.cookie',
            'galera.cnf',
            'globals.yml',
            'haproxy.cfg',
            'hosts-rabbitmq',
            'keepalived.conf',
            'keystone.conf',
            'memcached.conf',
            'multinode',
            'nftables.conf',
            'rabbitmq.conf',
            'sysctl-hatopo.conf'
        ]);
        expect(filesNamed(exported, 'haproxy.cfg').length).toBeGreaterThan(6);
        expect(filesNamed(exported, 'galera.cnf').length).toBeGreaterThan(6);
        expect(filesNamed(exported, 'rabbitmq.conf').length).toBeGreaterThanOrEqual(6);
    });

    it('haproxy -c -dW accepts every haproxy.cfg, its TLS certificates in place', () => {
        const files = filesNamed(exported, 'haproxy.cfg');
        const certificates = [
            ...new Set(files.flatMap(f => [...f.content.matchAll(/ ssl crt (\S+)/g)].map(m => m[1])))
        ];
        expect(certificates.length, 'the generated topology has a TLS frontend').toBeGreaterThan(0);
        for (const certificate of certificates) expect(certificate.startsWith('/etc/haproxy/')).toBe(true);
        const pem = path.join(scratch, 'test.pem');
        spawnSync('sh', [
            '-c',
            `openssl req -x509 -newkey rsa:2048 -nodes -keyout ${pem}.key -out ${pem}.crt -subj /CN=hatopo-test -days 2 2>/dev/null && cat ${pem}.crt ${pem}.key > ${pem}`
        ]);
        // /etc/haproxy holds the certificates only inside this mount namespace.
        const result = inMountNamespace(
            [
                'mount -t tmpfs tmpfs /etc/haproxy',
                ...certificates.map(c => `mkdir -p ${path.dirname(c)} && cp ${pem} ${c}`),
                ...files.map(
                    f =>
                        `haproxy -c -dW -f ${f.file} >/dev/null 2>${f.file}.check || echo "FAILED ${f.file}: $(cat ${f.file}.check)"`
                )
            ].join('\n')
        );
        expect(result.output).toBe('');
        expect(result.status).toBe(0);
    });

    it('keepalived -t -e accepts every keepalived.conf in a namespace with its interfaces', () => {
        const files = filesNamed(exported, 'keepalived.conf');
        const interfaces = new Set(
            files.flatMap(f => [...f.content.matchAll(/^ {4}interface (\S+)/gm)].map(m => m[1]))
        );
        expect(interfaces).toContain('ens3'); // the generated load balancers name theirs
        const namespace = new Namespace();
        try {
            for (const name of interfaces)
                if (name !== 'eth0')
                    namespace.exec('ip', ['link', 'add', name, 'type', 'veth', 'peer', 'name', `${name}-p`]);
            for (const { file, example } of files) {
                const result = namespace.try('keepalived', ['-t', '-e', '-f', file]);
                expect(result.status, `${example} ${file}: ${result.output}`).toBe(0);
            }
        } finally {
            namespace.dispose();
        }
    });

    it('every member of a VIP starts BACKUP with nopreempt, and gratuitous ARP is refreshed', () => {
        for (const { content, file } of filesNamed(exported, 'keepalived.conf')) {
            expect(content, file).not.toMatch(/state MASTER/);
            expect(content, file).toMatch(/state BACKUP\n {4}nopreempt/);
            expect(content, file).toContain('garp_master_refresh 60');
        }
    });

    it('nft -c accepts every nftables.conf, which replaces only its own table', () => {
        const namespace = new Namespace();
        try {
            for (const { file, example } of filesNamed(exported, 'nftables.conf')) {
                const result = namespace.try('nft', ['-c', '-f', file]);
                expect(result.status, `${example} ${file}: ${result.output}`).toBe(0);
                expect(readFileSync(file, 'utf8')).not.toMatch(/flush ruleset/);
            }
            // Another program's table survives two loads; ours is replaced, not doubled.
            namespace.exec('nft', [
                'add table inet other; add chain inet other keep { type filter hook input priority 10; }'
            ]);
            const { file } = filesNamed(exported, 'nftables.conf')[0];
            namespace.exec('nft', ['-f', file]);
            const once = namespace.exec('nft', ['list', 'table', 'inet', 'hatopo']);
            namespace.exec('nft', ['-f', file]);
            expect(namespace.exec('nft', ['list', 'table', 'inet', 'hatopo'])).toBe(once);
            expect(namespace.exec('nft', ['list', 'tables'])).toMatch(
                /table inet other[\s\S]*table inet hatopo|table inet hatopo[\s\S]*table inet other/
            );
        } finally {
            namespace.dispose();
        }
    });

    it('mariadbd reads every galera.cnf without a warning, and wsrep_provider_options as merged', () => {
        for (const { file, example, content } of filesNamed(exported, 'galera.cnf')) {
            const result = spawnSync('mariadbd', [`--defaults-file=${file}`, '--user=mysql', '--help', '--verbose'], {
                encoding: 'utf8'
            });
            expect(result.status, `${example} ${file}: ${result.stderr}`).toBe(0);
            const warnings = result.stderr.split('\n').filter(line => line.trim() && !RLIMIT_WARNING.test(line));
            expect(warnings, `${example} ${file}`).toEqual([]);
            const written = /^wsrep_provider_options = "(.*)"$/m.exec(content)![1];
            const read = /^wsrep-provider-options\s+(.*)$/m.exec(result.stdout)?.[1];
            expect(read, `${example} ${file}`).toBe(written);
            // Each option once: a modelled option replaced its default rather than adding a second.
            const names = written.split(';').map(part => part.split('=')[0]);
            expect(new Set(names).size, written).toBe(names.length);
        }
        const east = filesNamed(exported, 'galera.cnf').find(f => f.host === 'east-db')!.content;
        expect(east).toContain('gmcast.segment=0;pc.weight=2;evs.suspect_timeout=PT30S');
    });

    it('systemd-analyze verify accepts the clustercheck socket and service units', () => {
        const entries = filesNamed(exported, 'clustercheck.socket');
        const folders = entries.map((entry, i) => {
            const units = path.join(scratch, `units-${i}`);
            mkdirSync(units, { recursive: true });
            writeFileSync(path.join(units, 'clustercheck.socket'), entry.content);
            // The socket's service is the template; a template is verified as an instance of it.
            const service = readFileSync(path.join(path.dirname(entry.file), 'clustercheck@.service'));
            for (const name of ['clustercheck@.service', 'clustercheck@1.service'])
                writeFileSync(path.join(units, name), service);
            return units;
        });
        // The units run /usr/local/bin/clustercheck: the exported script is there in this mount namespace only.
        const result = inMountNamespace(
            [
                'mount -t tmpfs tmpfs /usr/local/bin',
                `install -m 755 ${path.dirname(entries[0].file)}/clustercheck /usr/local/bin/clustercheck`,
                ...folders.map(
                    units =>
                        `(systemd-analyze verify ${units}/clustercheck.socket ${units}/clustercheck@1.service 2>&1 || echo "exit $?") | grep -v '^/lib/systemd/system/' | sed 's|^|${units}: |' &`
                ),
                'wait'
            ].join('\n')
        );
        expect(entries.length).toBe(filesNamed(exported, 'galera.cnf').length);
        expect(result.output).toBe('');
        expect(result.status).toBe(0);
    });

    it('sysctl -p loads each sysctl-hatopo.conf: haproxy may bind a VIP it does not hold', () => {
        const files = filesNamed(exported, 'sysctl-hatopo.conf');
        expect(files.length).toBe(filesNamed(exported, 'haproxy.cfg').length);
        const namespace = new Namespace();
        try {
            for (const { file } of files) {
                namespace.exec('sysctl', ['-qw', 'net.ipv4.ip_nonlocal_bind=0']);
                namespace.exec('sysctl', ['-p', file]);
                expect(namespace.exec('cat', ['/proc/sys/net/ipv4/ip_nonlocal_bind']).trim(), file).toBe('1');
            }
        } finally {
            namespace.dispose();
        }
    });

    it('memcached starts with its file and listens where the model says', () => {
        const { file, content } = filesNamed(exported, 'memcached.conf').find(f => f.example === 'generated.hatopo')!;
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

    it('RabbitMQ’s config engine (cuttlefish, rabbit.schema) accepts every rabbitmq.conf', () => {
        const byCluster = new Map<string, string[]>();
        for (const entry of filesNamed(exported, 'rabbitmq.conf')) {
            const cluster = `${entry.example}:${/cluster '([^']+)'/.exec(entry.content)![1]}`;
            byCluster.set(cluster, [...(byCluster.get(cluster) ?? []), path.dirname(entry.file)]);
        }
        for (const [cluster, folders] of byCluster)
            for (const [folder, read] of rabbitConfigReads(folders))
                expect(read, `${cluster} ${folder}`).toMatch(/^OK /);
    });

    it('RabbitMQ boots from each cluster’s exported files, its default queue type set', async () => {
        const firstPerCluster = new Map<string, ReturnType<typeof filesNamed>[number]>();
        for (const entry of filesNamed(exported, 'rabbitmq.conf')) {
            const cluster = `${entry.example}:${/cluster '([^']+)'/.exec(entry.content)![1]}`;
            if (!firstPerCluster.has(cluster)) firstPerCluster.set(cluster, entry);
        }
        expect(firstPerCluster.size).toBeGreaterThanOrEqual(3);
        const nodes = [...firstPerCluster.values()].map((entry, i) =>
            prepareRabbit({
                name: entry.host,
                address: /^listeners\.tcp\.1 = ([\d.]+):/m.exec(entry.content)![1],
                exported: path.dirname(entry.file),
                scratch: path.join(scratch, `rabbit-${i}`),
                // Alone in its namespace (/32, no route): its peers fail at once instead of after ARP timeouts.
                prefix: 32
            })
        );
        try {
            for (const node of nodes) startRabbit(node);
            for (const node of nodes) {
                expect(await rabbitStarted(node, 90), `${node.exported}: ${rabbitOutput(node).slice(-1500)}`).toBe(
                    true
                );
                const vhosts = rabbitmqctl(node, ['list_vhosts', 'name', 'default_queue_type']).output;
                expect(vhosts, node.exported).toMatch(/^\/\s+quorum$/m);
            }
        } finally {
            for (const node of nodes) stopRabbit(node);
        }
    }, 180_000);

    it('a galera.cnf of each cluster starts a one-node Primary cluster, its clustercheck 200, then 503 when desynced', () => {
        const firstPerCluster = new Map<string, ReturnType<typeof filesNamed>[number]>();
        for (const entry of filesNamed(exported, 'galera.cnf')) {
            const cluster = `${entry.example}:${/wsrep_cluster_name = "(.+)"/.exec(entry.content)![1]}`;
            if (!firstPerCluster.has(cluster)) firstPerCluster.set(cluster, entry);
        }
        for (const [cluster, { file, content }] of firstPerCluster) {
            const address = /wsrep_node_address = (.+)/.exec(content)![1];
            const node = path.join(scratch, `node-${cluster.replace(/\W/g, '_')}`);
            mkdirSync(node, { recursive: true });
            chownSync(node, uid('mysql'), uid('mysql'));
            const namespace = new Namespace([address]);
            const sql = (statement: string) =>
                namespace.try('mariadb', [`--socket=${node}/sock`, '-uroot', '-N', '-e', statement], 5000).output;
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
                // The buffer pool is made small for this machine; everything else is the exported file.
                const started = spawnSync('ip', [
                    'netns',
                    'exec',
                    namespace.name,
                    'sh',
                    '-c',
                    `mariadbd --defaults-file=${file} --user=mysql --datadir=${node}/data --socket=${node}/sock --pid-file=${node}/pid ` +
                        `--log-error=${node}/err.log --tmpdir=${node} --innodb-buffer-pool-size=128M --wsrep-new-cluster >/dev/null 2>&1 &`
                ]);
                expect(started.status).toBe(0);
                let state = '';
                for (let i = 0; i < 60 && !state.includes('Synced'); i++) {
                    spawnSync('sleep', ['0.5']);
                    state = sql("SHOW STATUS LIKE 'wsrep_local_state_comment'");
                }
                const log = (() => {
                    try {
                        return readFileSync(`${node}/err.log`, 'utf8');
                    } catch {
                        return '';
                    }
                })();
                expect(state, `${cluster}: ${log.split('\n').slice(-15).join('\n')}`).toContain('Synced');
                expect(sql("SHOW STATUS LIKE 'wsrep_cluster_status'")).toContain('Primary');

                // The exported clustercheck, with its exported client settings, answers haproxy's request.
                const folder = path.dirname(file);
                const password = /^password = (.+)$/m.exec(readFileSync(`${folder}/clustercheck.cnf`, 'utf8'))![1];
                sql(`CREATE USER 'clustercheck'@'${address}' IDENTIFIED BY '${password}'`);
                const ask = () =>
                    spawnSync(
                        'ip',
                        [
                            'netns',
                            'exec',
                            namespace.name,
                            'bash',
                            `${folder}/clustercheck`,
                            `${folder}/clustercheck.cnf`
                        ],
                        {
                            input: 'GET / HTTP/1.0\r\nUser-Agent: haproxy\r\n\r\n',
                            encoding: 'utf8',
                            timeout: 15_000
                        }
                    ).stdout;
                expect(ask(), cluster).toMatch(
                    /^HTTP\/1\.1 200 OK\r\n[\s\S]*Content-Length: 24\r\n\r\nGalera node is synced\.\r\n$/
                );
                sql('SET GLOBAL wsrep_desync = ON');
                expect(ask(), cluster).toMatch(/^HTTP\/1\.1 503 Service Unavailable\r\n[\s\S]*wsrep_local_state 2\)/);
            } finally {
                namespace.dispose();
            }
        }
    }, 240_000);
});

describe('analysis of the generated topology', () => {
    it('is clean of consistency errors and invalid values', async () => {
        const model = buildModel([await check(generatedTopology(), 'generated-analysis.hatopo')]);
        const rules = analyse(model).map(f => f.rule);
        for (const rule of [
            'duplicate-name',
            'duplicate-address',
            'address-outside-subnet',
            'invalid-value',
            'management-access'
        ])
            expect(rules).not.toContain(rule);
    });
});

function uid(user: string): number {
    return Number(spawnSync('id', ['-u', user], { encoding: 'utf8' }).stdout.trim());
}
