// MariaDB Galera from the exported galera.cnf, unmodified: per-node paths come after it on the
// command line (later options win). The first member bootstraps, the others join one at a time
// (rsync SST ~6–9 s each); garbd from the exported garbd.conf.

import type { ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Galera } from '../../language/model/model.js';
import { attempt, LabError, run, waitUntil } from '../processes.js';
import { exportedFile, workDir, type StartContext } from './context.js';

export interface GaleraStatus {
    status: string;
    size: number;
    weight?: number;
    state: string;
}

export function socketOf(context: StartContext, host: string): string {
    return path.join(workDir(context, host, 'mariadb'), 'sock');
}

/** SQL as root over the node's socket (no network: works whatever the router does). */
export function sql(context: StartContext, host: string, statement: string): { ok: boolean; output: string } {
    const result = attempt(
        'mariadb',
        [`--socket=${socketOf(context, host)}`, '-uroot', '-N', '-B', '--connect-timeout=3', '-e', statement],
        10_000
    );
    return { ok: result.status === 0, output: result.output.trim() };
}

export function galeraStatus(context: StartContext, host: string): GaleraStatus | undefined {
    const result = sql(
        context,
        host,
        "SHOW STATUS WHERE Variable_name IN ('wsrep_cluster_status', 'wsrep_cluster_size', 'wsrep_cluster_weight', 'wsrep_local_state_comment')"
    );
    if (!result.ok) return undefined;
    const values = new Map(result.output.split('\n').map(line => line.split('\t') as [string, string]));
    return {
        status: values.get('wsrep_cluster_status') ?? '?',
        size: Number(values.get('wsrep_cluster_size') ?? 0),
        weight: values.has('wsrep_cluster_weight') ? Number(values.get('wsrep_cluster_weight')) : undefined,
        state: values.get('wsrep_local_state_comment') ?? '?'
    };
}

export async function bootGalera(context: StartContext, cluster: Galera): Promise<void> {
    const mysql = Number(run('id', ['-u', 'mysql']).trim());
    for (const member of cluster.members) {
        const dir = workDir(context, member.host.name, 'mariadb');
        mkdirSync(path.join(dir, 'data'), { recursive: true });
        for (const owned of [dir, path.join(dir, 'data')]) chownSync(owned, mysql, mysql);
    }
    const [first, ...joiners] = cluster.members.map(member => member.host.name);
    const firstDir = workDir(context, first, 'mariadb');
    context.progress(`galera ${cluster.name}: ${first} initialises its data directory`);
    run(
        'mariadb-install-db',
        [
            '--no-defaults',
            '--user=mysql',
            `--datadir=${firstDir}/data`,
            `--tmpdir=${firstDir}`, // not the shared /tmp: concurrent labs' temporary tables apart
            '--skip-test-db',
            '--auth-root-authentication-method=normal'
        ],
        { timeout: 120_000 }
    );
    context.progress(`galera ${cluster.name}: starting ${first} (bootstrap), waiting for Synced`);
    startMariadb(context, first, true);
    await waitSynced(context, cluster, first);
    const users = sql(
        context,
        first,
        "CREATE USER 'haproxy_check'@'%'; CREATE USER 'lab'@'%' IDENTIFIED BY 'lab'; GRANT ALL ON *.* TO 'lab'@'%'; " +
            "CREATE USER 'sst'@'localhost' IDENTIFIED BY '@@GALERA_SST_PASSWORD@@'; GRANT RELOAD, PROCESS, LOCK TABLES, BINLOG MONITOR ON *.* TO 'sst'@'localhost'; CREATE DATABASE lab;"
    );
    if (!users.ok)
        throw new LabError(`galera ${cluster.name}: cannot create the lab's users on ${first}: ${users.output}`);
    // All joiners at once: each waits for a free donor by itself, and a donor synced earlier serves the next.
    if (joiners.length > 0)
        context.progress(`galera ${cluster.name}: starting ${joiners.join(', ')}, waiting for them to be Synced`);
    // A joiner that cannot get its state aborts: that is an observation (the join claim), not a lab failure.
    const children = joiners.map(host => startMariadb(context, host, false));
    await Promise.all(
        joiners.map(async (host, i) => {
            const child = children[i];
            await waitUntil(
                () =>
                    child.exitCode !== null ||
                    child.signalCode !== null ||
                    galeraStatus(context, host)?.state === 'Synced',
                context.waitSeconds,
                500
            );
            const outcome =
                galeraStatus(context, host)?.state === 'Synced'
                    ? 'Synced'
                    : joinFailure(context, host, child.exitCode !== null);
            context.joins.set(host, outcome);
            context.progress(`galera ${cluster.name}: ${host} ${outcome}`);
        })
    );
    for (const arbitrator of cluster.arbitrators) {
        const host = arbitrator.host.name;
        context.progress(`galera ${cluster.name}: starting garbd on ${host}, waiting for it to join`);
        startGarbd(context, host);
        const voters = cluster.members.length + cluster.arbitrators.indexOf(arbitrator) + 1;
        const first = cluster.members[0].host.name;
        const joined = await waitUntil(
            () => (galeraStatus(context, first)?.size ?? 0) >= voters,
            context.waitSeconds,
            500
        );
        if (!joined)
            throw new LabError(`galera ${cluster.name}: garbd on ${host} did not join within ${context.waitSeconds} s`);
    }
}

