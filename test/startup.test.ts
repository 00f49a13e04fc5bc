// What the CLI and the server load at start (issue 16): a command loads only what it needs (ELK,
// out/elk.cjs, only to render), and Node's compile cache goes to the user's cache folder, where a
// folder that cannot be made costs the cache, never the command. Which files a process loaded is
// read from its require.cache by a preload script; speed itself is the bench's (bench/run.ts).

import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileCacheFolder } from '../server/compile-cache.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const BIN = path.join(ROOT, 'bin', 'hatopo.cjs');
let dir: string;
let probe: string;
let file: string;

beforeAll(() => {
    for (const bundle of ['cli.cjs', 'elk.cjs', 'server.cjs', 'compile-cache.cjs'])
        if (!fs.existsSync(path.join(ROOT, 'out', bundle)))
            throw new Error(`out/${bundle} is missing: npm test builds it`);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hatopo-startup-'));
    probe = path.join(dir, 'loaded.cjs');
    // At exit: the project's files this process required, one line on stderr.
    fs.writeFileSync(
        probe,
        `process.on('exit', () => process.stderr.write('LOADED ' + JSON.stringify(Object.keys(require.cache)) + '\\n'));\n`
    );
    file = path.join(dir, 'small.hatopo');
    fs.writeFileSync(file, 'region r 10.0.0.0/16 {\n  host a 10.0.0.1\n}\n');
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function run(args: string[], env: NodeJS.ProcessEnv = {}) {
    const result = spawnSync(process.execPath, ['--require', probe, BIN, ...args], {
        cwd: dir,
        encoding: 'utf8',
        timeout: 60_000,
        env: { ...process.env, NODE_COMPILE_CACHE: '', ...env }
    });
    const line = result.stderr.split('\n').find(text => text.startsWith('LOADED '));
    const loaded = line ? (JSON.parse(line.slice('LOADED '.length)) as string[]) : [];
    return {
        code: result.status,
        stdout: result.stdout,
        stderr: result.stderr,
        loaded: loaded.filter(name => name.startsWith(ROOT)).map(name => path.relative(ROOT, name))
    };
}

describe('what a command loads', () => {
    it('--version loads the CLI and nothing else of the project', () => {
        const { code, stdout, loaded } = run(['--version']);
        expect(code).toBe(0);
        expect(stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
        expect(loaded.sort()).toEqual(['bin/hatopo.cjs', 'out/cli.cjs', 'out/compile-cache.cjs']);
    });

    it('check does not load ELK; render does', () => {
        const check = run(['check', file]);
        expect(check.code, check.stderr).toBe(0);
        expect(check.loaded).not.toContain('out/elk.cjs');
        const render = run(['render', file, '--out', path.join(dir, 'small.svg')]);
        expect(render.code, render.stderr).toBe(0);
        expect(render.loaded).toContain('out/elk.cjs');
        expect(fs.readFileSync(path.join(dir, 'small.svg'), 'utf8')).toMatch(/^<svg/);
    });
});

describe('the compile cache', () => {
    it('is kept in the cache folder the environment names', () => {
        const cache = path.join(dir, 'xdg');
        const { code } = run(['check', file], { XDG_CACHE_HOME: cache, LOCALAPPDATA: cache });
        expect(code).toBe(0);
        const folder = compileCacheFolder({ XDG_CACHE_HOME: cache, LOCALAPPDATA: cache });
        expect(folder.startsWith(cache)).toBe(true);
        // One folder per Node version and V8 flags, holding an entry per bundle loaded after the
        // cache was turned on (out/cli.cjs; out/compile-cache.cjs turns it on, so it comes before).
        const entries = fs.readdirSync(folder).flatMap(version => fs.readdirSync(path.join(folder, version)));
        expect(entries.length).toBeGreaterThanOrEqual(1);
    });

    it('costs nothing but the cache when its folder cannot be made', () => {
        const blocked = path.join(dir, 'a-file');
        fs.writeFileSync(blocked, 'not a folder');
        const { code, stdout, stderr } = run(['check', file], {
            XDG_CACHE_HOME: path.join(blocked, 'cache'),
            LOCALAPPDATA: path.join(blocked, 'cache'),
            HOME: path.join(blocked, 'home')
        });
        expect(code, stderr).toBe(0);
        expect(stdout).toContain('1 file checked: 0 errors');
        expect(stderr.replace(/^LOADED .*\n/m, '')).toBe('');
    });

    it('is not used when NODE_DISABLE_COMPILE_CACHE is set', () => {
        const cache = path.join(dir, 'disabled');
        const { code } = run(['--version'], {
            XDG_CACHE_HOME: cache,
            LOCALAPPDATA: cache,
            NODE_DISABLE_COMPILE_CACHE: '1'
        });
        expect(code).toBe(0);
        expect(fs.existsSync(cache)).toBe(false);
    });
});
