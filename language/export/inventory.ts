// Kolla-Ansible's multinode inventory and the matching globals.yml values.

import type { Host, TopologyModel } from '../model/model.js';
import { header, type ExportFile } from './export-file.js';

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