async function waitSynced(context: StartContext, cluster: Galera, host: string): Promise<void> {
    const synced = await waitUntil(() => galeraStatus(context, host)?.state === 'Synced', context.waitSeconds, 500);
    if (!synced)
        throw new LabError(
            `galera ${cluster.name}: ${host} did not reach Synced within ${context.waitSeconds} s (log: ${workDir(context, host, 'mariadb')}/err.log)`
        );
}

/** Why a joiner is not Synced: the last error it logged. */
function joinFailure(context: StartContext, host: string, exited: boolean): string {
    const log = path.join(workDir(context, host, 'mariadb'), 'err.log');
    const errors = (existsSync(log) ? readFileSync(log, 'utf8') : '')
        .split('\n')
        .filter(line => /\[(ERROR|Warning)\] WSREP: .*(failed|abort|never receive)/i.test(line))
        .map(line => line.replace(/^.*?WSREP: (?:\S+:\S+:\d+: )?/, '').trim());
    const why = errors.at(-1) ?? (exited ? 'mariadbd exited' : `not Synced after ${context.waitSeconds} s`);
    return `${exited ? 'aborted' : 'stuck'}: ${why.slice(0, 160)}`;
}

export function startMariadb(context: StartContext, host: string, bootstrap: boolean): ChildProcess {
    const dir = workDir(context, host, 'mariadb');
    return context.processes.start(
        context.network.namespace(host),
        'mariadbd',
        [
            `--defaults-file=${exportedFile(context, host, 'galera.cnf')}`,
            '--user=mysql',
            `--datadir=${dir}/data`,
            `--socket=${dir}/sock`,
            `--pid-file=${dir}/pid`,
            `--log-error=${dir}/err.log`,
            `--tmpdir=${dir}`,
            '--skip-name-resolve',
            ...(bootstrap ? ['--wsrep-new-cluster'] : [])
        ],
        path.join(dir, 'stdout.log')
    );
}

/** garbd's /etc/default/garb variables, as the exporter wrote them. */
function startGarbd(context: StartContext, host: string): void {
    const text = readFileSync(exportedFile(context, host, 'garbd.conf'), 'utf8');
    const value = (name: string) => new RegExp(`^${name}="([^"]*)"`, 'm').exec(text)?.[1] ?? '';
    const dir = workDir(context, host, 'garbd');
    context.processes.start(
        context.network.namespace(host),
        'garbd',
        [
            '--address',
            `gcomm://${value('GALERA_NODES').split(/\s+/).filter(Boolean).join(',')}`,
            '--group',
            value('GALERA_GROUP'),
            '--options',
            value('GALERA_OPTIONS'),
            '--log',
            path.join(dir, 'garbd.log')
        ],
        path.join(dir, 'stdout.log')
    );
}
