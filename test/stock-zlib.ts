// Stock zlib for tests: Python's zlib module links the system's zlib (1.2.13 on Debian bookworm), which
// is what Keystone's keystoneclient compressed PKIZ tokens with. Node's own zlib is Chromium's fork.

import { execFileSync } from 'node:child_process';

const STOCK_ZLIB = `import sys, zlib; sys.stdout.buffer.write(zlib.compress(sys.stdin.buffer.read(), 6))`;

/** Stock zlib level 6 of `data`, through python3. */
export function stockZlib(data: Uint8Array): Buffer {
    return execFileSync('python3', ['-c', STOCK_ZLIB], { input: data, maxBuffer: 1 << 26 });
}

/** Fails (never skips) when python3 with zlib is missing, naming the command that installs it. */
export function requirePython(): void {
    try {
        execFileSync('python3', ['-c', 'import zlib'], { stdio: 'ignore' });
    } catch {
        throw new Error(
            'python3 (with its zlib module) is needed to compare against stock zlib: run `apt-get install -y --no-install-recommends python3`'
        );
    }
}
