// A real cluster from exported files, unmodified: three MariaDB Galera nodes, each with its exported
// clustercheck behind a socket listener (as its systemd socket unit would run it), two haproxy +
// keepalived load balancers (both BACKUP with nopreempt) and a client, each host in a network
// namespace of its own, cabled to a bridge in a namespace of its own (the host's routing is
// untouched, nothing has a route out). Each host loads its exported nftables rules and sysctl file.
// Asserts: wsrep_cluster_size 3, Primary, a write on one node is read on another, a client reaches
// the cluster through the exported VIP, held by the highest priority, and haproxy sends it to a
// backup as soon as the active node's clustercheck says it is no longer Synced (desynced).

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportAll } from '../../language/export/export-all.js';
import { buildModel } from '../../language/model/build-model.js';
import { writeExport } from '../../server/export-writer.js';
import { check } from '../helpers.js';
import { Namespace, requirePrograms } from './netns.js';

const LAB = `topology lab "three Galera nodes behind a haproxy + keepalived pair"
region lab 10.77.0.0/16 {
  zone net 10.77.0.0/24 trust internal {
    host db1 10.77.0.11
    host db2 10.77.0.12
    host db3 10.77.0.13
    host lb1 10.77.0.21
    host lb2 10.77.0.22
  }
}
galera labdb {
  members db1, db2, db3
  sst rsync
}
vip dbvip 10.77.0.100 vrid 77 {
  master lb1 priority 150
  backup lb2 priority 100
  unicast
}
haproxy lbs {
  nodes lb1, lb2
  frontend mysql bind dbvip port 3306 backend galera
  backend galera mode tcp {
    server db1 port 3306
    server db2 port 3306 backup
    server db3 port 3306 backup
  }
}
`;

const LISTEN = path.join(import.meta.dirname, 'listen.mjs');
const scratch = mkdtempSync(path.join(tmpdir(), 'hatopo-lab-'));
chmodSync(scratch, 0o755); // mariadbd runs as mysql
const exported = path.join(scratch, 'export');
const namespaces: Namespace[] = [];
const children: ChildProcess[] = [];
const hosts = new Map<string, Namespace>();

function sql(host: string, statement: string, remote?: { address: string }): string {
    const args = remote
        ? ['-h', remote.address, '-P', '3306', '-uhatopo', '-plab-only', '-N', '-e', statement]
        : [`--socket=${scratch}/${host}/sock`, '-uroot', '-N', '-e', statement];
    return hosts.get(host)!.try('mariadb', args, 10_000).output.trim();
}

function waitFor(what: string, probe: () => boolean, seconds: number): void {
    for (let i = 0; i < seconds * 2; i++) {
        if (probe()) return;
        spawnSync('sleep', ['0.5']);
    }
    throw new Error(`timed out after ${seconds} s waiting for ${what}`);
}

function startDb(host: string, bootstrap: boolean): void {
    const dir = `${scratch}/${host}`;
    const command =
        `mariadbd --defaults-file=${exported}/${host}/galera.cnf --user=mysql --datadir=${dir}/data --socket=${dir}/sock ` +
        `--pid-file=${dir}/pid --log-error=${dir}/err.log --tmpdir=${dir} --skip-name-resolve${bootstrap ? ' --wsrep-new-cluster' : ''}`;
    children.push(
        spawn('ip', ['netns', 'exec', hosts.get(host)!.name, 'sh', '-c', `exec ${command}`], { stdio: 'ignore' })
    );
    waitFor(
        `${host} to be Synced`,
        () => sql(host, "SHOW STATUS LIKE 'wsrep_local_state_comment'").includes('Synced'),
        90
    );
}

beforeAll(async () => {
    requirePrograms('ip', 'nft', 'mariadbd', 'mariadb-install-db', 'rsync', 'haproxy', 'keepalived');
    const model = buildModel([await check(LAB, 'lab.hatopo')]);
    await writeExport(exported, exportAll(model));
    const bridge = Namespace.bridge();
    namespaces.push(bridge);
    for (const host of model.hosts) {
        const namespace = new Namespace([`${host.address}/24`], bridge);
        namespaces.push(namespace);
        hosts.set(host.name, namespace);
        namespace.exec('nft', ['-f', `${exported}/${host.name}/nftables.conf`]);
    }
    const client = new Namespace(['10.77.0.50/24'], bridge);
    namespaces.push(client);
    hosts.set('client', client);
    for (const db of ['db1', 'db2', 'db3']) {
        mkdirSync(`${scratch}/${db}/data`, { recursive: true });
        for (const dir of [`${scratch}/${db}`, `${scratch}/${db}/data`]) chownSync(dir, uid('mysql'), uid('mysql'));
    }
}, 60_000);

afterAll(() => {
    for (const child of children) child.kill('SIGKILL');
    for (const namespace of namespaces.reverse()) namespace.dispose();
    rmSync(scratch, { recursive: true, force: true });
});

