// keystone.conf settings on every node of a service of kind keystone: the database through its VIP,
// the memcached pool ([cache], DOMAIN.md §6), the token format and lifetimes ([token],
// [fernet_tokens], DOMAIN.md §4).

import type { TopologyModel } from '../model/model.js';
import { header, hostFolder, secret, type ExportFile } from './export-file.js';

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
                    header(
                        `keystone.conf settings for ${node.name}, service '${service.name}'`,
                        'settings merged into /etc/keystone/keystone.conf'
                    ).trimEnd(),
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
