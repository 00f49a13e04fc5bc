// The benchmark (issue 7). Bundled by bench/build.mjs into bench/out/run.cjs; `npm run bench` builds
// and runs it. Without arguments it runs every size, each in its own child process, then the
// `hatopo check` process, prints a table with the ratios and budgets and writes bench/results.json.
//   node bench/out/run.cjs [--sizes 100,1000] [--no-write]
//   node --expose-gc bench/out/run.cjs --child 1000      (one size; prints one JSON line)

import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';
import { generate, random } from './generate.js';
import { brokenFindings, median, percentile, sample, timeBuild, timeDiagram, timeParse } from './measure.js';

const ROOT = path.resolve(__dirname, '../..');
const OUT = path.join(ROOT, 'bench/out');
const SEED = 7;

export interface Result {
    name: string;
    hosts: number;
    medianMs: number;
    p95Ms?: number;
    rssMB?: number;
}

/** Runs per size: fewer for big sizes, so the whole bench stays within minutes on two cores. */
interface Plan {
    runs: number;
    warmUp: number;
    edits: number;
}
const PLANS: Record<number, Plan> = {
    100: { runs: 7, warmUp: 2, edits: 60 },
    500: { runs: 5, warmUp: 2, edits: 60 },
    1000: { runs: 5, warmUp: 1, edits: 60 },
    5000: { runs: 5, warmUp: 1, edits: 50 },
    // The server at 20,000 hosts: opened and edited a few times for its memory, not for latency
    // percentiles (50 edits would take most of the time budget on their own).
    20000: { runs: 2, warmUp: 1, edits: 4 }
};
const DEFAULT_SIZES = [100, 500, 1000, 5000, 20000];
const CLI_SIZE = 5000;

function log(message: string): void {
    process.stderr.write(`[bench] ${message}\n`);
}

function round(value: number, digits = 1): number {
    const f = 10 ** digits;
    return Math.round(value * f) / f;
}

// ------------------------------------------------------------------ one size, in a child process
async function child(hosts: number): Promise<Result[]> {
    const plan = PLANS[hosts] ?? { runs: 3, warmUp: 1, edits: 50 };
    const files = generate({ hosts, seed: SEED });
    const text = files[0].text;
    const results: Result[] = [];
    const add = (name: string, samples: number[]) => {
        results.push({ name, hosts, medianMs: round(median(samples)) });
        log(`${hosts} hosts: ${name} ${samples.map(s => round(s)).join(', ')} ms`);
    };

    const first = await timeBuild(files, true);
    const broken = brokenFindings(first.documents);
    if (broken.length > 0) throw new Error(`generated topology is broken:\n${broken.slice(0, 10).join('\n')}`);

    add('parse', await sample(plan.runs, plan.warmUp, () => timeParse(text)));
    add('langium-build', await sample(plan.runs, plan.warmUp, async () => (await timeBuild(files, false)).ms));
    add('full-check', await sample(plan.runs, plan.warmUp, async () => (await timeBuild(files, true)).ms));
    add('diagram', await sample(plan.runs, plan.warmUp, async () => (await timeDiagram(first)).ms));

    if (plan.edits > 0) {
        const server = await serverEdits(text, plan.edits, hosts);
        results.push({ name: 'server-open', hosts, medianMs: round(server.openMs), rssMB: round(server.rssMB) });
        if (plan.edits >= 50) {
            results.push({
                name: 'edit-diagnostics',
                hosts,
                medianMs: round(percentile(server.latencies, 50)),
                p95Ms: round(percentile(server.latencies, 95)),
                rssMB: round(server.rssMB)
            });
        }
        log(
            `${hosts} hosts: server open ${round(server.openMs)} ms, edits p50 ${round(percentile(server.latencies, 50))} p95 ${round(percentile(server.latencies, 95))} max ${round(server.latencies.at(-1)!)} ms, VmHWM ${round(server.rssMB)} MB`
        );
    }
    return results;
}

