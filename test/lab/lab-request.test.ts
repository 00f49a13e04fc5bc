// "HA Topology: Run Lab" for real: the server's `hatopo/lab` request runs the bundled CLI on a small
// topology (a memcached pair and a public-zone observer: seconds to boot), losing one server, forwards its progress
// and answers with its report; cancelled while it boots, it answers "cancelled" after the lab has
// torn down. Nothing is left behind either way (namespaces, /etc/netns, the scratch folder).

import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { CancellationTokenSource } from 'vscode-languageserver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LabProgress } from '../../protocol/messages.js';
import { cliLabRunner, LabRequestHandler, type LabRunner } from '../../server/lab-request.js';
import { requireLab } from './lab-helpers.js';

const CLI = path.resolve('out/cli.cjs');
const CACHE_ONLY = `topology cacheonly "memcached only"
region r1 10.42.0.0/16 {
  zone edge 10.42.0.0/24 trust public {
    host web1 10.42.0.11
  }
  zone app 10.42.1.0/24 trust internal {
    host mc1 10.42.1.41
    host mc2 10.42.1.42
  }
}
memcached mc {
  servers mc1, mc2
}
`;
const folder = mkdtempSync(path.join(tmpdir(), 'hatopo-lab-request-'));
const file = path.join(folder, 'cache only.hatopo');

beforeAll(() => {
    requireLab();
    if (!existsSync(CLI)) throw new Error('out/cli.cjs is missing: npm test builds it first');
    writeFileSync(file, CACHE_ONLY);
});
afterAll(() => rmSync(folder, { recursive: true, force: true }));

/** The real runner, remembering each lab's pid: its namespaces are `hl<pid % 100000>x<n>-…`. */
function recorded(): { runner: LabRunner; pids: number[] } {
    const pids: number[] = [];
    const real = cliLabRunner(CLI);
    return {
        pids,
        runner: (invocation, onLine) => {
            const running = real(invocation, onLine);
            pids.push(running.pid!);
            return running;
        }
    };
}

function expectNothingLeft(pid: number, notes: readonly LabProgress[]): void {
    const prefix = `hl${pid % 100000}x`;
    const namespaces = spawnSync('ip', ['netns', 'list'], { encoding: 'utf8' }).stdout;
    expect(namespaces.split('\n').filter(line => line.startsWith(prefix))).toEqual([]);
    expect(existsSync('/etc/netns') ? readdirSync('/etc/netns').filter(name => name.startsWith(prefix)) : []).toEqual(
        []
    );
    const scratch = notes.map(note => /files in (\S+)/.exec(note.line)?.[1]).find(Boolean);
    expect(scratch, 'the lab names its scratch folder in its progress').toBeDefined();
    expect(existsSync(scratch!)).toBe(false);
}

describe('the hatopo/lab request on a real lab', () => {
    it('runs, shows progress, answers with the report; nothing left behind', async () => {
        const { runner, pids } = recorded();
        const notes: LabProgress[] = [];
        const lab = new LabRequestHandler({ runner, notify: note => notes.push(note) });
        const result = await lab.handle(
            { uri: pathToFileURL(file).toString(), failures: ['host:mc2'], progressId: 'real' },
            new CancellationTokenSource().token
        );
        expect(result.ok, JSON.stringify(result)).toBe(true);
        if (!result.ok) return;
        expect(result.failures).toEqual(['host:mc2']);
        expect(result.summary.predictions).toBeGreaterThan(0);
        expect(result.summary.contradicted, JSON.stringify(result.results, null, 1)).toBe(0);
        // The survivor still answers the public zone, as port-exposed says.
        expect(result.results).toContainEqual(
            expect.objectContaining({ subject: 'memcached:mc', claim: expect.stringContaining('on mc1'), agrees: true })
        );
        expect(notes.every(note => note.progressId === 'real' && typeof note.seconds === 'number')).toBe(true);
        expect(notes.map(note => note.line)).toEqual(
            expect.arrayContaining(['memcached: starting on mc1', 'injecting host:mc2'])
        );
        expectNothingLeft(pids[0], notes);
    }, 120_000);

    it('cancelled while it boots: the lab tears down, then the request answers "cancelled"', async () => {
        const { runner, pids } = recorded();
        const notes: LabProgress[] = [];
        const source = new CancellationTokenSource();
        const lab = new LabRequestHandler({
            runner,
            notify: note => {
                notes.push(note);
                if (/^network: /.test(note.line)) source.cancel();
            }
        });
        const result = await lab.handle(
            { uri: pathToFileURL(file).toString(), failures: [], progressId: 'cancel' },
            source.token
        );
        expect(source.token.isCancellationRequested, 'the lab began to build its network').toBe(true);
        expect(result).toMatchObject({ ok: false, reason: 'cancelled' });
        expect(notes.at(-1)!.line).toMatch(/SIGINT: tearing down/);
        expectNothingLeft(pids[0], notes);
    }, 120_000);
});
