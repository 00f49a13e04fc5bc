#!/usr/bin/env node
// End-to-end suite: the extension's mocha tests inside a real VS Code extension host, through
// @vscode/test-electron's runTests(). Run with Node 24: `node test/e2e/run.mjs`.
//
//   HATOPO_E2E_VSCODE=code-server   (default) code-server + Debian Chromium stand in for VS Code,
//                                    fully offline (see test/e2e/launcher.mjs)
//   HATOPO_E2E_VSCODE=download      runTests() downloads VS Code (HATOPO_E2E_VSCODE_VERSION,
//                                    default "stable") into tools/.vscode-test, where that works
//   HATOPO_E2E_VSCODE=/path/to/code an installed VS Code binary
//   HATOPO_E2E_GREP=text            run only the tests whose title contains text
//   HATOPO_E2E_KEEP=1               keep the temp folder; HATOPO_E2E_VERBOSE=1 shows code-server and page logs
//
// Installs the tools into tools/ first when missing (test/e2e/setup.mjs). Everything the run
// writes goes into one temp folder that is removed afterwards, except the screenshot
// test-results/e2e-preview.png. Ends with the plain line `N passed, N failed`; exits non-zero on
// any failure. Every process it started is gone when it returns.

import {
    chmodSync,
    closeSync,
    copyFileSync,
    openSync,
    readSync,
    existsSync,
    mkdirSync,
    mkdtempSync,
    readdirSync,
    readFileSync,
    rmSync,
    statSync,
    writeFileSync
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ROOT, setup, toolPaths } from './setup.mjs';

const started = Date.now();
const seconds = () => ((Date.now() - started) / 1000).toFixed(1);
const modeArg = process.argv.find(a => a.startsWith('--vscode='))?.slice('--vscode='.length);
const mode = modeArg ?? process.env.HATOPO_E2E_VSCODE ?? 'code-server';
const NODE = process.execPath;
if (Number(process.versions.node.split('.')[0]) < 24) {
    console.error(`test/e2e/run.mjs needs Node 24 (got ${process.version}): run it with node_modules/.bin/node`);
    process.exit(2);
}

const TMP = mkdtempSync(join(tmpdir(), 'hatopo-e2e-'));
const MARKER = `HATOPO_E2E_TMP=${TMP}`;
let cleaned = false;

/** Every process that carries this run's marker in its environment: the launcher and all below it. */
function ourProcesses() {
    const pids = [];
    for (const entry of readdirSync('/proc')) {
        if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
        try {
            if (readFileSync(`/proc/${entry}/environ`, 'latin1').split('\0').includes(MARKER)) pids.push(Number(entry));
        } catch {
            /* gone or not ours to read */
        }
    }
    return pids;
}

async function cleanup() {
    if (cleaned) return;
    cleaned = true;
    // The launcher kills what it started; give it a moment, then make sure.
    for (let i = 0; i < 30 && ourProcesses().length > 0; i++) await new Promise(r => setTimeout(r, 100));
    const left = ourProcesses();
    if (left.length > 0) {
        console.log(`[e2e] killing ${left.length} leftover process(es): ${left.join(' ')}`);
        for (const pid of left) {
            try {
                process.kill(pid, 'SIGKILL');
            } catch {
                /* gone */
            }
        }
    }
    if (process.env.HATOPO_E2E_KEEP === '1') console.log(`[e2e] kept ${TMP}`);
    else rmSync(TMP, { recursive: true, force: true, maxRetries: 5 });
}
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(signal, () => {
        void cleanup().then(() => process.exit(1));
    });
}

