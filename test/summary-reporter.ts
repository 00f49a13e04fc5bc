// Ends `npm test` with the plain closing line CI reads: `N passed, N failed[, N skipped]`.

import type { Reporter, TestModule } from 'vitest/node';

export default class SummaryReporter implements Reporter {
    onTestRunEnd(testModules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<unknown>): void {
        let passed = 0,
            failed = 0,
            skipped = 0;
        for (const module of testModules) {
            let failedHere = 0;
            for (const test of module.children.allTests()) {
                const state = test.result().state;
                if (state === 'passed') passed++;
                else if (state === 'failed') failedHere++;
                else skipped++;
            }
            // A file that did not load, or whose beforeAll/afterAll failed, fails even with no test failed.
            if (module.state() === 'failed' && failedHere === 0) failedHere = 1;
            failed += failedHere;
        }
        failed += unhandledErrors.length;
        process.stdout.write(`\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}\n`);
    }
}
