// Node's module compile cache (Node ≥ 22.1): the bundles' compiled code is kept on disk, so a second
// `hatopo check` starts without compiling a megabyte of JavaScript again. It lives in the user's
// cache folder (XDG_CACHE_HOME or ~/.cache, ~/Library/Caches, %LOCALAPPDATA%), never beside the
// install, so a read-only install works; Node checks each entry against the file's content and its
// own version. Anything that fails (no home, a read-only cache folder, an old Node) only means no cache.

import * as module from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';

/** Where the cache goes, or undefined when there is no sensible place. */
export function compileCacheFolder(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
    const home = os.homedir();
    const base =
        platform === 'win32'
            ? (env.LOCALAPPDATA ?? path.join(home, 'AppData', 'Local'))
            : platform === 'darwin'
              ? path.join(home, 'Library', 'Caches')
              : (env.XDG_CACHE_HOME ?? path.join(home, '.cache'));
    return path.join(base || os.tmpdir(), 'hatopo', 'compile-cache');
}

/** Turns the cache on for the modules loaded from now on; `NODE_DISABLE_COMPILE_CACHE=1` turns it off. */
export function enableCompileCache(env: NodeJS.ProcessEnv = process.env): void {
    if (env.NODE_DISABLE_COMPILE_CACHE) return;
    const enable = (module as { enableCompileCache?: (directory?: string) => unknown }).enableCompileCache;
    if (typeof enable !== 'function') return;
    try {
        // NODE_COMPILE_CACHE, when set, has already turned it on where the user wants it.
        if (!env.NODE_COMPILE_CACHE) enable(compileCacheFolder(env));
    } catch {
        // A cache is an optimisation: never a reason to fail.
    }
}
