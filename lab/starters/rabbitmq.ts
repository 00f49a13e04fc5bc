// RabbitMQ from the exported rabbitmq.conf (classic_config peer discovery: the members cluster by
// themselves on boot). Node names resolve through the namespace's hosts file (`ip netns exec` binds
// /etc/netns/<ns>/hosts), so Erlang never asks a resolver, and /etc/rabbitmq is the node's exported
// definitions the same way; a shared cookie in each node's HOME; the
// lab shortens Erlang's net_ticktime from 60 s to 4 s so that a partition is seen in seconds.

import { chmodSync, copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { RabbitMQ } from '../../language/model/model.js';
import { inNamespace, LabError, waitUntil } from '../processes.js';
import { exportedFile, workDir, type StartContext } from './context.js';

const SERVER = '/usr/lib/rabbitmq/bin/rabbitmq-server';
const DIAGNOSTICS = '/usr/lib/rabbitmq/bin/rabbitmq-diagnostics';
const CTL = '/usr/lib/rabbitmq/bin/rabbitmqctl';

export async function bootRabbitmq(context: StartContext, cluster: RabbitMQ): Promise<void> {
    for (const member of cluster.members) {
        const host = member.name;
        const dir = workDir(context, host, 'rabbitmq');
        const cookie = path.join(dir, '.erlang.cookie');
        writeFileSync(cookie, `hatopo-lab-${cluster.name}`.replace(/[^\w-]/g, '_'));
        chmodSync(cookie, 0o400);
        // load_definitions names /etc/rabbitmq/definitions.json: `ip netns exec` binds the namespace's
        // /etc/netns/<ns>/rabbitmq over /etc/rabbitmq, so each node reads its own exported folder.
        const etc = `/etc/netns/${context.network.namespace(host)}/rabbitmq`;
        mkdirSync(etc, { recursive: true });
        copyFileSync(exportedFile(context, host, 'definitions.json'), path.join(etc, 'definitions.json'));
        context.progress(`rabbitmq ${cluster.name}: starting rabbit@${host}`);
        context.processes.start(context.network.namespace(host), SERVER, [], path.join(dir, 'server.log'), {
            HOME: dir,
            RABBITMQ_NODENAME: `rabbit@${host}`,
            RABBITMQ_CONFIG_FILE: exportedFile(context, host, 'rabbitmq.conf'),
            RABBITMQ_MNESIA_BASE: path.join(dir, 'mnesia'),
            RABBITMQ_LOG_BASE: path.join(dir, 'log'),
            RABBITMQ_ENABLED_PLUGINS_FILE: path.join(dir, 'enabled_plugins'),
            RABBITMQ_ADVANCED_CONFIG_FILE: path.join(dir, 'advanced.config'),
            RABBITMQ_CONF_ENV_FILE: path.join(dir, 'rabbitmq-env.conf'),
            RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS: '-kernel net_ticktime 4'
        });
    }
    // Started together, no member has the cluster's tables: each retries its peers until its discovery
    // retries run out (the exported minute), then one boots on its own and the others join it.
    const discovery = discoverySeconds(exportedFile(context, cluster.members[0].name, 'rabbitmq.conf'));
    context.progress(
        `rabbitmq ${cluster.name}: waiting for ${cluster.members.length} running nodes (peer discovery retries for ${discovery} s first)`
    );
    const clustered = await waitUntil(
        () => cluster.members.every(member => runningNodes(context, member.name) === cluster.members.length),
        context.waitSeconds + discovery,
        1000
    );
    if (!clustered)
        throw new LabError(`rabbitmq ${cluster.name}: the members did not cluster within ${context.waitSeconds} s`);
}

/** How long peer discovery retries, from rabbitmq.conf (RabbitMQ's defaults: 10 × 500 ms). */
function discoverySeconds(conf: string): number {
    const text = readFileSync(conf, 'utf8');
    const value = (key: string, fallback: number) =>
        Number(new RegExp(`^${key.replace(/\./g, '\\.')} = (\\d+)$`, 'm').exec(text)?.[1] ?? fallback);
    return Math.ceil(
        (value('cluster_formation.discovery_retry_limit', 10) *
            value('cluster_formation.discovery_retry_interval', 500)) /
            1000
    );
}

function cli(context: StartContext, host: string, program: string, args: string[]) {
    const dir = workDir(context, host, 'rabbitmq');
    return inNamespace(
        context.network.namespace(host),
        'env',
        [`HOME=${dir}`, program, '-n', `rabbit@${host}`, '-q', ...args],
        15_000
    );
}

/** Whether the broker on a node runs (a paused minority does not). */
export function rabbitRunning(context: StartContext, host: string): boolean {
    return cli(context, host, DIAGNOSTICS, ['check_running']).status === 0;
}

/** How many nodes this node sees running in its cluster, or 0 when it does not answer. */
export function runningNodes(context: StartContext, host: string): number {
    const result = cli(context, host, CTL, ['--formatter', 'json', 'cluster_status']);
    if (result.status !== 0) return 0;
    try {
        const status = JSON.parse(result.output.slice(result.output.indexOf('{'))) as { running_nodes?: string[] };
        return status.running_nodes?.length ?? 0;
    } catch {
        return 0;
    }
}
