// Booting Debian's RabbitMQ from an exported host folder, unmodified: each node in a network
// namespace of its own (its modelled address), and in a mount and UTS namespace of its own where
// its hostname is the model's name, /etc/hosts is the exported hosts entries (so rabbit@NAME never
// reaches a resolver) and /etc/rabbitmq is the exported folder (so load_definitions finds
// /etc/rabbitmq/definitions.json). State, logs and the cookie's HOME live in a scratch folder.
// Stopping a node kills what is left in its network namespace by pid (epmd outlives the node).

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { Namespace } from './netns.js';

export interface RabbitNode {
    name: string;
    address: string;
    /** The node's exported host folder (rabbitmq.conf, definitions.json, erlang.cookie, hosts-rabbitmq). */
    exported: string;
    scratch: string;
    namespace: Namespace;
    process?: ChildProcess;
}

/** The shell prelude that gives a command the node's own hostname, hosts file and /etc/rabbitmq. */
function inNodeNamespaces(node: RabbitNode, command: string): string[] {
    const script = [
        'set -e',
        `mount --bind ${node.scratch}/hosts /etc/hosts`,
        `mount --bind ${node.exported} /etc/rabbitmq`,
        `hostname ${node.name}`,
        `export HOME=${node.scratch}/home`,
        command
    ].join('\n');
    return ['netns', 'exec', node.namespace.name, 'unshare', '--mount', '--uts', 'sh', '-c', script];
}

export function prepareRabbit(
    { prefix = 24, ...node }: Omit<RabbitNode, 'namespace'> & { prefix?: number },
    bridge?: Namespace
): RabbitNode {
    mkdirSync(path.join(node.scratch, 'home'), { recursive: true });
    copyFileSync(path.join(node.exported, 'erlang.cookie'), path.join(node.scratch, 'home', '.erlang.cookie'));
    chmodSync(path.join(node.scratch, 'home', '.erlang.cookie'), 0o400);
    writeFileSync(
        path.join(node.scratch, 'hosts'),
        `127.0.0.1 localhost\n${readFileSync(path.join(node.exported, 'hosts-rabbitmq'), 'utf8')}`
    );
    const namespace = new Namespace([`${node.address}/${prefix}`], bridge);
    return { ...node, namespace };
}

export function startRabbit(node: RabbitNode): void {
    const environment = [
        'RABBITMQ_CONFIG_FILE=/etc/rabbitmq/rabbitmq.conf',
        `RABBITMQ_MNESIA_BASE=${node.scratch}/mnesia`,
        `RABBITMQ_LOG_BASE=${node.scratch}/log`,
        `RABBITMQ_ENABLED_PLUGINS_FILE=${node.scratch}/enabled_plugins`,
        `RABBITMQ_NODENAME=rabbit@${node.name}`
    ].join(' ');
    node.process = spawn(
        'ip',
        inNodeNamespaces(
            node,
            `exec env ${environment} /usr/lib/rabbitmq/bin/rabbitmq-server > ${node.scratch}/out.log 2>&1`
        ),
        { stdio: 'ignore' }
    );
}

/** rabbitmqctl against the node, from inside its namespaces. */
export function rabbitmqctl(
    node: RabbitNode,
    args: string[],
    timeout = 30_000
): { status: number | null; output: string } {
    const result = spawnSync(
        'ip',
        inNodeNamespaces(node, `exec /usr/lib/rabbitmq/bin/rabbitmqctl -n rabbit@${node.name} ${args.join(' ')}`),
        { encoding: 'utf8', timeout }
    );
    return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

/** The node's startup output so far: `completed with` on success, `failed_to_prepare_configuration` on a bad file. */
export function rabbitOutput(node: RabbitNode): string {
    try {
        return readFileSync(path.join(node.scratch, 'out.log'), 'utf8');
    } catch {
        return '';
    }
}

/** Waits until the node has started (true) or given up (false: its output says why). */
export async function rabbitStarted(node: RabbitNode, seconds = 60): Promise<boolean> {
    for (let i = 0; i < seconds * 4; i++) {
        const output = rabbitOutput(node);
        if (/completed with \d+ plugins/.test(output)) return true;
        if (/failed_to_prepare_configuration|Kernel pid terminated|BOOT FAILED/.test(output)) return false;
        if (node.process?.exitCode !== null && node.process?.exitCode !== undefined) return false;
        await new Promise(resolve => setTimeout(resolve, 250));
    }
    return false;
}

export function stopRabbit(node: RabbitNode): void {
    rabbitmqctl(node, ['stop'], 20_000);
    node.process?.kill('SIGKILL');
    node.namespace.dispose(); // kills epmd and anything else left in the namespace, by pid
}

const PLUGINS = '/usr/lib/rabbitmq/lib/rabbitmq_server-3.10.8/plugins';

/**
 * RabbitMQ's own config engine as its boot runs it (cuttlefish with 3.10's rabbit.schema) over the
 * rabbitmq.conf of each exported folder, in one Erlang VM: per folder `OK <base64 of cluster_name>`
 * or the errors. /etc/rabbitmq is the first folder meanwhile (load_definitions must name a file that
 * exists; definitions.json is the same in every folder of one cluster).
 */
export function rabbitConfigReads(folders: readonly string[]): Map<string, string> {
    const erlang = [
        `Schema = cuttlefish_schema:files(filelib:wildcard("${PLUGINS}/rabbit-3.10.8/priv/schema/*.schema")),`,
        'lists:foreach(fun(F) ->',
        '  Read = case cuttlefish_conf:files([F ++ "/rabbitmq.conf"]) of',
        '    {errorlist, E} -> io_lib:format("~p", [E]);',
        '    Conf -> case cuttlefish_generator:map(Schema, Conf) of',
        '      {error, Phase, {errorlist, E}} -> io_lib:format("~p ~p", [Phase, E]);',
        '      Mapped -> "OK " ++ binary_to_list(base64:encode(list_to_binary(proplists:get_value(cluster_name, proplists:get_value(rabbit, Mapped, []), ""))))',
        '    end',
        '  end,',
        '  io:format("~s ~s~n", [F, lists:flatten(Read)])',
        'end, init:get_plain_arguments()), halt().'
    ].join('\n');
    const result = spawnSync(
        'unshare',
        [
            '--mount',
            '--propagation',
            'private',
            'sh',
            '-c',
            `mount --bind ${folders[0]} /etc/rabbitmq && exec erl -noshell -pa ${PLUGINS}/*/ebin -eval '${erlang}' -extra ${folders.join(' ')}`
        ],
        { encoding: 'utf8', timeout: 60_000 }
    );
    const reads = new Map(
        result.stdout
            .split('\n')
            .filter(Boolean)
            .map(line => [line.slice(0, line.indexOf(' ')), line.slice(line.indexOf(' ') + 1)] as [string, string])
    );
    for (const folder of folders) if (!reads.has(folder)) reads.set(folder, `(no answer) ${result.stderr.slice(-300)}`);
    return reads;
}
