// Bundles the hosts to CommonJS: the extension (vscode external), the language server and the CLI.
// ELK (1.5 MB, the layout engine) is a file of its own, out/elk.cjs, read only when a diagram is laid
// out, so `hatopo check` and the server's start never load it; resvg (native) stays in node_modules.
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
/** `import 'elkjs/lib/elk.bundled.js'` becomes `require('./elk.cjs')`, beside the bundle that needs it. */
const elkApart = {
    name: 'elk-apart',
    setup(build) {
        build.onResolve({ filter: /^elkjs\/lib\/elk\.bundled\.js$/ }, () => ({ path: './elk.cjs', external: true }));
    }
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
    esbuild.build({ ...common, entryPoints: ['server/main.ts'], outfile: 'out/server.cjs', plugins: [elkApart] }),
    esbuild.build({ ...common, entryPoints: ['node_modules/elkjs/lib/elk.bundled.js'], outfile: 'out/elk.cjs' }),
    // bin/hatopo.cjs turns the compile cache on with this before it loads out/cli.cjs.
    esbuild.build({ ...common, entryPoints: ['server/compile-cache.ts'], outfile: 'out/compile-cache.cjs' }),
    // resvg is a native module: loaded from node_modules at run time, never bundled.
    esbuild.build({
        ...common,
        entryPoints: ['server/cli.ts'],
        outfile: 'out/cli.cjs',
        external: ['@resvg/resvg-js'],
        plugins: [elkApart]
    })
]);
