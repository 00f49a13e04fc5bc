// The language server's peak memory. V8 sizes its heap to how fast a program allocates, and a big
// file's rebuild after each keystroke allocates its whole syntax tree again: at 20,000 hosts V8 let
// the heap grow to six times what was live (900 MB for 140 MB) before collecting. When a build phase
// finds the heap grown by more than a margin since the last collection, a major collection is
// started concurrently (V8's incremental marking, no long pause): the old trees, which the builder
// lets go before parsing, are collected while the new ones are built, and the heap stays near what
// is live. It costs the marking's share of the CPU during big rebuilds.

import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import { DocumentState } from 'langium';
import type { LangiumSharedServices } from 'langium/lsp';

/** Below this much growth a collection is not worth starting (small files allocate little). */
const MARGIN_BYTES = 64 * 1024 * 1024;

type Collect = (options: { type: 'major'; execution: 'async' }) => Promise<void> | void;

/** V8's collector: `gc` when the process was started with --expose-gc, else exposed now. */
function collector(): Collect | undefined {
    try {
        const exposed = (globalThis as { gc?: unknown }).gc;
        if (typeof exposed === 'function') return exposed as Collect;
        v8.setFlagsFromString('--expose-gc');
        const gc: unknown = vm.runInNewContext('gc');
        return typeof gc === 'function' ? (gc as Collect) : undefined;
    } catch {
        return undefined;
    }
}

export function keepHeapNearLive(shared: LangiumSharedServices): void {
    const collect = collector();
    if (!collect) return;
    let baseline = v8.getHeapStatistics().used_heap_size;
    let collecting = false;
    const maybeCollect = () => {
        const used = v8.getHeapStatistics().used_heap_size;
        if (collecting || used - baseline < MARGIN_BYTES) return;
        collecting = true;
        const done = () => {
            collecting = false;
            baseline = v8.getHeapStatistics().used_heap_size;
        };
        try {
            void Promise.resolve(collect({ type: 'major', execution: 'async' })).then(done, done);
        } catch {
            done();
        }
    };
    // When an edit has let go of the old trees (the builder does so before parsing), and after a build.
    shared.workspace.DocumentBuilder.onUpdate(() => maybeCollect());
    for (const state of [
        DocumentState.Parsed,
        DocumentState.IndexedContent,
        DocumentState.Linked,
        DocumentState.IndexedReferences,
        DocumentState.Validated
    ])
        shared.workspace.DocumentBuilder.onBuildPhase(state, () => maybeCollect());
}