let tail;
let exitCode;
let results;
let problem;
try {
    // 1. Tools (code-server, @vscode/test-electron, mocha) in tools/, installed if missing.
    const installSeconds = setup({ log: line => console.log(line) });
    if (installSeconds > 0) console.log(`[e2e] tools installed in ${installSeconds} s`);
    const { runTests } = createRequire(import.meta.url)(toolPaths.testElectron);
    for (const bundle of ['out/extension.cjs', 'out/server.cjs', 'out/cli.cjs', 'media/preview.js']) {
        if (!existsSync(join(ROOT, bundle))) throw new Error(`${bundle} is missing: run \`npm run build\` first`);
    }

    // 2. The mocha suite, bundled to CommonJS for the extension host (vscode stays external).
    const esbuild = createRequire(join(ROOT, 'package.json'))('esbuild');
    const suiteDir = join(ROOT, 'test', 'e2e', 'suite');
    const specs = readdirSync(suiteDir).filter(f => f.endsWith('.e2e.ts'));
    await esbuild.build({
        entryPoints: [join(suiteDir, 'index.ts'), ...specs.map(f => join(suiteDir, f))],
        outdir: join(TMP, 'suite'),
        outExtension: { '.js': '.cjs' },
        entryNames: '[name]',
        bundle: true,
        platform: 'node',
        format: 'cjs',
        target: 'node22',
        external: ['vscode'],
        sourcemap: 'inline',
        logLevel: 'warning'
    });
    await esbuild.stop?.(); // its service process would otherwise outlive the run
    for (const f of readdirSync(join(TMP, 'suite')))
        if (f.endsWith('.e2e.cjs') === false && f !== 'index.cjs') throw new Error(`unexpected bundle ${f}`);

    // 3. A workspace of copies: the tests edit files, the repository stays untouched.
    const workspace = join(TMP, 'workspace');
    mkdirSync(workspace, { recursive: true });
    for (const f of readdirSync(join(ROOT, 'examples')).filter(f => f.endsWith('.hatopo')))
        copyFileSync(join(ROOT, 'examples', f), join(workspace, f));

    const logFile = join(TMP, 'mocha.log');
    const resultsFile = join(TMP, 'results.json');
    writeFileSync(logFile, '');
    const screenshot = join(ROOT, 'test-results', 'e2e-preview.png');
    mkdirSync(join(ROOT, 'test-results'), { recursive: true });
    rmSync(screenshot, { force: true });
    const testEnv = {
        HATOPO_E2E_TMP: TMP,
        HATOPO_E2E_ROOT: ROOT,
        HATOPO_E2E_NODE: NODE,
        HATOPO_E2E_CLI: join(ROOT, 'bin', 'hatopo.cjs'),
        HATOPO_E2E_MOCHA: toolPaths.mocha,
        HATOPO_E2E_LOG: logFile,
        HATOPO_E2E_RESULTS: resultsFile,
        HATOPO_E2E_SCREENSHOT: screenshot,
        HATOPO_E2E_CODE_SERVER: toolPaths.codeServer,
        HATOPO_E2E_GREP: process.env.HATOPO_E2E_GREP ?? ''
    };

    // Stream mocha's output while it runs (it arrives through a file, unmangled).
    let offset = 0;
    const flush = () => {
        const size = statSync(logFile).size;
        if (size <= offset) return;
        const buffer = Buffer.alloc(size - offset);
        const fd = openSync(logFile, 'r');
        readSync(fd, buffer, 0, buffer.length, offset);
        closeSync(fd);
        offset = size;
        process.stdout.write(buffer);
    };
    tail = setInterval(flush, 200);

    const common = {
        extensionDevelopmentPath: ROOT,
        extensionTestsPath: join(TMP, 'suite', 'index.cjs'),
        extensionTestsEnv: testEnv
    };
    const profile = [`--user-data-dir=${join(TMP, 'user-data')}`, `--extensions-dir=${join(TMP, 'extensions')}`];
    console.log(`[e2e] VS Code: ${mode}; workspace ${workspace}`);
    try {
        if (mode === 'code-server') {
            const launcher = join(TMP, 'code');
            writeFileSync(launcher, `#!/bin/sh\nexec "${NODE}" "${join(ROOT, 'test', 'e2e', 'launcher.mjs')}" "$@"\n`);
            chmodSync(launcher, 0o755);
            await runTests({ ...common, vscodeExecutablePath: launcher, launchArgs: [workspace, ...profile] });
        } else {
            const where =
                mode === 'download'
                    ? {
                          version: process.env.HATOPO_E2E_VSCODE_VERSION ?? 'stable',
                          cachePath: join(ROOT, 'tools', '.vscode-test')
                      }
                    : { vscodeExecutablePath: resolve(mode) };
            await runTests({ ...common, ...where, launchArgs: [workspace, '--disable-extensions', ...profile] });
        }
    } catch (error) {
        problem = `VS Code run failed: ${error?.message ?? error}`;
    }
    clearInterval(tail);
    flush();
    if (existsSync(resultsFile)) results = JSON.parse(readFileSync(resultsFile, 'utf8'));
    else problem ??= 'the suite wrote no results';
} catch (error) {
    problem = error?.stack ?? String(error);
}
if (tail) clearInterval(tail);
await cleanup();

const passed = results?.passed ?? 0;
// No results, or nothing passed (a grep that matched nothing), counts as one failure.
const failed = (results?.failed ?? 0) + (!results || (results.failed === 0 && passed === 0) ? 1 : 0);
console.log('');
for (const failure of results?.failures ?? [])
    console.log(`FAILED: ${failure.title}\n  ${failure.message.split('\n').join('\n  ')}`);
for (const reason of results?.pendingReasons ?? []) console.log(`PENDING: ${reason}`);
if (problem && (!results || results.failed === 0)) console.log(`[e2e] ${problem}`);
console.log(`[e2e] finished in ${seconds()} s (${mode})${results?.pending ? `, ${results.pending} pending` : ''}`);
console.log(`${passed} passed, ${failed} failed`);
exitCode = failed === 0 && passed > 0 && !problem ? 0 : 1;
process.exit(exitCode);
