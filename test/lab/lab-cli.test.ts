// `hatopo lab` as an operator runs it: the acceptance cases of issue 12 through the bundled CLI,
// its exit codes, its refusals (usage, missing programs, a file too large for one machine), and
// nothing left behind: no namespace, no /etc/netns entry, no process, no scratch folder.

import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generate } from '../../bench/generate.js';
import { requireLab } from './lab-helpers.js';
import { istLink, ONE_PER_REGION, TWO_PLUS_TWO } from './topologies.js';

const CLI = path.resolve('bin/hatopo.cjs');

/** The smallest lab: one memcached server and an observer in a public zone (no Galera, seconds to boot). */
const CACHE_ONLY = `topology cacheonly "memcached only"
region r1 10.41.0.0/16 {
  zone edge 10.41.0.0/24 trust public {
    host web1 10.41.0.11
  }
  zone app 10.41.1.0/24 trust internal {
    host mc1 10.41.1.41
  }
}
memcached mc {
  servers mc1
}
`;
const folder = mkdtempSync(path.join(tmpdir(), 'hatopo-lab-cli-'));

interface Run {
    code: number | null;
    stdout: string;
    stderr: string;
    pid: number;
}

function hatopo(
    args: string[],
    env: NodeJS.ProcessEnv = process.env,
    onProgress?: (stderr: string, child: ReturnType<typeof spawn>) => void
): Promise<Run> {
    return new Promise(resolve => {
        const child = spawn(process.execPath, [CLI, ...args], { cwd: folder, env });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', chunk => (stdout += chunk));
        child.stderr.on('data', chunk => {
            stderr += chunk;
            onProgress?.(stderr, child);
        });
        child.on('close', code => resolve({ code, stdout, stderr, pid: child.pid! }));
    });
}

function file(name: string, text: string): string {
    writeFileSync(path.join(folder, name), text);
    return name;
}

/** The CLI's namespaces are `hl<pid>x<n>-…`; its scratch folder is named in its first progress lines. */
function expectNothingLeft(run: Run): void {
    const prefix = `hl${run.pid % 100000}x`;
    const namespaces = spawnSync('ip', ['netns', 'list'], { encoding: 'utf8' }).stdout;
    expect(namespaces.split('\n').filter(line => line.startsWith(prefix))).toEqual([]);
    expect(existsSync('/etc/netns') ? readdirSync('/etc/netns').filter(name => name.startsWith(prefix)) : []).toEqual(
        []
    );
    const scratch = /files in (\S+)/.exec(run.stderr)?.[1];
    expect(scratch, 'the CLI names its scratch folder').toBeDefined();
    expect(existsSync(scratch!)).toBe(false);
    // No process anywhere still uses the lab's files (mariadbd, haproxy, keepalived … all take paths in it).
    const users = readdirSync('/proc')
        .filter(entry => /^\d+$/.test(entry))
        .filter(pid => {
            try {
                return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(scratch!);
            } catch {
                return false;
            }
        });
    expect(users).toEqual([]);
}

function json(run: Run) {
    return JSON.parse(run.stdout) as {
        results: Array<{ subject: string; claim: string; predicted: string; observed: string; agrees: boolean }>;
        summary: { predictions: number; confirmed: number; contradicted: number };
    };
}

beforeAll(() => requireLab());
afterAll(() => rmSync(folder, { recursive: true, force: true }));

