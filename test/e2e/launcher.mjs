// Stands in for the VS Code executable that @vscode/test-electron's runTests() spawns: starts
// code-server (the real VS Code workbench and extension host) and a headless Debian Chromium as
// its window, hands the extension under development and the test entry to the workbench through
// the smoke-test driver's `payload`, and exits with the code the tests report through
// `codeAutomationExit`. While the tests run it serves a small control endpoint on 127.0.0.1
// (address in HATOPO_E2E_CONTROL) through which a test in the extension host reaches what only
// the browser sees: the webview's DOM, clicks in it, screenshots.
//
// run.mjs writes a tiny shell script that execs this file with Node 24; runTests() gets that script
// as `vscodeExecutablePath`. Everything it starts is killed on the way out (code-server's whole
// process group, Chromium, the control server), also on failure, timeout, or when run.mjs dies.

import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { createServer as createNetServer } from 'node:net';
import { join, resolve } from 'node:path';

const env = process.env;
const TMP = need('HATOPO_E2E_TMP');
const NODE = env.HATOPO_E2E_NODE || process.execPath;
const CODE_SERVER = need('HATOPO_E2E_CODE_SERVER');
const CHROMIUM = env.HATOPO_E2E_CHROMIUM || '/usr/bin/chromium';
const TIMEOUT_MS = Number(env.HATOPO_E2E_TIMEOUT_MS || 240_000);
const VERBOSE = env.HATOPO_E2E_VERBOSE === '1';
const require = createRequire(join(need('HATOPO_E2E_ROOT'), 'package.json'));
const { chromium } = require('playwright-core');

function need(name) {
    if (!env[name]) {
        console.error(`[launcher] ${name} is not set: start the suite with test/e2e/run.mjs`);
        process.exit(2);
    }
    return env[name];
}
const log = (...a) => console.log('[launcher]', ...a);
const elapsed = (() => {
    const t0 = Date.now();
    return () => `${((Date.now() - t0) / 1000).toFixed(1)} s`;
})();

// --- what runTests() passed ----------------------------------------------------------------
const options = {
    folder: undefined,
    tests: undefined,
    dev: [],
    userData: join(TMP, 'user-data'),
    extensions: join(TMP, 'extensions')
};
for (const arg of process.argv.slice(2)) {
    const [flag, ...rest] = arg.split('=');
    const value = rest.join('=');
    if (flag === '--extensionTestsPath') options.tests = resolve(value);
    else if (flag === '--extensionDevelopmentPath') options.dev.push(resolve(value));
    else if (flag === '--user-data-dir') options.userData = resolve(value);
    else if (flag === '--extensions-dir') options.extensions = resolve(value);
    else if (!arg.startsWith('-')) options.folder = resolve(arg);
}
if (!options.tests || options.dev.length === 0) {
    console.error('[launcher] needs --extensionTestsPath and --extensionDevelopmentPath');
    process.exit(2);
}

// --- cleanup, whatever happens ----------------------------------------------------------------
let codeServer;
let browser;
let control;
let exiting = false;
async function shutdown(code, reason) {
    if (exiting) return;
    exiting = true;
    if (reason) log(reason);
    await Promise.race([browser?.close().catch(() => {}), delay(5000)]);
    killGroup(codeServer, 'SIGTERM');
    await delay(300);
    killGroup(codeServer, 'SIGKILL');
    control?.close();
    control?.closeAllConnections?.();
    log(`done after ${elapsed()}, exit ${code}`);
    process.exit(code);
}
function killGroup(child, signal) {
    if (!child?.pid) return;
    try {
        process.kill(-child.pid, signal);
    } catch {
        /* already gone */
    }
}
process.on('SIGINT', () => void shutdown(130, 'interrupted'));
process.on('SIGTERM', () => void shutdown(143, 'terminated'));
process.on('uncaughtException', error => void shutdown(1, `crashed: ${error.stack ?? error}`));
process.on('unhandledRejection', error => void shutdown(1, `crashed: ${error?.stack ?? error}`));
setTimeout(() => void shutdown(1, `timed out after ${TIMEOUT_MS / 1000} s`), TIMEOUT_MS).unref();
// If run.mjs (our parent) dies, do not outlive it.
const parent = process.ppid;
setInterval(() => {
    if (process.ppid !== parent) void shutdown(1, 'parent process gone');
}, 1000).unref();

