// rabbitmq.conf per cluster member, with only keys of RabbitMQ's config schema (rabbit.schema: an
// unknown key stops the node with failed_to_prepare_configuration), valid from 3.10 (Debian 12) to
// 4.x: listeners on the member's own address, partition handling, classic-config peer discovery of
// the other members by node name, and the default queue type. That type is set on the default
// vhost in definitions.json, which RabbitMQ loads at boot (`load_definitions`): the rabbitmq.conf key
// `default_queue_type` exists only since 3.13 (rabbitmq-server#11164) and 3.10 refuses it, while a
// vhost's default queue type is read since 3.10. The definitions also hold the services' user
// (its password a placeholder), as Kolla-Ansible's do. Also the Erlang cookie (a placeholder: the same
// secret on every member) and the hosts entries node names need (rabbit@NAME must resolve).

import type { RabbitMQ, TopologyModel } from '../model/model.js';
import { header, hostFolder, secret, type ExportFile } from './export-file.js';

export const DEFINITIONS_PATH = '/etc/rabbitmq/definitions.json';
/** Kolla-Ansible's role_rabbitmq_user. */
const USER = 'openstack';

export function exportRabbitmq(model: TopologyModel): ExportFile[] {
    return model.rabbitmqs.flatMap(cluster =>
        cluster.members.flatMap(member => {
            const folder = hostFolder(member.name);
            return [
                { path: `${folder}/rabbitmq.conf`, content: rabbitmqConfig(cluster, member.name, member.address) },
                { path: `${folder}/definitions.json`, content: definitions(cluster) },
                // Erlang reads the whole file as the cookie: no comment, no newline.
                { path: `${folder}/erlang.cookie`, content: secret('RABBITMQ_ERLANG_COOKIE'), mode: 0o600 },
                { path: `${folder}/hosts-rabbitmq`, content: hostsEntries(cluster) }
            ];
        })
    );
}

function rabbitmqConfig(cluster: RabbitMQ, name: string, address: string): string {
    const settings = new Map<string, string>([
        ['listeners.tcp.1', `${address}:5672`],
        ['distribution.listener.interface', address],
        ['cluster_partition_handling', cluster.partitionHandling ?? 'pause_minority'],
        ['cluster_formation.peer_discovery_backend', 'classic_config'],
        // A node that reaches no peer before its retries run out boots as a cluster of its own and never
        // joins (RabbitMQ's peer discovery; seen in the lab under load). The default 10 × 500 ms is too
        // short for nodes booted a little apart: a minute of retries.
        ['cluster_formation.discovery_retry_limit', '60'],
        ['cluster_formation.discovery_retry_interval', '1000'],
        ...cluster.members.map(
            (host, index) =>
                [`cluster_formation.classic_config.nodes.${index + 1}`, `rabbit@${host.name}`] as [string, string]
        ),
        ['load_definitions', DEFINITIONS_PATH]
    ]);
    // A written option replaces the setting of the same key.
    for (const [key, value] of cluster.options) settings.set(key, value);
    return [
        header(
            `rabbitmq.conf for ${name}, cluster '${cluster.name}' (node rabbit@${name}; Erlang cookie: erlang.cookie)`,
            '/etc/rabbitmq/rabbitmq.conf'
        ).trimEnd(),
        ...[...settings].map(([key, value]) => `${key} = ${value}`),
        ''
    ].join('\n');
}

/**
 * The default vhost with its default queue type, and the services' user on it, as Kolla-Ansible's
 * definitions.json (a cleartext password there is hashed on import; here it is a placeholder).
 */
function definitions(cluster: RabbitMQ): string {
    // Mirrored queues are classic queues under an ha-mode policy: RabbitMQ 3.x only (removed in 4.0).
    const type = cluster.queueType === 'mirrored' ? 'classic' : cluster.queueType;
    const vhost = {
        name: '/',
        default_queue_type: type,
        metadata: { default_queue_type: type, description: `hatopo: rabbitmq '${cluster.name}'` }
    };
    const policies =
        cluster.queueType === 'mirrored'
            ? [
                  {
                      vhost: '/',
                      name: 'ha-all',
                      pattern: '^(?!amq\\.).*',
                      'apply-to': 'queues',
                      definition: { 'ha-mode': 'all' },
                      priority: 0
                  }
              ]
            : [];
    return (
        JSON.stringify(
            {
                vhosts: [vhost],
                users: [{ name: USER, password: secret('RABBITMQ_OPENSTACK_PASSWORD'), tags: 'administrator' }],
                permissions: [{ user: USER, vhost: '/', configure: '.*', write: '.*', read: '.*' }],
                ...(policies.length > 0 ? { policies } : {})
            },
            null,
            2
        ) + '\n'
    );
}

function hostsEntries(cluster: RabbitMQ): string {
    return [
        header(
            `hosts entries for rabbitmq '${cluster.name}': every node name resolves`,
            'lines appended to /etc/hosts'
        ).trimEnd(),
        ...cluster.members.map(host => `${host.address} ${host.name}`),
        ''
    ].join('\n');
}
