// Test instrumentation for test/lsp-fuzz.test.ts, loaded into the language server with
// `node --expose-gc -r test/gc-on-signal.cjs out/server.cjs`: on SIGUSR2 the server runs a full
// garbage collection and reports its memory as one line on stderr, so the test measures what is
// retained, not when V8 happens to collect.
'use strict';
process.on('SIGUSR2', () => {
    global.gc();
    const { rss, heapUsed, heapTotal, external } = process.memoryUsage();
    const mb = bytes => Math.round(bytes / 1048576);
    process.stderr.write(
        `HATOPO_MEMORY ${JSON.stringify({ rss: mb(rss), heapUsed: mb(heapUsed), heapTotal: mb(heapTotal), external: mb(external) })}\n`
    );
});