const delay = ms => new Promise(r => setTimeout(r, ms));
function freePort() {
    return new Promise((ok, fail) => {
        const server = createNetServer()
            .once('error', fail)
            .listen(0, '127.0.0.1', () => {
                const { port } = server.address();
                server.close(() => ok(port));
            });
    });
}

// --- the control endpoint: webview DOM, clicks, screenshots ----------------------------------
let page;
/** The frame that holds the preview's own document (the webview's inner iframe). */
async function previewFrame(timeoutMs = 20_000) {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
        for (const frame of page.frames()) {
            if (frame === page.mainFrame()) continue;
            const found = await frame
                .evaluate(() => !!document.getElementById('canvas') && !!document.getElementById('lose'))
                .catch(() => false);
            if (found) return frame;
        }
        await delay(250);
    }
    throw new Error('no preview webview frame in the page');
}
const routes = {
    /** Evaluates `expression` (a function body returning JSON) in the preview webview. */
    async '/webview/eval'({ expression, timeoutMs }) {
        const frame = await previewFrame(timeoutMs);
        return frame.evaluate(new Function(expression));
    },
    /** Waits until `expression` is truthy in the webview, returns its value. */
    async '/webview/wait'({ expression, timeoutMs = 20_000 }) {
        const deadline = Date.now() + timeoutMs;
        let last;
        while (Date.now() < deadline) {
            const frame = await previewFrame(Math.max(1000, deadline - Date.now())).catch(() => undefined);
            if (frame) {
                last = await frame.evaluate(new Function(expression)).catch(error => ({ error: String(error) }));
                if (last && !last.error) return last;
            }
            await delay(250);
        }
        throw new Error(
            `webview condition not met within ${timeoutMs} ms: ${expression} (last: ${JSON.stringify(last)})`
        );
    },
    /** A real mouse click (through Chromium's input pipeline) on the first match of `selector`. */
    async '/webview/click'({ selector }) {
        const frame = await previewFrame();
        await frame.locator(selector).first().click({ timeout: 10_000 });
        return { clicked: selector, via: 'mouse' };
    },
    async '/screenshot'({ path }) {
        mkdirSync(resolve(path, '..'), { recursive: true });
        await delay(500); // let the status bar and the highlight catch up
        await page.screenshot({ path });
        return { path };
    }
};
function startControl() {
    return new Promise(ok => {
        control = createServer((req, res) => {
            let body = '';
            req.on('data', chunk => {
                body += chunk;
            });
            req.on('end', async () => {
                const route = routes[req.url ?? ''];
                res.setHeader('content-type', 'application/json');
                if (!route || req.method !== 'POST') {
                    res.statusCode = 404;
                    res.end(JSON.stringify({ error: `no route ${req.method} ${req.url}` }));
                    return;
                }
                try {
                    if (!page) throw new Error('the browser page is not open yet');
                    res.end(JSON.stringify({ result: (await route(body ? JSON.parse(body) : {})) ?? null }));
                } catch (error) {
                    res.statusCode = 500;
                    res.end(JSON.stringify({ error: String(error?.message ?? error) }));
                }
            });
        }).listen(0, '127.0.0.1', () => ok(`http://127.0.0.1:${control.address().port}`));
    });
}

// --- main ----------------------------------------------------------------------------------
const controlUrl = await startControl();
const port = await freePort();
const host = `127.0.0.1:${port}`;
for (const dir of ['home', 'xdg-config', 'xdg-data', 'xdg-cache', 'xdg-state', 'tmp', join('user-data', 'User')])
    mkdirSync(join(TMP, dir), { recursive: true });
mkdirSync(options.userData, { recursive: true });
mkdirSync(join(options.userData, 'User'), { recursive: true });
writeFileSync(join(TMP, 'code-server.yaml'), `bind-addr: ${host}\nauth: none\ncert: false\n`);
writeFileSync(
    join(options.userData, 'User', 'settings.json'),
    JSON.stringify(
        {
            'workbench.startupEditor': 'none',
            'workbench.tips.enabled': false,
            'workbench.enableExperiments': false,
            'workbench.welcomePage.walkthroughs.openOnInstall': false,
            'chat.disableAIFeatures': true,
            'git.enabled': false,
            'telemetry.telemetryLevel': 'off',
            'update.mode': 'none',
            'extensions.autoCheckUpdates': false,
            'extensions.autoUpdate': false,
            'extensions.ignoreRecommendations': true,
            'security.workspace.trust.enabled': false,
            'window.restoreWindows': 'none',
            'files.hotExit': 'off',
            'editor.hover.delay': 100
        },
        null,
        2
    )
);