describe.concurrent('hatopo lab (the CLI)', () => {
    it('three regions, one member each, --fail region:r3: survivors Primary, as check says; exit 0, contradicted 0', async () => {
        const name = file('three.hatopo', ONE_PER_REGION);
        const run = await hatopo(['lab', name, '--fail', 'region:r3', '--format', 'json']);
        expect(run.code, run.stderr).toBe(0);
        const report = json(run);
        expect(report.summary.contradicted).toBe(0);
        expect(report.summary.confirmed).toBe(report.summary.predictions);
        const survivors = report.results.find(r => r.subject === 'galera:db' && r.claim.includes('surviving'))!;
        expect(survivors.observed).toMatch(/a1 Primary \(size 2, weight 2\); b1 Primary \(size 2, weight 2\)/);
        expect(run.stderr).toMatch(/starting a1 \(bootstrap\), waiting for Synced/);
        expectNothingLeft(run);
        const checked = await hatopo(['check', name, '--fail', 'region:r3', '--format', 'json', '--exit-zero']);
        const cluster = JSON.parse(checked.stdout).whatIf[0].result.clusters[0];
        expect(cluster.primary).toBe(true);
        expect(survivors.predicted).toBe(`Primary, weight ${cluster.survivingWeight} of ${cluster.totalWeight}`);
    }, 240_000);

    it('2 + 2, --fail region:r1: non-Primary on both sides, as predicted', async () => {
        const run = await hatopo([
            'lab',
            file('two-two.hatopo', TWO_PLUS_TWO),
            '--fail',
            'region:r1',
            '--format',
            'json'
        ]);
        expect(run.code, run.stderr).toBe(0);
        const report = json(run);
        expect(report.summary.contradicted).toBe(0);
        const sides = report.results.filter(r => r.subject === 'galera:db' && r.claim.startsWith('Primary Component'));
        expect(sides.map(r => r.observed)).toEqual([
            expect.stringMatching(/^b1 non-Primary.*b2 non-Primary/),
            expect.stringMatching(/^a1 non-Primary.*a2 non-Primary/)
        ]);
        expectNothingLeft(run);
    }, 240_000);

    it('a link lacking 4568: observes the blocked flow port-unreachable names; text output and exit 0', async () => {
        const name = file('ist.hatopo', istLink('3306, 4444, 4567'));
        const checked = await hatopo(['check', name, '--format', 'json']);
        const unreachable = JSON.parse(checked.stdout).find((p: { rule: string }) => p.rule === 'port-unreachable');
        expect(unreachable.message).toMatch(/^Galera IST needs 4568\/tcp .* link r1 <-> r2 does not allow 4568\/tcp/);
        const run = await hatopo(['lab', name]);
        expect(run.code, run.stdout + run.stderr).toBe(0);
        expect(run.stdout).toMatch(
            /agrees +flow Galera IST 4568\/tcp: connects as booted \(4 pairs\)\n +predicted: blocked \(port-unreachable: link r1 <-> r2 does not allow 4568\/tcp\)\n +observed: +0 of 4 connect/
        );
        expect(run.stdout).toMatch(/lab: \d+ predictions, \d+ confirmed, 0 contradicted\n$/);
        expectNothingLeft(run);
    }, 240_000);

    it('--keep leaves the lab up, says how to enter each host and how to take it down', async () => {
        const run = await hatopo(['lab', file('keep.hatopo', CACHE_ONLY), '--keep']);
        expect(run.code, run.stderr).toBe(0);
        const enter = /ip netns exec (\S+-mc1) bash/.exec(run.stderr);
        expect(enter).not.toBeNull();
        const inside = spawnSync('ip', ['netns', 'exec', enter![1], 'ip', '-4', 'address', 'show', 'eth0'], {
            encoding: 'utf8'
        });
        expect(inside.stdout).toContain('10.41.1.41/24');
        const takeDown = run.stderr.trim().split('\n').at(-1)!;
        expect(takeDown).toMatch(
            /^ +for n in .*; do ip netns pids \$n \| xargs -r kill -9; ip netns del \$n; rm -rf \/etc\/netns\/\$n; done; rm -rf \S+$/
        );
        expect(spawnSync('bash', ['-c', takeDown]).status).toBe(0);
        expectNothingLeft(run);
    }, 60_000);

    it('Ctrl-C (SIGINT) while the Galera cluster starts: tears everything down, exit 130', async () => {
        let sent = false;
        // At the bootstrap, the first Galera step: under a loaded CI machine a later step may not come
        // before the lab gives up waiting, and this test is about the teardown, not the boot.
        const run = await hatopo(['lab', file('interrupted.hatopo', ONE_PER_REGION)], process.env, (stderr, child) => {
            if (!sent && /starting a1 \(bootstrap\), waiting for Synced/.test(stderr)) {
                sent = true;
                child.kill('SIGINT');
            }
        });
        expect(sent, run.stderr).toBe(true);
        expect(run.code).toBe(130);
        expect(run.stderr).toMatch(/SIGINT: tearing down/);
        expectNothingLeft(run);
    }, 120_000);

    it('refuses a 5,000-host file with the reason, before starting anything (exit 2)', async () => {
        const [topology] = generate({ hosts: 5000, seed: 12 });
        const run = await hatopo(['lab', file('big.hatopo', topology.text)]);
        expect(run.code).toBe(2);
        expect(run.stderr).toMatch(
            /^hatopo lab: 5000 hosts need \d+ daemons \(the lab starts at most 40\).*too large for a lab on one machine/m
        );
        expect(run.stderr.trim().split('\n')).toHaveLength(1);
    }, 120_000);

    it('names what is missing in one line with the apt command (exit 2)', async () => {
        const run = await hatopo(['lab', file('missing.hatopo', ONE_PER_REGION)], {
            ...process.env,
            PATH: path.dirname(process.execPath)
        });
        expect(run.code).toBe(2);
        expect(run.stderr.trim().split('\n')).toHaveLength(1);
        expect(run.stderr).toMatch(
            /^hatopo lab: missing ip, nft, conntrack, mariadbd, .*: run apt-get install -y --no-install-recommends .*galera-4.*mariadb-server/
        );
    });

    it('usage errors exit 2 with the usage', async () => {
        for (const args of [
            ['lab'],
            ['lab', 'x.hatopo', '--fail', 'zone:z'],
            ['lab', 'x.hatopo', '--format', 'sarif'],
            ['lab', 'x.hatopo', '--timeout', '0']
        ]) {
            const run = await hatopo(args);
            expect(run.code, args.join(' ')).toBe(2);
            expect(run.stderr).toMatch(/usage: hatopo lab FILE/);
        }
        const unknown = await hatopo(['lab', file('unknown.hatopo', ONE_PER_REGION), '--fail', 'region:nowhere']);
        expect(unknown.code).toBe(2);
        expect(unknown.stderr).toMatch(/--fail region:nowhere: no region 'nowhere' in the file/);
    });
});
