import { defineConfig } from 'vitest/config';

export default defineConfig({
    test: {
        include: ['test/**/*.test.ts'],
        reporters: ['default', './test/summary-reporter.ts'],
        testTimeout: 30_000
    }
});
