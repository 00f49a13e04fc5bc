// "HA Topology: Run Lab" without booting a lab: the `hatopo/lab` request's plumbing with a fake lab
// runner (progress forwarded as notifications, the report parsed, cancelling interrupts the lab and
// answers once it has torn down, one lab at a time, the CLI's refusals passed on in its words), the
// real runner on a stand-in CLI process (lines, SIGINT), the message for a machine that cannot run
// the lab, and the table the output channel shows. The bundled server answers the request in
// test/server.test.ts; the real lab through it is in test/lab/lab-request.test.ts.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { CancellationTokenSource } from 'vscode-languageserver';
import { afterAll, describe, expect, it } from 'vitest';
import { formatLabTable, labSummaryLine } from '../client/lab-table.js';
import type { LabLine, LabProgress, LabResult } from '../protocol/messages.js';
import {
    cliLabRunner,
    labArguments,
    LabRequestHandler,
    machineRefusal,
    type LabExit,
    type LabInvocation,
    type LabRunner
} from '../server/lab-request.js';

const folder = mkdtempSync(path.join(tmpdir(), 'hatopo-lab-request-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

const LINES: LabLine[] = [
    {
        subject: 'galera:db',
        claim: 'the surviving members keep the Primary Component',
        predicted: 'Primary, weight 2 of 3',
        observed: 'a1 Primary (size 2, weight 2); b1 Primary (size 2, weight 2)',
        agrees: true
    },
    {
        subject: 'flow Galera IST 4568/tcp',
        claim: 'connects as booted (4 pairs)',
        predicted: 'blocked (port-unreachable: link r1 <-> r2 does not allow 4568/tcp)',
        observed: '0 of 4 connect',
        agrees: false
    }
];
const REPORT = JSON.stringify({ results: LINES, summary: { predictions: 2, confirmed: 1, contradicted: 1 } });

/** A lab that writes the given stderr lines, then exits as told, or waits to be interrupted. */
function fakeRunner(script: { lines?: string[]; exit?: Partial<LabExit>; waitForInterrupt?: boolean }) {
    const calls: LabInvocation[] = [];
    let interrupted = 0;
    const runner: LabRunner = (invocation, onLine) => {
        calls.push(invocation);
        let finish: (exit: LabExit) => void = () => undefined;
        const exit = new Promise<LabExit>(resolve => (finish = resolve));
        setTimeout(() => {
            for (const line of script.lines ?? []) onLine(line);
            if (!script.waitForInterrupt) finish({ code: 0, signal: null, stdout: REPORT, stderr: '', ...script.exit });
        }, 5);
        return {
            exit,
            interrupt: () => {
                interrupted++;
                onLine('hatopo lab [2.0 s]: SIGINT: tearing down');
                setTimeout(() => finish({ code: 130, signal: null, stdout: '', stderr: '' }), 20);
            }
        };
    };
    return { runner, calls, interrupted: () => interrupted };
}

function handler(runner: LabRunner, refusal: (i: LabInvocation) => string | undefined = () => undefined) {
    const notes: LabProgress[] = [];
    return { lab: new LabRequestHandler({ runner, notify: note => notes.push(note), refusal }), notes };
}

const params = (failures: string[] = ['region:r3']) => ({
    uri: 'file:///work/topologies/three%20regions.hatopo',
    failures,
    progressId: 'run-1'
});

describe('the hatopo/lab request, with a fake lab', () => {
    it('runs the CLI on the saved file with the what-if, forwards its progress and answers with the report', async () => {
        const fake = fakeRunner({
            lines: [
                'hatopo lab [0.1 s]: 4 hosts and observers, 6 daemons for three; files in /tmp/hatopo-lab-x',
                'hatopo lab [3.4 s]: starting a1 (bootstrap), waiting for Synced'
            ]
        });
        const { lab, notes } = handler(fake.runner);
        const result = await lab.handle(params(), new CancellationTokenSource().token);
        expect(fake.calls).toEqual([
            { file: '/work/topologies/three regions.hatopo', failures: ['region:r3'], timeoutSeconds: undefined }
        ]);
        expect(notes).toEqual([
            {
                progressId: 'run-1',
                seconds: 0.1,
                line: '4 hosts and observers, 6 daemons for three; files in /tmp/hatopo-lab-x'
            },
            { progressId: 'run-1', seconds: 3.4, line: 'starting a1 (bootstrap), waiting for Synced' }
        ]);
        expect(result).toMatchObject({
            ok: true,
            results: LINES,
            summary: { predictions: 2, confirmed: 1, contradicted: 1 },
            failures: ['region:r3']
        });
        // A contradiction is a result (exit 1), not a failure of the request.
        const contradicted = fakeRunner({ exit: { code: 1 } });
        expect((await handler(contradicted.runner).lab.handle(params(), new CancellationTokenSource().token)).ok).toBe(
            true
        );
    });

    it('passes the CLI arguments as an operator would type them', () => {
        expect(labArguments({ file: '/a/b.hatopo', failures: ['host:x', 'link:l'], timeoutSeconds: 30 })).toEqual([
            'lab',
            '/a/b.hatopo',
            '--fail',
            'host:x',
            '--fail',
            'link:l',
            '--format',
            'json',
            '--timeout',
            '30'
        ]);
    });

    it('cancelling interrupts the lab, waits for its teardown, then answers "cancelled"', async () => {
        const fake = fakeRunner({ lines: ['hatopo lab [0.5 s]: starting a1'], waitForInterrupt: true });
        const { lab, notes } = handler(fake.runner);
        const source = new CancellationTokenSource();
        const answer = lab.handle(params(), source.token);
        await new Promise(resolve => setTimeout(resolve, 30));
        source.cancel();
        const result = await answer;
        expect(fake.interrupted()).toBe(1);
        expect(result).toEqual({
            ok: false,
            reason: 'cancelled',
            message: 'cancelled: the lab stopped and tore down what it had started'
        });
        expect(notes.map(note => note.line)).toContain('SIGINT: tearing down');
    });

    it('runs one lab at a time', async () => {
        const fake = fakeRunner({ waitForInterrupt: true });
        const { lab } = handler(fake.runner);
        const source = new CancellationTokenSource();
        const first = lab.handle(params(), source.token);
        const second = await lab.handle(params(), new CancellationTokenSource().token);
        expect(second).toMatchObject({ ok: false, reason: 'busy' });
        source.cancel();
        expect((await first).ok).toBe(false);
        expect(fake.calls).toHaveLength(1);
    });

    it('passes on the CLI’s refusal in its words (missing programs, a file too large: exit 2)', async () => {
        const fake = fakeRunner({
            lines: ['hatopo lab: missing ip, nft: run apt-get install -y --no-install-recommends iproute2 nftables'],
            exit: { code: 2, stdout: '' }
        });
        const result = await handler(fake.runner).lab.handle(params(), new CancellationTokenSource().token);
        expect(result).toEqual({
            ok: false,
            reason: 'input',
            message: 'missing ip, nft: run apt-get install -y --no-install-recommends iproute2 nftables'
        });
    });

    it('refuses what the lab cannot take before starting anything', async () => {
        const fake = fakeRunner({});
        const { lab } = handler(fake.runner);
        const token = new CancellationTokenSource().token;
        expect(await lab.handle(params(['moon:x']), token)).toMatchObject({ ok: false, reason: 'input' });
        expect(await lab.handle({ ...params(), uri: 'untitled:Untitled-1' }, token)).toMatchObject({
            ok: false,
            reason: 'input'
        });
        const refused = handler(fake.runner, () => 'no lab here');
        expect(await refused.lab.handle(params(), token)).toEqual({
            ok: false,
            reason: 'machine',
            message: 'no lab here'
        });
        expect(fake.calls).toEqual([]);
    });
});

describe('a machine that cannot run the lab is told so in one message', () => {
    const invocation = { file: '/work/my topology.hatopo', failures: ['region:wlg'] };

    it('Linux as root can', () => {
        expect(machineRefusal(invocation, 'linux', 0)).toBeUndefined();
    });

    it('not root: says why and the command to run in a root terminal', () => {
        const message = machineRefusal(invocation, 'linux', 1000)!;
        expect(message).toMatch(/^The lab needs root: it makes network namespaces/);
        expect(message).toContain("sudo npx hatopo lab '/work/my topology.hatopo' --fail region:wlg");
        expect(message.split('\n')).toHaveLength(1);
    });

    it('not Linux: says the lab runs on Linux only', () => {
        const message = machineRefusal(invocation, 'darwin', 501)!;
        expect(message).toMatch(/^The lab runs on Linux only/);
        expect(message).toContain('darwin');
    });

    it('the handler uses that check by default', async () => {
        const fake = fakeRunner({});
        const lab = new LabRequestHandler({ runner: fake.runner, notify: () => undefined });
        const result = await lab.handle(params(), new CancellationTokenSource().token);
        if (process.platform === 'linux' && process.getuid?.() === 0) expect(result.ok).toBe(true);
        else expect(result).toMatchObject({ ok: false, reason: 'machine' });
    });
});

describe('the real runner, on a stand-in for the CLI', () => {
    // Prints progress on stderr the way `hatopo lab` does, then the JSON report; on SIGINT says it
    // tears down and exits 130, as the lab does.
    const standIn = path.join(folder, 'lab-stand-in.cjs');
    writeFileSync(
        standIn,
        `const args = process.argv.slice(2);
process.stderr.write('hatopo lab [0.0 s]: args ' + JSON.stringify(args) + '\\n');
process.stderr.write('hatopo lab [0.1 s]: starting a1 (bootstrap), ');
setTimeout(() => process.stderr.write('waiting for Synced\\n'), 20);
process.on('SIGINT', () => { process.stderr.write('hatopo lab [0.2 s]: SIGINT: tearing down\\n'); process.exit(130); });
if (args.includes('--fail') && args[args.indexOf('--fail') + 1] === 'host:slow') setInterval(() => {}, 1000);
else setTimeout(() => { process.stdout.write(${JSON.stringify(REPORT)}); process.exit(0); }, 60);
`
    );

    it('passes the arguments, splits stderr into lines (a line may come in pieces), reads stdout', async () => {
        const lines: string[] = [];
        const running = cliLabRunner(standIn)({ file: 'a.hatopo', failures: ['region:r1'] }, line => lines.push(line));
        const exit = await running.exit;
        expect(exit.code).toBe(0);
        expect(JSON.parse(exit.stdout).summary.contradicted).toBe(1);
        expect(lines).toEqual([
            `hatopo lab [0.0 s]: args ${JSON.stringify(['lab', 'a.hatopo', '--fail', 'region:r1', '--format', 'json'])}`,
            'hatopo lab [0.1 s]: starting a1 (bootstrap), waiting for Synced'
        ]);
    });

    it('interrupts with SIGINT, and the request answers "cancelled" after the process has gone', async () => {
        const notes: LabProgress[] = [];
        const lab = new LabRequestHandler({
            runner: cliLabRunner(standIn),
            notify: note => notes.push(note),
            refusal: () => undefined
        });
        const source = new CancellationTokenSource();
        const answer = lab.handle({ uri: 'file:///a.hatopo', failures: ['host:slow'], progressId: 'p' }, source.token);
        while (!notes.some(note => note.line.startsWith('starting'))) await new Promise(r => setTimeout(r, 10));
        source.cancel();
        const result: LabResult = await answer;
        expect(result).toMatchObject({ ok: false, reason: 'cancelled' });
        expect(notes.at(-1)!.line).toBe('SIGINT: tearing down');
    });

    it('a CLI that cannot start is a failed run with the reason, not a hang', async () => {
        const running = cliLabRunner(standIn, path.join(folder, 'no-such-node'))(
            { file: 'a.hatopo', failures: [] },
            () => undefined
        );
        const exit = await running.exit;
        expect(exit.code).toBeNull();
        expect(exit.stderr).toMatch(/ENOENT/);
    });
});

describe('the table the output channel shows', () => {
    const report = {
        ok: true as const,
        results: LINES,
        summary: { predictions: 2, confirmed: 1, contradicted: 1 },
        seconds: 41.26,
        failures: ['region:r3']
    };

    it('names what ran, lines the columns up, wraps long cells inside their column, ends with the summary', () => {
        const table = formatLabTable(report, 'three.hatopo');
        const lines = table.split('\n');
        expect(lines[0]).toBe('hatopo lab three.hatopo --fail region:r3   (41.3 s)');
        expect(lines[2]).toMatch(/^AGREES +SUBJECT +CLAIM +PREDICTED +OBSERVED$/);
        const columns = ['SUBJECT', 'CLAIM', 'PREDICTED', 'OBSERVED'].map(title => lines[2].indexOf(title));
        // Every row's cells start at their column.
        const rows = lines.slice(4, lines.indexOf('', 4));
        expect(rows[0].startsWith('yes')).toBe(true);
        for (const row of rows) for (const column of columns) expect(row[column - 1] ?? ' ', row).toBe(' ');
        expect(rows.find(row => row.startsWith('NO'))).toContain('flow Galera IST 4568/tcp');
        // The long prediction wraps, none of its words lost.
        expect(rows.map(row => row.slice(columns[2], columns[3]).trim()).join(' ')).toContain(
            'blocked (port-unreachable: link r1 <-> r2 does not allow 4568/tcp)'
        );
        expect(lines.at(-2)).toBe('lab: 2 predictions, 1 confirmed, 1 contradicted');
    });

    it('says the result in one line', () => {
        expect(labSummaryLine(report)).toBe('Lab: 1 of 2 predictions contradicted by the real programs');
        expect(labSummaryLine({ ...report, summary: { predictions: 2, confirmed: 2, contradicted: 0 } })).toBe(
            'Lab: all 2 predictions confirmed by the real programs'
        );
    });
});
