// haproxy.cfg per haproxy node: a frontend per VIP and port, backends with health checks, the
// Galera backend with one active server and the others `backup` (DOMAIN.md §1, [HA-NEW]), and
// tune.bufsize / tune.maxrewrite and timeouts from the model.

import type { Backend, HAProxy, TopologyModel } from '../model/model.js';
import { header, hostFolder, type ExportFile } from './export-file.js';

const DEFAULT_TIMEOUTS: Record<string, number> = { connect: 5, client: 60, server: 60, check: 10 };

export function exportHaproxy(model: TopologyModel): ExportFile[] {
    return model.haproxies.flatMap(haproxy =>
        haproxy.nodes.map(node => ({
            path: `${hostFolder(node.name)}/haproxy.cfg`,
            content: haproxyConfig(haproxy, node.name)
        }))
    );
}

function haproxyConfig(haproxy: HAProxy, node: string): string {
    const timeouts = { ...DEFAULT_TIMEOUTS, ...Object.fromEntries(haproxy.timeouts) };
    const lines = [
        header(`haproxy.cfg for ${node}, haproxy '${haproxy.name}'`),
        'global',
        '    maxconn 4096',
        `    tune.bufsize ${haproxy.bufsize}`,
        `    tune.maxrewrite ${haproxy.maxrewrite}`,
        '',
        'defaults',
        '    log global',
        '    retries 3',
        ...Object.entries(timeouts).map(([kind, seconds]) => `    timeout ${kind} ${Math.round(seconds * 1000)}ms`),
        ''
    ];
    for (const frontend of haproxy.frontends) {
        lines.push(
            `frontend ${frontend.name}`,
            `    bind ${frontend.vip.address}:${frontend.port}`,
            `    mode ${frontend.backend.mode}`,
            `    default_backend ${frontend.backend.name}`,
            ''
        );
    }
    for (const backend of haproxy.backends) lines.push(...backendLines(backend), '');
    return lines.join('\n');
}

function backendLines(backend: Backend): string[] {
    const lines = [`backend ${backend.name}`, `    mode ${backend.mode}`];
    if (backend.check === 'mysql') {
        // A login as a user without privileges: it proves mariadbd answers ([HA-NEW]).
        lines.push('    option mysql-check user haproxy_check');
    } else if (backend.mode === 'http') {
        lines.push(
            '    balance roundrobin',
            `    option httpchk GET ${backend.check && backend.check !== 'tcp' ? backend.check : '/'}`
        );
    } else {
        lines.push('    balance roundrobin');
    }
    for (const server of backend.servers) {
        lines.push(
            `    server ${server.host.name} ${server.host.address}:${server.port} check inter 2s rise 2 fall 3${server.backup ? ' backup' : ''}`
        );
    }
    return lines;
}
