// `npm run bench -- --peer likec4`: LikeC4 (the closest Langium-based peer) installed into a scratch
// folder outside the project with npm (never a dependency of hatopo, nothing of it committed), the
// bench's estates written in its language with the same element counts (bench/peer-likec4.ts), and
// its CLI and language server timed in the same run as hatopo's, paired run by run.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const DEFAULT_LIKEC4 = '1.59.4';

export interface Peer {
    name: string;
    version: string;
    /** The command that checks a folder of sources without laying views out, as argv. */
    check(folder: string): string[];
    /** The language server over stdio, as argv, if the installed version has one. */
    lsp?: string[];
    folder: string;
}

function npm(args: string[], cwd: string): void {
    // Through the npm that runs the bench (npm run bench), else the one on PATH.
    const viaNode = process.env.npm_execpath?.endsWith('.js');
    const command = viaNode ? process.execPath : process.platform === 'win32' ? 'npm.cmd' : 'npm';
    const argv = viaNode ? [process.env.npm_execpath!, ...args] : args;
    const result = spawnSync(command, argv, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    if (result.status !== 0)
        throw new Error(`npm ${args.join(' ')} failed in ${cwd}:\n${result.stdout}${result.stderr}`.slice(-4000));
}

/** LikeC4 of this version in <tmp>/hatopo-bench-peer/likec4-<version>, installed there once. */
export function installLikeC4(version: string, log: (line: string) => void): Peer {
    const folder = path.join(os.tmpdir(), 'hatopo-bench-peer', `likec4-${version}`);
    const manifest = path.join(folder, 'node_modules', 'likec4', 'package.json');
    const installed = existsSync(manifest)
        ? (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version
        : undefined;
    if (installed !== version) {
        log(`installing likec4@${version} into ${folder} …`);
        mkdirSync(folder, { recursive: true });
        writeFileSync(path.join(folder, 'package.json'), JSON.stringify({ name: 'peer', private: true }) + '\n');
        // No install scripts: LikeC4's validate and lsp need none (esbuild's binary check is for its dev server).
        npm(['install', '--no-audit', '--no-fund', '--ignore-scripts', `likec4@${version}`], folder);
    }
    const bin = path.join(folder, 'node_modules', 'likec4', 'bin', 'likec4.mjs');
    const help = (args: string[]) =>
        spawnSync(process.execPath, [bin, ...args, '--help'], { encoding: 'utf8', cwd: folder }).stdout ?? '';
    // The CLI as installed: `validate` with `--no-layout` where it has a layout option, `lsp --stdio`.
    const validateHelp = help(['validate']);
    if (!/Validate/i.test(validateHelp)) throw new Error(`likec4@${version} has no validate command`);
    const noLayout = /--layout/.test(validateHelp) ? ['--no-layout'] : [];
    const hasLsp = /--stdio/.test(help(['lsp']));
    const actual = (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version;
    return {
        name: 'likec4',
        version: actual,
        folder,
        check: sources => [process.execPath, bin, 'validate', ...noLayout, sources],
        ...(hasLsp ? { lsp: [process.execPath, bin, 'lsp', '--stdio'] } : {})
    };
}