describe('a real cluster from the exported files', () => {
    it('forms a three-node Primary Galera cluster with the nftables rules loaded', () => {
        hosts
            .get('db1')!
            .exec(
                'mariadb-install-db',
                [
                    '--no-defaults',
                    '--user=mysql',
                    `--datadir=${scratch}/db1/data`,
                    '--skip-test-db',
                    '--auth-root-authentication-method=normal'
                ],
                { timeout: 60_000 }
            );
        startDb('db1', true);
        // The clustercheck user of the exported clustercheck.cnf, with its placeholder as the password.
        const password = /^password = (.+)$/m.exec(readFileSync(`${exported}/db1/clustercheck.cnf`, 'utf8'))![1];
        sql(
            'db1',
            `CREATE USER 'clustercheck'@'10.77.0.%' IDENTIFIED BY '${password}'; CREATE USER 'hatopo'@'%' IDENTIFIED BY 'lab-only'; GRANT ALL ON lab.* TO 'hatopo'@'%'; CREATE DATABASE lab;`
        );
        startDb('db2', false);
        startDb('db3', false);
        // Each node's clustercheck, one run per connection on port 9200, as clustercheck.socket does.
        for (const db of ['db1', 'db2', 'db3']) {
            const listener = spawn(
                'ip',
                [
                    'netns',
                    'exec',
                    hosts.get(db)!.name,
                    process.execPath,
                    LISTEN,
                    '9200',
                    '--exec',
                    'bash',
                    `${exported}/${db}/clustercheck`,
                    `${exported}/${db}/clustercheck.cnf`
                ],
                { stdio: 'ignore' }
            );
            children.push(listener);
        }
        expect(sql('db3', "SHOW STATUS LIKE 'wsrep_cluster_size'")).toMatch(/wsrep_cluster_size\s+3/);
        expect(sql('db2', "SHOW STATUS LIKE 'wsrep_cluster_status'")).toMatch(/Primary/);
    }, 240_000);

    it('reads on one node what was written on another', () => {
        sql(
            'db1',
            "CREATE TABLE lab.t (id INT PRIMARY KEY, v VARCHAR(20)); INSERT INTO lab.t VALUES (1, 'written on db1');"
        );
        expect(sql('db3', 'SELECT v FROM lab.t WHERE id = 1')).toBe('written on db1');
    });

    it('lets a client reach the cluster through the exported haproxy + keepalived VIP', () => {
        for (const lb of ['lb1', 'lb2']) {
            const namespace = hosts.get(lb)!;
            namespace.exec('sysctl', ['-p', `${exported}/${lb}/sysctl-hatopo.conf`]);
            // Its stats socket (/run/haproxy/admin.sock) in a /run of its own: the file system is shared.
            namespace.exec('sh', [
                '-c',
                `mount -t tmpfs tmpfs /run && mkdir -m 2775 /run/haproxy && exec haproxy -D -f ${exported}/${lb}/haproxy.cfg -p ${scratch}/${lb}-haproxy.pid`
            ]);
            children.push(
                spawn(
                    'ip',
                    [
                        'netns',
                        'exec',
                        namespace.name,
                        'keepalived',
                        '-n',
                        '-l',
                        '-P',
                        '-f',
                        `${exported}/${lb}/keepalived.conf`,
                        '-p',
                        `${scratch}/${lb}-keepalived.pid`,
                        '-r',
                        `${scratch}/${lb}-vrrp.pid`
                    ],
                    { stdio: 'ignore' }
                )
            );
        }
        waitFor(
            'the VIP on lb1',
            () => hosts.get('lb1')!.try('ip', ['-4', 'address', 'show', 'eth0']).output.includes('10.77.0.100'),
            30
        );
        expect(hosts.get('lb2')!.try('ip', ['-4', 'address', 'show', 'eth0']).output).not.toContain('10.77.0.100');
        let answer = '';
        waitFor(
            'an answer through the VIP',
            () => {
                answer = sql('client', 'SELECT v FROM lab.t WHERE id = 1', { address: '10.77.0.100' });
                return answer === 'written on db1';
            },
            30
        );
        expect(answer).toBe('written on db1');
        expect(sql('client', 'SELECT @@wsrep_node_name', { address: '10.77.0.100' })).toBe('db1');
    }, 90_000);

    it('moves the VIP traffic to a backup when the active node stops being Synced, and back', () => {
        const servedBy = () => sql('client', 'SELECT @@wsrep_node_name', { address: '10.77.0.100' });
        const status = () => stats().find(row => row.svname === 'db1')?.status;
        expect(status()).toBe('UP');
        sql('db1', 'SET GLOBAL wsrep_desync = ON');
        waitFor('haproxy to mark db1 down', () => status() === 'DOWN', 30);
        waitFor('the VIP to serve from db2', () => servedBy() === 'db2', 10);
        sql('db1', 'SET GLOBAL wsrep_desync = OFF');
        waitFor('haproxy to mark db1 up again', () => status() === 'UP', 30);
        waitFor('the VIP to serve from db1 again', () => servedBy() === 'db1', 10);
    }, 90_000);
});

/** haproxy's stats (CSV) from lb1's stats listener, asked from the client's namespace. */
function stats(): Array<Record<string, string>> {
    const script = `const r = await fetch('http://10.77.0.21:1936/;csv', { headers: { authorization: 'Basic ' + btoa('admin:@@HAPROXY_STATS_PASSWORD@@') } }); console.log(await r.text());`;
    const csv = hosts.get('client')!.try(process.execPath, ['--input-type=module', '-e', script], 10_000).output;
    const [head, ...rows] = csv.trim().split('\n');
    const names = head.replace(/^# /, '').split(',');
    return rows.map(row => Object.fromEntries(row.split(',').map((value, i) => [names[i], value])));
}

function uid(user: string): number {
    return Number(spawnSync('id', ['-u', user], { encoding: 'utf8' }).stdout.trim());
}
