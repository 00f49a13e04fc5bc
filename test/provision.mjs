#!/usr/bin/env node
// What the test suites need from the machine, checked (and installed when it can be) before
// `npm test` runs them: the real programs the exported files are proven with, Debian's chromium for
// the browser tests, the headers the e2e tools build with, and the e2e tools themselves (tools/).
// As root with apt-get, missing Debian packages are installed; otherwise this stops at once with the
// one command to run. Run it alone with `node test/provision.mjs` (Node 24: node_modules/.bin/node).

import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setup, toolsInstalled } from './e2e/setup.mjs';

/**
 * What is checked → the Debian package that provides it. A path is a file that must exist; anything
 * else is a program looked up on PATH (and in /usr/sbin, /sbin). One line per need: add yours here.
 */
export const NEEDS = [
    ['chromium', 'chromium'], // test/preview.test.ts, the e2e window (playwright-core drives Debian's build)
    ['haproxy', 'haproxy'], // exported haproxy.cfg: haproxy -c; the lab
    ['keepalived', 'keepalived'], // exported keepalived.conf: keepalived -t; the lab's VIP
    ['mariadbd', 'mariadb-server'], // exported galera.cnf; the lab's cluster
    ['mariadb-install-db', 'mariadb-server'],
    ['/usr/lib/galera/libgalera_smm.so', 'galera-4'], // wsrep_provider of the exported galera.cnf
    ['mariabackup', 'mariadb-backup'], // sst mariabackup
    ['rsync', 'rsync'], // sst rsync
    ['nft', 'nftables'], // exported nftables.conf: nft -c
    ['memcached', 'memcached'], // exported memcached.conf
    ['ip', 'iproute2'], // network namespaces
    ['rabbitmq-server', 'rabbitmq-server'], // exported rabbitmq.conf: a real broker boots from it; the lab
    ['/usr/lib/rabbitmq/bin/rabbitmq-server', 'rabbitmq-server'],
    ['erl', 'rabbitmq-server'], // its Erlang runtime (a dependency), for the config engine check
    ['unshare', 'util-linux'], // RabbitMQ nodes get their own hostname and /etc/hosts (mount + UTS namespaces)
    ['openssl', 'openssl'], // real PKI/PKIZ tokens signed in test/tokens.test.ts; TLS certificates
    ['systemd-analyze', 'systemd'], // the exported clustercheck units: systemd-analyze verify
    ['garbd', 'galera-arbitrator-4'], // the lab's Galera arbitrators
    ['nginx', 'nginx-light'], // the lab's request paths
    ['uwsgi', 'uwsgi-core'],
    ['/usr/lib/uwsgi/plugins/python3_plugin.so', 'uwsgi-plugin-python3'],
    ['conntrack', 'conntrack'], // the lab's router: flush connections when a link is cut
    ['/usr/include/krb5.h', 'libkrb5-dev'], // code-server's kerberos module builds from source (tools/)
    ['pkg-config', 'pkg-config'],
    ['make', 'make'], // node-gyp, for the same
    ['g++', 'g++'],
    ['python3', 'python3']
];

const SEARCH_PATH = `${process.env.PATH ?? ''}:/usr/local/sbin:/usr/sbin:/sbin`;

function present(need) {
    if (need.startsWith('/')) return existsSync(need);
    return (
        spawnSync('sh', ['-c', 'command -v "$0"', need], { env: { ...process.env, PATH: SEARCH_PATH } }).status === 0
    );
}

export function missingPackages(needs = NEEDS) {
    return [...new Set(needs.filter(([need]) => !present(need)).map(([, pkg]) => pkg))];
}

const APT_OPTIONS = ['-y', '-qq', '--no-install-recommends', '-o', 'DPkg::Lock::Timeout=600'];

function run(command, args) {
    const result = spawnSync(command, args, {
        encoding: 'utf8',
        maxBuffer: 64 << 20,
        env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }
    });
    if (result.status === 0) return;
    const output = `${result.stdout ?? ''}${result.stderr ?? ''}${result.error?.message ?? ''}`.trim();
    throw new Error(
        `${command} ${args.join(' ')} failed (exit ${result.status ?? result.signal}):\n  ${output.split('\n').slice(-15).join('\n  ')}`
    );
}

/**
 * Installs what is missing, or throws with the command to run. `needs`, `canInstall` and `tools` are
 * parameters for the test of this script (test/provision.test.ts).
 */
export function provision({
    log = line => console.log(line),
    needs = NEEDS,
    canInstall = process.getuid?.() === 0 && present('apt-get'),
    tools = true
} = {}) {
    const missing = missingPackages(needs);
    if (missing.length > 0) {
        const command = `apt-get install ${APT_OPTIONS.filter(o => o !== '-qq').join(' ')} ${missing.join(' ')}`;
        if (!canInstall)
            throw new Error(
                `the test suites need Debian packages that are missing: ${missing.join(' ')}\n` +
                    `  run: sudo apt-get update && sudo ${command}\n  then npm test again`
            );
        log(`[provision] installing ${missing.join(' ')} with apt-get (a few minutes the first time)…`);
        const started = Date.now();
        run('apt-get', ['update', '-qq']);
        run('apt-get', ['install', ...APT_OPTIONS, ...missing]);
        const still = missingPackages(needs);
        if (still.length > 0) throw new Error(`after apt-get install, still missing: ${still.join(' ')}`);
        log(`[provision] installed in ${Math.round((Date.now() - started) / 1000)} s`);
    }
    if (tools && !toolsInstalled()) setup({ log: line => log(line.replace('[e2e setup]', '[provision]')) });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
    try {
        provision();
    } catch (error) {
        console.error(`npm test cannot start: ${error.message}`);
        process.exit(1);
    }
}