function position(text: string, offset: number): { line: number; character: number } {
    let line = 0,
        lineStart = 0;
    for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
        line++;
        lineStart = i + 1;
    }
    return { line, character: offset - lineStart };
}

/**
 * The real server over stdio: open the file, then single-character edits at seeded random places,
 * each timed from didChange to the publishDiagnostics that follows it. Edits come in pairs (type a
 * letter, delete it again), so the text keeps returning to the generated one.
 */
async function serverEdits(
    initial: string,
    edits: number,
    seed: number
): Promise<{ openMs: number; latencies: number[]; rssMB: number }> {
    const server = spawn(process.execPath, [path.join(ROOT, 'out/server.cjs'), '--stdio'], {
        stdio: ['pipe', 'pipe', 'inherit']
    });
    const connection = createMessageConnection(
        new StreamMessageReader(server.stdout!),
        new StreamMessageWriter(server.stdin!)
    );
    const uri = 'file:///bench/edited.hatopo';
    let waiting: ((at: number) => void) | undefined;
    connection.onNotification('textDocument/publishDiagnostics', (params: { uri: string }) => {
        if (params.uri !== uri) return;
        const at = performance.now();
        const resolve = waiting;
        waiting = undefined;
        resolve?.(at);
    });
    connection.onRequest(() => null);
    connection.listen();
    const next = () =>
        new Promise<number>((resolve, reject) => {
            const timer = setTimeout(() => reject(new Error('no publishDiagnostics within 300 s')), 300_000);
            waiting = at => {
                clearTimeout(timer);
                resolve(at);
            };
        });
    try {
        await connection.sendRequest('initialize', {
            processId: process.pid,
            rootUri: null,
            capabilities: {},
            workspaceFolders: null
        });
        await connection.sendNotification('initialized', {});
        let text = initial;
        let version = 1;
        let published = next();
        const opened = performance.now();
        await connection.sendNotification('textDocument/didOpen', {
            textDocument: { uri, languageId: 'hatopo', version, text }
        });
        const openMs = (await published) - opened;
        await new Promise(resolve => setTimeout(resolve, 300)); // let a late second publication pass
        const rand = random(seed);
        const latencies: number[] = [];
        let inserted: number | undefined;
        for (let i = 0; i < edits; i++) {
            let change;
            if (inserted === undefined) {
                const offset = Math.floor(rand() * text.length);
                const letter = String.fromCharCode(97 + Math.floor(rand() * 26));
                const at = position(text, offset);
                change = { range: { start: at, end: at }, text: letter };
                text = text.slice(0, offset) + letter + text.slice(offset);
                inserted = offset;
            } else {
                const start = position(text, inserted),
                    end = { line: start.line, character: start.character + 1 };
                change = { range: { start, end }, text: '' };
                text = text.slice(0, inserted) + text.slice(inserted + 1);
                inserted = undefined;
            }
            published = next();
            const sent = performance.now();
            await connection.sendNotification('textDocument/didChange', {
                textDocument: { uri, version: ++version },
                contentChanges: [change]
            });
            latencies.push((await published) - sent);
        }
        const status = readFileSync(`/proc/${server.pid}/status`, 'utf8');
        const hwm = /VmHWM:\s+(\d+)\s+kB/.exec(status);
        return { openMs, latencies: latencies.sort((a, b) => a - b), rssMB: hwm ? Number(hwm[1]) / 1024 : NaN };
    } finally {
        const exited = new Promise(resolve => server.once('exit', resolve));
        try {
            await Promise.race([connection.sendRequest('shutdown'), new Promise(resolve => setTimeout(resolve, 5000))]);
            await connection.sendNotification('exit');
            await Promise.race([exited, new Promise(resolve => setTimeout(resolve, 3000))]);
        } finally {
            connection.dispose();
            if (server.exitCode === null) server.kill();
        }
    }
}

