// A real three-node RabbitMQ cluster from the exported files, unmodified: Debian's rabbitmq-server,
// each node in a network namespace of its own cabled to a bridge, with its own hostname, the
// exported hosts entries as /etc/hosts and the exported folder as /etc/rabbitmq (mount and UTS
// namespaces), and its exported nftables rules loaded. The nodes find each other by classic-config
// peer discovery; asserts: one cluster of three running nodes, the default vhost's default queue
// type from definitions.json, and the two others keep running when one is killed (pause_minority).

import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportAll } from '../../language/export/export-all.js';
import { buildModel } from '../../language/model/build-model.js';
import { writeExport } from '../../server/export-writer.js';
import { check } from '../helpers.js';
import { Namespace, requirePrograms } from './netns.js';
import {
    prepareRabbit,
    rabbitmqctl,
    rabbitOutput,
    rabbitStarted,
    startRabbit,
    stopRabbit,
    type RabbitNode
} from './rabbitmq.js';

const LAB = `topology rabbit-lab "three RabbitMQ nodes"
region lab 10.78.0.0/16 {
  zone net 10.78.0.0/24 trust internal {
    host mq1 10.78.0.11
    host mq2 10.78.0.12
    host mq3 10.78.0.13
  }
}
rabbitmq labmq {
  members mq1, mq2, mq3
}
`;

const scratch = mkdtempSync(path.join(tmpdir(), 'hatopo-rabbit-'));
const exported = path.join(scratch, 'export');
let bridge: Namespace | undefined;
const nodes: RabbitNode[] = [];

function clusterStatus(node: RabbitNode): { running_nodes?: string[] } {
    const { output } = rabbitmqctl(node, ['cluster_status', '--formatter', 'json']);
    try {
        return JSON.parse(output.slice(output.indexOf('{')));
    } catch {
        return {};
    }
}

async function waitFor(what: string, probe: () => boolean, seconds: number): Promise<void> {
    for (let i = 0; i < seconds * 2; i++) {
        if (probe()) return;
        await new Promise(resolve => setTimeout(resolve, 500));
    }
    throw new Error(`timed out after ${seconds} s waiting for ${what}`);
}

beforeAll(async () => {
    requirePrograms('ip', 'nft', 'unshare', '/usr/lib/rabbitmq/bin/rabbitmq-server');
    const model = buildModel([await check(LAB, 'rabbit-lab.hatopo')]);
    await writeExport(exported, exportAll(model));
    bridge = Namespace.bridge();
    for (const host of model.hosts) {
        const node = prepareRabbit(
            {
                name: host.name,
                address: host.address,
                exported: path.join(exported, host.name),
                scratch: path.join(scratch, host.name)
            },
            bridge
        );
        node.namespace.exec('nft', ['-f', path.join(exported, host.name, 'nftables.conf')]);
        nodes.push(node);
    }
}, 60_000);

afterAll(() => {
    for (const node of nodes) stopRabbit(node);
    bridge?.dispose();
    rmSync(scratch, { recursive: true, force: true });
});

describe('a real RabbitMQ cluster from the exported files', () => {
    it('forms one cluster of three running nodes by classic-config peer discovery', async () => {
        for (const node of nodes) startRabbit(node);
        for (const node of nodes)
            expect(await rabbitStarted(node, 120), `${node.name}: ${rabbitOutput(node).slice(-1500)}`).toBe(true);
        const expected = nodes.map(node => `rabbit@${node.name}`).sort();
        await waitFor(
            'three running nodes',
            () => JSON.stringify(clusterStatus(nodes[0]).running_nodes?.sort()) === JSON.stringify(expected),
            60
        );
        for (const node of nodes) expect(clusterStatus(node).running_nodes?.sort(), node.name).toEqual(expected);
    }, 240_000);

    it("gives the default vhost the modelled default queue type (quorum) and the services' user from definitions.json", () => {
        for (const node of nodes) {
            expect(rabbitmqctl(node, ['list_vhosts', 'name', 'default_queue_type']).output, node.name).toMatch(
                /^\/\s+quorum$/m
            );
            expect(rabbitmqctl(node, ['list_users']).output, node.name).toMatch(/^openstack\s+\[administrator\]$/m);
            // The placeholder is the password until the operator supplies one.
            expect(
                rabbitmqctl(node, ['authenticate_user', 'openstack', "'@@RABBITMQ_OPENSTACK_PASSWORD@@'"]).output
            ).toContain('Success');
        }
    });

    it('keeps the majority running when one node is killed (pause_minority)', async () => {
        const [killed, ...rest] = nodes;
        const pids = spawnSync('ip', ['netns', 'pids', killed.namespace.name], { encoding: 'utf8' }).stdout;
        for (const pid of pids.split('\n').filter(Boolean)) process.kill(Number(pid), 'SIGKILL');
        const survivors = rest.map(node => `rabbit@${node.name}`).sort();
        await waitFor(
            'two running nodes',
            () => JSON.stringify(clusterStatus(rest[0]).running_nodes?.sort()) === JSON.stringify(survivors),
            60
        );
        expect(clusterStatus(rest[1]).running_nodes?.sort()).toEqual(survivors);
    }, 90_000);
});
