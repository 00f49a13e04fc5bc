// A sysctl.d file for every haproxy node that binds a VIP: haproxy binds every VIP on every node of
// its group, also on the nodes where keepalived does not hold it (yet), which Linux allows only with
// net.ipv4.ip_nonlocal_bind (DOMAIN.md §5, [HA-NEW]; OpenStack-Ansible's haproxy_bind_on_non_local).

import type { Host, TopologyModel } from '../model/model.js';
import { header, hostFolder, type ExportFile } from './export-file.js';

export function exportSysctl(model: TopologyModel): ExportFile[] {
    const binding = new Map<Host, Set<string>>();
    for (const haproxy of model.haproxies)
        for (const node of haproxy.nodes)
            for (const frontend of haproxy.frontends)
                binding.set(node, (binding.get(node) ?? new Set()).add(frontend.vip.address));
    return [...binding].map(([host, vips]) => ({
        path: `${hostFolder(host.name)}/sysctl-hatopo.conf`,
        content: [
            header(
                `sysctl settings for ${host.name}`,
                '/etc/sysctl.d/60-hatopo.conf, then `sysctl --system`'
            ).trimEnd(),
            `# haproxy binds ${[...vips].sort().join(', ')} also while keepalived holds the VIP elsewhere.`,
            'net.ipv4.ip_nonlocal_bind = 1',
            ''
        ].join('\n')
    }));
}
