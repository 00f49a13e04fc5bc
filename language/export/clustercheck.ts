// The Galera health check haproxy asks (`option httpchk` on port 9200, [HA-NEW]): per data node a
// small script that answers HTTP 200 while the node is Synced (wsrep_local_state 4) and 503 when it
// is joining, a donor, desynced or down, run by a systemd socket unit once per connection, and the
// client settings it logs in with. After OpenStack-Ansible's clustercheck (galera_server role,
// available_when_donor 0) and Kolla-Ansible's mariadb_clustercheck; systemd's socket activation
// takes the place of their xinetd and socat.

import { DEFAULTS } from '../model/defaults.js';
import type { Galera, GaleraMember, TopologyModel } from '../model/model.js';
import { header, hostFolder, secret, type ExportFile } from './export-file.js';

export function exportClustercheck(model: TopologyModel): ExportFile[] {
    return model.galeras.flatMap(cluster =>
        cluster.members.flatMap(member => {
            const folder = hostFolder(member.host.name);
            return [
                { path: `${folder}/clustercheck`, content: script(cluster, member), mode: 0o755 },
                { path: `${folder}/clustercheck.cnf`, content: clientConfig(cluster, member), mode: 0o600 },
                { path: `${folder}/clustercheck.socket`, content: socketUnit(cluster, member) },
                { path: `${folder}/clustercheck@.service`, content: serviceUnit(member) }
            ];
        })
    );
}

function script(cluster: Galera, member: GaleraMember): string {
    return [
        '#!/bin/bash',
        header(
            `clustercheck for ${member.host.name}, galera '${cluster.name}'`,
            '/usr/local/bin/clustercheck'
        ).trimEnd(),
        '# Answers one HTTP health check on stdin/stdout: 200 while this node is Synced, 503 otherwise.',
        '# Usage: clustercheck [CLIENT_CONFIG]   (default /etc/mysql/clustercheck.cnf)',
        'config="${1:-/etc/mysql/clustercheck.cnf}"',
        '# Read the request up to its blank line, so haproxy never finds its request refused.',
        'while IFS= read -r -t 2 line && [ -n "${line%$\'\\r\'}" ]; do :; done',
        'state=$(timeout 5 mariadb --defaults-extra-file="$config" --connect-timeout=3 -N -B \\',
        '    -e "SHOW GLOBAL STATUS LIKE \'wsrep_local_state\'" 2>/dev/null | cut -f2)',
        'if [ "$state" = "4" ]; then',
        '    status="200 OK"',
        '    body="Galera node is synced."',
        'else',
        '    status="503 Service Unavailable"',
        '    body="Galera node is not synced (wsrep_local_state ${state:-unknown})."',
        'fi',
        "printf 'HTTP/1.1 %s\\r\\nContent-Type: text/plain\\r\\nConnection: close\\r\\nContent-Length: %d\\r\\n\\r\\n%s\\r\\n' \\",
        '    "$status" $((${#body} + 2)) "$body"',
        ''
    ].join('\n');
}

function clientConfig(cluster: Galera, member: GaleraMember): string {
    return [
        header(
            `clustercheck client settings for ${member.host.name}, galera '${cluster.name}'`,
            '/etc/mysql/clustercheck.cnf (mode 0600, owner mysql)'
        ).trimEnd(),
        `# The user needs no privileges: CREATE USER 'clustercheck'@'${member.host.address}' IDENTIFIED BY '...';`,
        '[client]',
        'user = clustercheck',
        `password = ${secret('GALERA_CLUSTERCHECK_PASSWORD')}`,
        `host = ${member.host.address}`,
        'port = 3306',
        ''
    ].join('\n');
}

function socketUnit(cluster: Galera, member: GaleraMember): string {
    return [
        header(
            `clustercheck socket for ${member.host.name}, galera '${cluster.name}'`,
            '/etc/systemd/system/clustercheck.socket'
        ).trimEnd(),
        '[Unit]',
        'Description=Galera clustercheck for haproxy',
        '',
        '[Socket]',
        `ListenStream=${member.host.address}:${DEFAULTS.clustercheckPort}`,
        'Accept=yes',
        '',
        '[Install]',
        'WantedBy=sockets.target',
        ''
    ].join('\n');
}

function serviceUnit(member: GaleraMember): string {
    return [
        header(
            `clustercheck service for ${member.host.name}: one health check per connection`,
            '/etc/systemd/system/clustercheck@.service'
        ).trimEnd(),
        '[Unit]',
        'Description=Galera clustercheck for haproxy (one check)',
        '',
        '[Service]',
        'ExecStart=/usr/local/bin/clustercheck /etc/mysql/clustercheck.cnf',
        'StandardInput=socket',
        'StandardOutput=socket',
        'StandardError=journal',
        'User=mysql',
        ''
    ].join('\n');
}
