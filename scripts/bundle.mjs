// Bundles the hosts to CommonJS: the extension (vscode external), the language server and the CLI.
import { readFileSync } from 'node:fs';
import * as esbuild from 'esbuild';

const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const common = {
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node22',
    sourcemap: false,
    minify: true,
    logLevel: 'warning',
    define: { HATOPO_VERSION: JSON.stringify(version) },
    // docs/language.md is bundled as text: completion and hovers read it (language/language-docs.ts).
    loader: { '.md': 'text' }
};
await Promise.all([
    esbuild.build({
        ...common,
        entryPoints: ['client/extension.ts'],
        outfile: 'out/extension.cjs',
        external: ['vscode']
    }),
    // The webview's script runs in the browser, as a plain script under the page's nonce.
    esbuild.build({
        ...common,
        entryPoints: ['media/preview.ts'],
        outfile: 'media/preview.js',
        platform: 'browser',
        format: 'iife',
        target: 'chrome120'
    }),
    esbuild.build({ ...common, entryPoints: ['server/main.ts'], outfile: 'out/server.cjs' }),
    // resvg is a native module: loaded from node_modules at run time, never bundled.
    esbuild.build({ ...common, entryPoints: ['server/cli.ts'], outfile: 'out/cli.cjs', external: ['@resvg/resvg-js'] })
]);
