// Bundles the benchmark (bench/run.ts and what it imports from the language) into bench/out/run.cjs,
// like scripts/bundle.mjs bundles the CLI and the server. Run from the repository root.
import * as esbuild from 'esbuild';

await esbuild.build({
    entryPoints: ['bench/run.ts'],
    outfile: 'bench/out/run.cjs',
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node22',
    sourcemap: false,
    minify: false,
    logLevel: 'warning',
    define: { HATOPO_VERSION: '"bench"' },
    loader: { '.md': 'text' },
    // resvg is a native module: never bundled (the bench draws SVG only).
    external: ['@resvg/resvg-js']
});