// ------------------------------------------------------------------ the whole bench
function runChild(hosts: number): Promise<Result[]> {
    return new Promise((resolve, reject) => {
        const proc = spawn(
            process.execPath,
            ['--expose-gc', '--max-old-space-size=4096', __filename, '--child', String(hosts)],
            { stdio: ['ignore', 'pipe', 'inherit'] }
        );
        let stdout = '';
        proc.stdout.on('data', chunk => {
            stdout += chunk;
        });
        proc.on('exit', code => {
            const line = stdout.trim().split('\n').filter(Boolean).at(-1);
            if (code !== 0 || !line) reject(new Error(`size ${hosts}: child exited with ${code}`));
            else resolve(JSON.parse(line) as Result[]);
        });
    });
}

function cliCheck(hosts: number): Result {
    const dir = path.join(OUT, 'tmp');
    mkdirSync(dir, { recursive: true });
    const file = path.join(dir, `topology-${hosts}.hatopo`);
    writeFileSync(file, generate({ hosts, seed: SEED })[0].text);
    const once = () => {
        const start = performance.now();
        const result = spawnSync(process.execPath, [path.join(ROOT, 'bin/hatopo.cjs'), 'check', file], {
            encoding: 'utf8'
        });
        const ms = performance.now() - start;
        if (result.status !== 0)
            throw new Error(`hatopo check exited ${result.status}: ${result.stdout.slice(0, 2000)}${result.stderr}`);
        return ms;
    };
    once(); // warm the file cache
    const samples = [once(), once(), once()].sort((a, b) => a - b);
    log(`${hosts} hosts: hatopo check process ${samples.map(s => round(s)).join(', ')} ms`);
    return { name: 'cli-check', hosts, medianMs: round(median(samples)) };
}

interface Budget {
    what: string;
    limit: string;
    value: number | undefined;
    max: number;
    unit: string;
}

