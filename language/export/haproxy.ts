// haproxy.cfg per haproxy node, after Kolla-Ansible's loadbalancer role and OpenStack-Ansible's
// haproxy_server role (docs/export.md lists every setting and its source): logging to the local
// syslog socket, an admin stats socket, a stats and health listener on the node's own address, a
// frontend per VIP and port (TLS where the model has a certificate), HTTP frontends with httplog and
// forwardfor, MySQL with one-hour timeouts and TCP keepalives, Galera health from each node's
// clustercheck (Synced or not), one active Galera server and the others `backup` ([HA-NEW]).

import type { Backend, Frontend, HAProxy, Host, TopologyModel } from '../model/model.js';
import { duration, header, hostFolder, secret, type ExportFile } from './export-file.js';

/** Kolla-Ansible's loadbalancer defaults (haproxy_*_timeout). */
const DEFAULT_TIMEOUTS: ReadonlyArray<[string, number]> = [
    ['http-request', 10],
    ['http-keep-alive', 10],
    ['queue', 60],
    ['connect', 10],
    ['client', 60],
    ['server', 60],
    ['check', 10]
];
/** Kolla-Ansible's MariaDB frontend and backend (timeout client/server 3600s), so pooled idle connections live. */
const DATABASE_TIMEOUT = 3600;
/** OpenStack-Ansible's haproxy_stats_port. */
export const STATS_PORT = 1936;
/** Kolla-Ansible's server check: every 2 s, up after 2 good checks, down after 5 bad ones. */
const SERVER_CHECK = 'inter 2s rise 2 fall 5';

export function exportHaproxy(model: TopologyModel): ExportFile[] {
    return model.haproxies.flatMap(haproxy =>
        haproxy.nodes.map(node => ({
            path: `${hostFolder(node.name)}/haproxy.cfg`,
            content: haproxyConfig(haproxy, node)
        }))
    );
}

/** A backend that carries MySQL: its health check or its servers' port say so. */
export function isDatabase(backend: Backend): boolean {
    return (
        backend.check.kind === 'galera' ||
        backend.check.kind === 'mysql' ||
        (backend.servers.length > 0 && backend.servers.every(server => server.port === 3306))
    );
}

function haproxyConfig(haproxy: HAProxy, node: Host): string {
    const written = new Map(haproxy.timeouts);
    const tls = haproxy.frontends.some(frontend => frontend.tls);
    const lines = [
        header(`haproxy.cfg for ${node.name}, haproxy '${haproxy.name}'`, '/etc/haproxy/haproxy.cfg'),
        'global',
        '    log /dev/log local0',
        '    chroot /var/lib/haproxy',
        '    user haproxy',
        '    group haproxy',
        '    maxconn 4096',
        '    stats socket /run/haproxy/admin.sock mode 660 level admin',
        '    stats timeout 30s',
        `    tune.bufsize ${haproxy.bufsize}`,
        `    tune.maxrewrite ${haproxy.maxrewrite}`,
        ...(tls ? ['    ssl-default-bind-options ssl-min-ver TLSv1.2 no-tls-tickets'] : []),
        '',
        'defaults',
        '    log global',
        '    option dontlognull',
        '    option redispatch',
        '    retries 3',
        '    balance roundrobin',
        ...DEFAULT_TIMEOUTS.map(([kind, seconds]) => `    timeout ${kind} ${duration(written.get(kind) ?? seconds)}`),
        '',
        // On the node's own address, where management reaches it (the firewall admits it from there).
        'listen stats',
        `    bind ${node.address}:${STATS_PORT}`,
        '    mode http',
        '    stats enable',
        '    stats uri /',
        '    stats refresh 15s',
        `    stats auth admin:${secret('HAPROXY_STATS_PASSWORD')}`,
        '    monitor-uri /healthz',
        ''
    ];
    for (const frontend of haproxy.frontends) lines.push(...frontendLines(frontend), '');
    for (const backend of haproxy.backends) lines.push(...backendLines(backend), '');
    return lines.join('\n');
}

function frontendLines(frontend: Frontend): string[] {
    const backend = frontend.backend;
    const bind = `    bind ${frontend.vip.address}:${frontend.port}${frontend.tls ? ` ssl crt ${frontend.tls.certificate}` : ''}`;
    const lines = [`frontend ${frontend.name}`, bind, `    mode ${backend.mode}`];
    if (backend.mode === 'http') {
        lines.push('    option httplog', '    option forwardfor');
        if (frontend.tls) lines.push('    http-request set-header X-Forwarded-Proto https');
    } else {
        lines.push('    option tcplog');
        if (isDatabase(backend)) lines.push('    option clitcpka', `    timeout client ${DATABASE_TIMEOUT}s`);
    }
    lines.push(`    default_backend ${backend.name}`);
    return lines;
}

function backendLines(backend: Backend): string[] {
    const lines = [`backend ${backend.name}`, `    mode ${backend.mode}`];
    if (backend.mode === 'tcp' && isDatabase(backend))
        lines.push('    option srvtcpka', `    timeout server ${DATABASE_TIMEOUT}s`);
    let serverCheck = `check ${SERVER_CHECK}`;
    const check = backend.check;
    if (check.kind === 'galera') {
        // The node's clustercheck answers 200 only while it is Synced: a donor or desynced node goes down.
        lines.push('    option httpchk GET /', '    http-check expect status 200');
        serverCheck = `check port ${check.port} ${SERVER_CHECK}`;
    } else if (check.kind === 'mysql') {
        // A login as a user without privileges: it proves mariadbd answers, not that Galera is Synced.
        lines.push('    option mysql-check user haproxy_check');
    } else if (check.kind === 'http') {
        lines.push(`    option httpchk ${check.method} ${check.path}`);
    }
    for (const server of backend.servers) {
        lines.push(
            `    server ${server.host.name} ${server.host.address}:${server.port} ${serverCheck}${server.backup ? ' backup' : ''}`
        );
    }
    return lines;
}
