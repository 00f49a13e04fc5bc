// The extensionTestsPath entry: runs the mocha suite inside the VS Code extension host. Output goes
// to the file named by HATOPO_E2E_LOG (run.mjs streams it, so it arrives unmangled whatever the
// VS Code), results to HATOPO_E2E_RESULTS for the closing `N passed, N failed` line.

import * as fs from 'node:fs';
import * as path from 'node:path';
import * as util from 'node:util';

interface MochaTest {
    fullTitle(): string;
    title: string;
    duration?: number;
}
interface MochaRunner {
    on(event: string, listener: (test: MochaTest, error?: Error) => void): void;
}
interface MochaInstance {
    addFile(file: string): void;
    run(done: (failures: number) => void): MochaRunner;
}
interface MochaClass {
    new (options: Record<string, unknown>): MochaInstance;
    reporters: { Base: { consoleLog: (...args: unknown[]) => void } };
}

export async function run(): Promise<void> {
    const logFile = process.env.HATOPO_E2E_LOG;
    const write = (line: string) => {
        if (logFile) fs.appendFileSync(logFile, line + '\n');
        else console.log(line);
    };
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- mocha is loaded from the test tools at run time
    const Mocha = require(process.env.HATOPO_E2E_MOCHA ?? 'mocha') as MochaClass;
    Mocha.reporters.Base.consoleLog = (...args: unknown[]) => write(util.format(...args));
    const mocha = new Mocha({
        ui: 'bdd',
        reporter: 'spec',
        color: false,
        timeout: 60_000,
        slow: 10_000,
        ...(process.env.HATOPO_E2E_GREP ? { grep: process.env.HATOPO_E2E_GREP } : {})
    });
    for (const file of fs
        .readdirSync(__dirname)
        .filter(name => name.endsWith('.e2e.cjs'))
        .sort())
        mocha.addFile(path.join(__dirname, file));

    const results = {
        passed: 0,
        failed: 0,
        pending: 0,
        failures: [] as { title: string; message: string }[],
        pendingReasons: [] as string[]
    };
    await new Promise<void>(resolve => {
        const runner = mocha.run(() => resolve());
        runner.on('pass', () => {
            results.passed++;
        });
        runner.on('pending', () => {
            results.pending++;
        });
        runner.on('fail', (test, error) => {
            results.failed++;
            results.failures.push({ title: test.fullTitle(), message: String(error?.message ?? error).slice(0, 2000) });
        });
    });
    results.pendingReasons = ((globalThis as Record<string, unknown>).__hatopoPendingReasons ?? []) as string[];
    if (process.env.HATOPO_E2E_RESULTS)
        fs.writeFileSync(process.env.HATOPO_E2E_RESULTS, JSON.stringify(results, null, 2));
    if (results.failed > 0 || results.passed === 0)
        throw new Error(`${results.failed} e2e test(s) failed, ${results.passed} passed`);
}
