// memcached.conf, rabbitmq.conf and the keystone settings ([cache], [token], [fernet_tokens]).

import type { Host, TopologyModel } from '../model/model.js';
import { header, hostFolder, secret, type ExportFile } from './export-file.js';

/** Debian's /etc/memcached.conf: one command-line option per line (DOMAIN.md §6). */
export function exportMemcached(model: TopologyModel): ExportFile[] {
    return model.memcacheds.flatMap(pool =>
        pool.servers.map(server => ({
            path: `${hostFolder(server.name)}/memcached.conf`,
            content: [
                header(`memcached.conf for ${server.name}, pool '${pool.name}'`).trimEnd(),
                `-l ${server.address}`,
                `-p ${pool.port}`,
                '-U 0',
                `-m ${pool.memoryBytes !== undefined ? Math.max(1, Math.round(pool.memoryBytes / 1024 ** 2)) : 64}`,
                `-t ${pool.threads ?? 4}`,
                '-c 1024',
                ...(pool.sasl ? ['-S'] : []),
                ''
            ].join('\n')
        }))
    );
}

export function exportRabbitmq(model: TopologyModel): ExportFile[] {
    return model.rabbitmqs.flatMap(cluster =>
        cluster.members.map(member => ({
            path: `${hostFolder(member.name)}/rabbitmq.conf`,
            content: [
                header(
                    `rabbitmq.conf for ${member.name}, cluster '${cluster.name}'. Erlang cookie: ${secret('RABBITMQ_ERLANG_COOKIE')} in /var/lib/rabbitmq/.erlang.cookie`
                ).trimEnd(),
                `listeners.tcp.1 = ${member.address}:5672`,
                `cluster_partition_handling = ${cluster.partitionHandling ?? 'pause_minority'}`,
                'cluster_formation.peer_discovery_backend = classic_config',
                ...cluster.members.map(
                    (host, index) => `cluster_formation.classic_config.nodes.${index + 1} = rabbit@${host.name}`
                ),
                ...[...cluster.options].map(([name, value]) => `${name} = ${value}`),
                ''
            ].join('\n')
        }))
    );
}

/** keystone.conf settings on every node of a service of kind keystone. */
export function exportKeystone(model: TopologyModel): ExportFile[] {
    const files: ExportFile[] = [];
    for (const service of model.services.filter(s => s.serviceKind === 'keystone')) {
        const token = service.token;
        const servers = service.caches.flatMap(pool => pool.servers.map(host => `${host.address}:${pool.port}`));
        const database = service.database;
        const dbHost = service.databaseVip?.address ?? database?.members[0]?.host.address;
        for (const node of service.nodes) {
            files.push({
                path: `${hostFolder(node.name)}/keystone.conf`,
                content: [
                    header(`keystone.conf settings for ${node.name}, service '${service.name}'`).trimEnd(),
                    ...(dbHost
                        ? [
                              '[database]',
                              `connection = mysql+pymysql://keystone:${secret('KEYSTONE_DB_PASSWORD')}@${dbHost}/keystone`,
                              ''
                          ]
                        : []),
                    '[cache]',
                    `enabled = ${servers.length > 0}`,
                    ...(servers.length > 0
                        ? ['backend = oslo_cache.memcache_pool', `memcache_servers = ${servers.join(',')}`]
                        : []),
                    '',
                    '[token]',
                    `provider = ${token?.format ?? 'fernet'}`,
                    `expiration = ${token?.expirationSeconds ?? 3600}`,
                    `allow_expired_window = ${token?.allowExpiredWindowSeconds ?? 172800}`,
                    '',
                    '[fernet_tokens]',
                    'key_repository = /etc/keystone/fernet-keys/',
                    `max_active_keys = ${token?.maxActiveKeys ?? 3}`,
                    ''
                ].join('\n')
            });
        }
    }
    return files;
}

/** Kolla-Ansible's multinode inventory and the matching globals.yml values. */
export function exportInventory(model: TopologyModel): ExportFile[] {
    const names = (hosts: Iterable<Host>) =>
        [...new Set(hosts)].map(host => `${host.name} ansible_host=${host.address}`);
    const control = [
        ...model.services.flatMap(s => s.nodes),
        ...model.galeras.flatMap(g => g.members.map(m => m.host)),
        ...model.rabbitmqs.flatMap(r => r.members)
    ];
    const loadbalancer = model.haproxies.flatMap(h => h.nodes);
    const monitoring = model.memcacheds.flatMap(m => m.servers);
    const group = (name: string, hosts: string[]) => [`[${name}]`, ...hosts, ''];
    const inventory = [
        header('Kolla-Ansible multinode inventory').trimEnd(),
        ...group('control', names(control)),
        ...group('network', names(loadbalancer)),
        ...group('compute', []),
        ...group('monitoring', names(monitoring)),
        ...group('storage', []),
        ...group('deployment', ['localhost ansible_connection=local']),
        ...group('loadbalancer:children', ['network']),
        ...group('mariadb:children', ['control']),
        ...group('rabbitmq:children', ['control']),
        ...group('memcached:children', ['control'])
    ].join('\n');
    const vip = model.vips[0];
    const globals = [
        header('Kolla-Ansible globals.yml values').trimEnd(),
        '---',
        ...(vip
            ? [
                  `kolla_internal_vip_address: "${vip.address}"`,
                  `keepalived_virtual_router_id: "${vip.vrid}"`,
                  `network_interface: "${vip.interface}"`
              ]
            : []),
        `enable_haproxy: "${model.haproxies.length > 0 ? 'yes' : 'no'}"`,
        `enable_mariadb: "${model.galeras.length > 0 ? 'yes' : 'no'}"`,
        `enable_rabbitmq: "${model.rabbitmqs.length > 0 ? 'yes' : 'no'}"`,
        `enable_memcached: "${model.memcacheds.length > 0 ? 'yes' : 'no'}"`,
        `keystone_token_provider: "${model.services.find(s => s.token)?.token?.format ?? 'fernet'}"`,
        ''
    ].join('\n');
    return [
        { path: 'inventory/multinode', content: inventory + '\n' },
        { path: 'inventory/globals.yml', content: globals }
    ];
}
