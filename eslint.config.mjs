// Lint: typescript-eslint's recommended rules and the house's boundaries (ARCHITECTURE.md).
// - The engine (language/model, analysis, diagram, export) is pure: no `vscode`, no LSP packages, no
//   Node built-ins, so it can run in a browser or a web worker; compression and hashing are
//   injected. Only build-model.ts reads Langium's AST (it is the bridge from AST to model).
// - Hosts never import each other: client, server and webview meet in protocol/.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const NODE = [
    'node:*',
    'fs',
    'fs/*',
    'path',
    'os',
    'crypto',
    'zlib',
    'child_process',
    'util',
    'url',
    'net',
    'http',
    'stream'
];
const HOST_PACKAGES = [
    'vscode',
    'vscode-languageserver',
    'vscode-languageserver/*',
    'vscode-languageclient',
    'vscode-languageclient/*',
    'vscode-jsonrpc',
    'vscode-jsonrpc/*',
    'langium/lsp',
    'langium/node',
    'langium/test'
];
const restrict = (group, message) => ({ 'no-restricted-imports': ['error', { patterns: [{ group, message }] }] });
const PURE = 'the engine is pure: no vscode, LSP, Node built-ins or hosts (inject what it needs)';

export default tseslint.config(
    {
        ignores: [
            'language/generated/**',
            'out/**',
            'bench/out/**',
            'media/preview.js',
            'node_modules/**',
            'tools/**',
            'test-results/**'
        ]
    },
    js.configs.recommended,
    ...tseslint.configs.recommended,
    {
        languageOptions: { globals: { ...globals.node } },
        rules: {
            '@typescript-eslint/no-unused-vars': [
                'error',
                { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }
            ],
            'no-constant-condition': ['error', { checkLoops: false }],
            'preserve-caught-error': 'off'
        }
    },
    { files: ['**/*.cjs'], rules: { '@typescript-eslint/no-require-imports': 'off' } },
    {
        files: ['language/model/**', 'language/analysis/**', 'language/diagram/**', 'language/export/**'],
        rules: { 'no-restricted-globals': ['error', 'Buffer', 'process', 'require', '__dirname'] }
    },
    { files: ['media/**', 'test/e2e/**'], languageOptions: { globals: { ...globals.browser, ...globals.node } } },
    {
        files: ['language/model/**'],
        ignores: ['language/model/build-model.ts'],
        rules: restrict(
            [
                ...HOST_PACKAGES,
                ...NODE,
                'langium',
                '**/generated/**',
                '**/lsp/**',
                '**/server/**',
                '**/client/**',
                '**/media/**'
            ],
            PURE
        )
    },
    {
        files: ['language/model/build-model.ts'],
        rules: restrict([...HOST_PACKAGES, ...NODE, '**/lsp/**', '**/server/**', '**/client/**'], PURE)
    },
    {
        files: ['language/analysis/**', 'language/diagram/**', 'language/export/**'],
        rules: restrict(
            [
                ...HOST_PACKAGES,
                ...NODE,
                'langium',
                'langium/*',
                '**/generated/**',
                '**/lsp/**',
                '**/server/**',
                '**/client/**',
                '**/media/**',
                '**/hatopo-*'
            ],
            PURE
        )
    },
    {
        files: ['protocol/**'],
        rules: restrict(
            ['vscode', ...NODE, '**/server/**', '**/client/**', '**/media/**'],
            'protocol/ is shared by every host: types and constants only'
        )
    },
    {
        files: ['server/**'],
        rules: restrict(
            ['vscode', '**/client/**', '**/media/**'],
            'the server does not import the client or the webview'
        )
    },
    {
        files: ['client/**'],
        rules: restrict(
            ['**/server/**', '**/media/**', '**/language/**'],
            'the client talks to the server through protocol/'
        )
    },
    {
        files: ['media/**'],
        rules: restrict(
            // Not the typed requests either: they bring vscode-jsonrpc into the browser bundle.
            [...NODE, ...HOST_PACKAGES, '**/server/**', '**/client/**', '**/language/**', '**/protocol/requests*'],
            'the webview talks through protocol/messages.ts'
        )
    },
    {
        // The lab's plan is a function of the model: what to boot, the router's rules, the predictions.
        files: ['lab/plan.ts', 'lab/predictions.ts', 'lab/router-rules.ts'],
        rules: restrict(
            [...HOST_PACKAGES, ...NODE, '**/server/**', '**/client/**', '**/media/**'],
            'the lab plan is pure: effects live in the starters, the network and the observers'
        )
    }
);