function report(results: Result[]): string {
    const get = (name: string, hosts: number) => results.find(r => r.name === name && r.hosts === hosts);
    const sizes = [...new Set(results.map(r => r.hosts))].sort((a, b) => a - b);
    const names = ['parse', 'langium-build', 'full-check', 'diagram', 'server-open', 'edit-diagnostics', 'cli-check'];
    const labels: Record<string, string> = {
        parse: 'parse only (ms)',
        'langium-build': 'Langium build, no validation (ms)',
        'full-check': 'full check (ms)',
        diagram: 'architecture view: model+rules+ELK+SVG (ms)',
        'server-open': 'server: open → diagnostics (ms)',
        'edit-diagnostics': 'server: edit → diagnostics p50 / p95 (ms)',
        'cli-check': 'hatopo check process (ms)'
    };
    const rows: string[][] = [['hosts', ...sizes.map(String)]];
    for (const name of names) {
        if (!results.some(r => r.name === name)) continue;
        rows.push([
            labels[name],
            ...sizes.map(hosts => {
                const r = get(name, hosts);
                return !r ? '–' : r.p95Ms !== undefined ? `${r.medianMs} / ${r.p95Ms}` : String(r.medianMs);
            })
        ]);
    }
    const ratio = (hosts: number) => {
        const full = get('full-check', hosts),
            build = get('langium-build', hosts);
        return full && build ? full.medianMs / build.medianMs : undefined;
    };
    const perHost = (hosts: number) => {
        const full = get('full-check', hosts);
        return full ? full.medianMs / hosts : undefined;
    };
    rows.push(['full check ÷ Langium build', ...sizes.map(hosts => ratio(hosts)?.toFixed(2) ?? '–')]);
    rows.push([
        'full check per host (µs)',
        ...sizes.map(hosts => {
            const v = perHost(hosts);
            return v === undefined ? '–' : (v * 1000).toFixed(0);
        })
    ]);
    rows.push([
        'server peak RSS, VmHWM (MB)',
        ...sizes.map(hosts => get('server-open', hosts)?.rssMB?.toFixed(0) ?? '–')
    ]);
    const widths = rows[0].map((_, c) => Math.max(...rows.map(row => row[c].length)));
    const table = rows
        .map(row => row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  '))
        .join('\n');

    const growth =
        perHost(20000) !== undefined && perHost(1000) !== undefined ? perHost(20000)! / perHost(1000)! : undefined;
    const budgets: Budget[] = [
        { what: 'full check ÷ Langium build at 5,000', limit: '≤ 1.5×', value: ratio(5000), max: 1.5, unit: '×' },
        { what: 'time per host growth 1,000 → 20,000', limit: '≤ 1.5×', value: growth, max: 1.5, unit: '×' },
        {
            what: 'edit → diagnostics p95 at 1,000',
            limit: '≤ 150 ms',
            value: get('edit-diagnostics', 1000)?.p95Ms,
            max: 150,
            unit: ' ms'
        },
        {
            what: 'edit → diagnostics p95 at 5,000',
            limit: '≤ 500 ms',
            value: get('edit-diagnostics', 5000)?.p95Ms,
            max: 500,
            unit: ' ms'
        },
        // Issue 10: the architecture view (the default) of one file.
        {
            what: 'architecture view at 500',
            limit: '≤ 300 ms',
            value: get('diagram', 500)?.medianMs,
            max: 300,
            unit: ' ms'
        },
        {
            what: 'architecture view at 5,000',
            limit: '≤ 2 s',
            value: get('diagram', 5000)?.medianMs,
            max: 2000,
            unit: ' ms'
        },
        {
            what: 'hatopo check process at 5,000',
            limit: '≤ 1 s',
            value: get('cli-check', 5000)?.medianMs,
            max: 1000,
            unit: ' ms'
        },
        {
            what: 'server RSS at 20,000',
            limit: '≤ 500 MB',
            value: get('server-open', 20000)?.rssMB,
            max: 500,
            unit: ' MB'
        }
    ];
    const budgetRows = budgets.map(b => {
        const verdict =
            b.value === undefined
                ? 'not measured'
                : b.value <= b.max
                  ? 'PASS'
                  : `FAIL (${(b.value / b.max).toFixed(2)}× the budget)`;
        const value = b.value === undefined ? '–' : `${b.unit === '×' ? b.value.toFixed(2) : round(b.value)}${b.unit}`;
        return `${b.what.padEnd(38)} ${b.limit.padEnd(9)} ${value.padStart(10)}  ${verdict}`;
    });
    return `${table}\n\nBudgets\n${budgetRows.join('\n')}\n`;
}

async function main(args: string[]): Promise<void> {
    const childAt = args.indexOf('--child');
    if (childAt !== -1) {
        const results = await child(Number(args[childAt + 1]));
        process.stdout.write(JSON.stringify(results) + '\n');
        return;
    }
    const sizesAt = args.indexOf('--sizes');
    const sizes = sizesAt !== -1 ? args[sizesAt + 1].split(',').map(Number) : DEFAULT_SIZES;
    const started = performance.now();
    const results: Result[] = [];
    for (const hosts of sizes) {
        log(`size ${hosts} …`);
        results.push(...(await runChild(hosts)));
    }
    if (sizes.includes(CLI_SIZE)) results.push(cliCheck(CLI_SIZE));
    const order = ['parse', 'langium-build', 'full-check', 'diagram', 'server-open', 'edit-diagnostics', 'cli-check'];
    results.sort((a, b) => order.indexOf(a.name) - order.indexOf(b.name) || a.hosts - b.hosts);
    process.stdout.write(
        `\nhatopo bench (node ${process.version}, ${(await import('node:os')).cpus().length} cores, seed ${SEED}, ${round((performance.now() - started) / 1000)} s)\n\n`
    );
    process.stdout.write(report(results));
    if (!args.includes('--no-write')) {
        writeFileSync(path.join(ROOT, 'bench/results.json'), JSON.stringify(results, null, 2) + '\n');
        process.stdout.write('\nwrote bench/results.json\n');
    }
}

main(process.argv.slice(2)).catch(error => {
    process.stderr.write(`bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
});
