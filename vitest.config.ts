import { defineConfig } from 'vitest/config';

export default defineConfig({
    // Markdown imported as text, as the bundler does (language/language-docs.ts reads docs/language.md).
    plugins: [
        {
            name: 'markdown-as-text',
            transform(code, id) {
                return id.endsWith('.md') ? { code: `export default ${JSON.stringify(code)};`, map: null } : undefined;
            }
        }
    ],
    test: {
        include: ['test/**/*.test.ts'],
        reporters: ['default', './test/summary-reporter.ts'],
        testTimeout: 30_000
    }
});
