// The programs the lab starts, the Debian package each comes from, and the limits it keeps to. A
// missing program is named in one line with the apt command that installs it (exit 2).

import { spawnSync } from 'node:child_process';

export interface Program {
    command: string;
    packages: string[];
}

/** Always needed: namespaces, the router's forward chain, its connection table, the SQL client. */
const BASE: Program[] = [
    { command: 'ip', packages: ['iproute2'] },
    { command: 'nft', packages: ['nftables'] },
    { command: 'conntrack', packages: ['conntrack'] }
];

/** By the program name a plan uses. */
export const PROGRAMS: Record<string, Program[]> = {
    mariadbd: [
        { command: 'mariadbd', packages: ['mariadb-server', 'galera-4'] },
        { command: 'mariadb-install-db', packages: ['mariadb-server'] },
        { command: 'mariadb', packages: ['mariadb-client'] },
        { command: 'rsync', packages: ['rsync'] }
    ],
    mariabackup: [{ command: 'mariabackup', packages: ['mariadb-backup'] }],
    garbd: [{ command: 'garbd', packages: ['galera-arbitrator-4'] }],
    haproxy: [{ command: 'haproxy', packages: ['haproxy'] }],
    keepalived: [{ command: 'keepalived', packages: ['keepalived'] }],
    memcached: [{ command: 'memcached', packages: ['memcached'] }],
    rabbitmq: [{ command: '/usr/lib/rabbitmq/bin/rabbitmq-server', packages: ['rabbitmq-server'] }],
    nginx: [{ command: 'nginx', packages: ['nginx-light'] }],
    uwsgi: [
        { command: 'uwsgi', packages: ['uwsgi-core', 'uwsgi-plugin-python3'] },
        { command: '/usr/lib/uwsgi/plugins/python3_plugin.so', packages: ['uwsgi-plugin-python3'] }
    ],
    standin: []
};

/** Every package any lab run may need: what `.ci/run` installs. */
export const ALL_PACKAGES = [
    ...new Set([...BASE, ...Object.values(PROGRAMS).flat()].flatMap(program => program.packages))
].sort();

export function aptCommand(packages: readonly string[]): string {
    return `apt-get install -y --no-install-recommends ${[...new Set(packages)].sort().join(' ')}`;
}

/** The programs of `names` (plus the base) that are not installed, or an empty list. */
export function missingPrograms(names: Iterable<string>): Program[] {
    const wanted = [...BASE, ...[...new Set(names)].flatMap(name => PROGRAMS[name] ?? [])];
    return wanted.filter(program =>
        program.command.startsWith('/')
            ? spawnSync('test', ['-e', program.command]).status !== 0
            : spawnSync('sh', ['-c', `command -v ${program.command}`], { stdio: 'ignore' }).status !== 0
    );
}
