// Loaded into a language server by the bench (`node --expose-gc -r bench/heap-probe.cjs out/server.cjs`):
// on SIGUSR2 it collects all garbage and reports the live heap on stderr, so the bench reads what the
// server keeps, apart from its peak (VmHWM), which depends on when V8 happens to collect.
'use strict';
process.on('SIGUSR2', () => {
    global.gc();
    const { heapUsed, rss } = process.memoryUsage();
    const mb = bytes => Math.round((bytes / 1048576) * 10) / 10;
    process.stderr.write(`HATOPO_HEAP ${JSON.stringify({ heapUsed: mb(heapUsed), rss: mb(rss) })}\n`);
});
