// Runs the end-to-end suite (test/e2e/run.mjs: the extension's mocha tests inside a real VS Code
// extension host, code-server + Chromium offline) as part of `npm test`. The first run installs the
// tools into tools/ (a few minutes); later runs take about half a minute.

import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const NODE = fileURLToPath(new URL('../../node_modules/.bin/node', import.meta.url));
const FIVE_MINUTES = 5 * 60_000;

describe('VS Code end-to-end (test/e2e/run.mjs)', () => {
    it(
        'passes every scenario in a real extension host',
        () => {
            const run = spawnSync(NODE, ['test/e2e/run.mjs'], {
                cwd: ROOT,
                encoding: 'utf8',
                timeout: FIVE_MINUTES,
                killSignal: 'SIGTERM',
                maxBuffer: 64 << 20,
                env: { ...process.env, HATOPO_E2E_VSCODE: process.env.HATOPO_E2E_VSCODE ?? 'code-server' }
            });
            const output = `${run.stdout}\n${run.stderr}`;
            const tail = output.trim().split('\n').slice(-60).join('\n');
            expect(run.error, tail).toBeUndefined();
            expect(run.status, tail).toBe(0);
            expect(output, tail).toMatch(/^\d+ passed, 0 failed$/m);
        },
        FIVE_MINUTES + 30_000
    );
});