const childEnv = {
    ...env,
    HOME: join(TMP, 'home'),
    XDG_CONFIG_HOME: join(TMP, 'xdg-config'),
    XDG_DATA_HOME: join(TMP, 'xdg-data'),
    XDG_CACHE_HOME: join(TMP, 'xdg-cache'),
    XDG_STATE_HOME: join(TMP, 'xdg-state'),
    TMPDIR: join(TMP, 'tmp'),
    HATOPO_E2E_CONTROL: controlUrl
};
delete childEnv.ELECTRON_RUN_AS_NODE;
delete childEnv.VSCODE_IPC_HOOK_CLI;

codeServer = spawn(
    NODE,
    [
        CODE_SERVER,
        '--config',
        join(TMP, 'code-server.yaml'),
        '--bind-addr',
        host,
        '--auth',
        'none',
        '--user-data-dir',
        options.userData,
        '--extensions-dir',
        options.extensions,
        '--disable-telemetry',
        '--disable-update-check',
        '--disable-workspace-trust',
        '--disable-getting-started-override',
        '--ignore-last-opened',
        '--reconnection-grace-time',
        '5',
        '--vscode-option',
        'enable-smoke-test-driver'
    ],
    { env: childEnv, detached: true, stdio: ['ignore', 'pipe', 'pipe'] }
);
const serverLog = [];
for (const stream of [codeServer.stdout, codeServer.stderr]) {
    stream.on('data', chunk => {
        const text = String(chunk);
        serverLog.push(text);
        if (VERBOSE) process.stdout.write(`[code-server] ${text}`);
    });
}
codeServer.on('exit', (code, signal) => {
    if (!exiting) void shutdown(1, `code-server exited early (${code ?? signal}):\n${serverLog.join('').slice(-3000)}`);
});

// Ready when it answers over HTTP.
for (let ready = false; !ready;) {
    ready = await fetch(`http://${host}/healthz`).then(
        r => r.ok,
        () => false
    );
    if (!ready) await delay(200);
}
log(`code-server up on ${host} after ${elapsed()}`);

browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    env: { ...childEnv },
    args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--disable-dev-shm-usage',
        '--disable-default-apps',
        '--disable-features=Translate,OptimizationHints,MediaRouter'
    ]
});
const context = await browser.newContext({ viewport: { width: 1600, height: 1000 } });
page = await context.newPage();
await page.exposeFunction('codeAutomationExit', async code => {
    // Let the last console lines of the page arrive before the window goes.
    await delay(200);
    void shutdown(typeof code === 'number' ? code : 1, `tests reported exit code ${code}`);
});
page.on('console', message => {
    const text = message
        .text()
        .replace(/%c/g, '')
        .replace(/color: #[0-9a-f]+/gi, '')
        .trim();
    if (VERBOSE) console.log(`[page:${message.type()}] ${text}`);
    // Errors of the extension are worth seeing; the suite's own verdict and offline noise are not.
    else if (
        message.type() === 'error' &&
        /hatopo|extension host|TypeError|Cannot/i.test(text) &&
        !/e2e test\(s\) failed|open-vsx|github|marketplace|ERR_NAME|ERR_INTERNET|net::/i.test(text)
    ) {
        console.log(`[page:error] ${text.slice(0, 600)}`);
    }
});
page.on('pageerror', error => {
    if (VERBOSE) console.log(`[page:exception] ${error.message}`);
});

const remote = path => `vscode-remote://${host}${path}`;
const payload = [
    ...options.dev.map(path => ['extensionDevelopmentPath', remote(path)]),
    ['extensionTestsPath', remote(options.tests)]
];
const url = new URL(`http://${host}/`);
if (options.folder) url.searchParams.set('folder', options.folder);
url.searchParams.set('payload', JSON.stringify(payload));
await page.goto(url.toString());
log(`workbench requested after ${elapsed()}; the tests report through codeAutomationExit`);
