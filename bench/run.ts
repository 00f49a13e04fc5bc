// The benchmark (issues 7 and 16). Bundled by bench/build.mjs into bench/out/run.cjs; `npm run bench`
// builds and runs it. Every size runs in a child process of its own (in-process timings, the rules'
// share family by family, the diagram, the export, the language server on one file and, at 5,000
// hosts, on the estate split into region files); then the `hatopo` processes (start, check, export)
// are timed whole. It prints the tables and every budget with PASS/FAIL and writes bench/results.json.
//   node bench/out/run.cjs [--sizes 100,1000] [--no-write] [--peer likec4[@VERSION]]
//   node --expose-gc bench/out/run.cjs --child 1000      (one size; prints one JSON line)
// With --peer likec4, LikeC4 is installed into a scratch folder (bench/peer.ts) and timed in the
// same run on estates of the same element counts: `validate --no-layout` paired with `hatopo check`
// run by run, and edit → diagnostics through its language server.

import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { buildModel } from '../language/model/build-model.js';
import { generate } from './generate.js';
import { LspSession, type ServerCommand } from './lsp-session.js';
import {
    brokenFindings,
    median,
    percentile,
    sample,
    timeBuild,
    timeDiagram,
    timeExport,
    timeParse,
    timeRules
} from './measure.js';
import { DEFAULT_LIKEC4, installLikeC4, type Peer } from './peer.js';
import { likec4Source } from './peer-likec4.js';

const ROOT = path.resolve(__dirname, '../..');
const OUT = path.join(ROOT, 'bench/out');
const SEED = 7;

export interface Result {
    name: string;
    hosts: number;
    medianMs?: number;
    p95Ms?: number;
    /** Peak resident set size of the process measured (VmHWM), MB. */
    rssMB?: number;
    /** Live heap after a full collection, MB. */
    heapMB?: number;
    /** How many samples the median and p95 are of. */
    samples?: number;
    note?: string;
}

/** Runs per size: fewer for big sizes, so the whole bench stays within minutes on two cores. */
interface Plan {
    runs: number;
    warmUp: number;
    edits: number;
    diagramRuns: number;
}
const PLANS: Record<number, Plan> = {
    100: { runs: 7, warmUp: 2, edits: 60, diagramRuns: 5 },
    500: { runs: 5, warmUp: 2, edits: 60, diagramRuns: 5 },
    1000: { runs: 5, warmUp: 1, edits: 60, diagramRuns: 5 },
    5000: { runs: 5, warmUp: 1, edits: 60, diagramRuns: 3 },
    // 20 edits at 20,000 hosts: enough for a p95 that means something, within a few minutes.
    20000: { runs: 2, warmUp: 1, edits: 20, diagramRuns: 1 }
};
const DEFAULT_SIZES = [100, 500, 1000, 5000, 20000];
/** The estate split into region files is measured at this size (issue 16). */
const SPLIT_SIZE = 5000;
const CLI_SIZES = [1000, 5000];
const CLI_RUNS = 7;

function log(message: string): void {
    process.stderr.write(`[bench] ${message}\n`);
}

function round(value: number, digits = 1): number {
    const f = 10 ** digits;
    return Math.round(value * f) / f;
}

function load(): string {
    return os
        .loadavg()
        .map(value => value.toFixed(2))
        .join(' ');
}

function serverCommand(folder?: string): ServerCommand {
    return {
        command: process.execPath,
        args: [
            '--expose-gc',
            '--require',
            path.join(ROOT, 'bench/heap-probe.cjs'),
            path.join(ROOT, 'out/server.cjs'),
            '--stdio'
        ],
        folder,
        heapProbe: true,
        languageId: 'hatopo'
    };
}

// ------------------------------------------------------------------ one size, in a child process
async function child(hosts: number): Promise<Result[]> {
    const plan = PLANS[hosts] ?? { runs: 3, warmUp: 1, edits: 50, diagramRuns: 3 };
    const files = generate({ hosts, seed: SEED });
    const text = files[0].text;
    const results: Result[] = [];
    const add = (name: string, samples: number[], note?: string) => {
        results.push({ name, hosts, medianMs: round(median(samples)), samples: samples.length, note });
        log(`${hosts} hosts: ${name} ${samples.map(s => round(s)).join(', ')} ms`);
    };

    const first = await timeBuild(files, true);
    const broken = brokenFindings(first.documents);
    if (broken.length > 0) throw new Error(`generated topology is broken:\n${broken.slice(0, 10).join('\n')}`);

    add('parse', await sample(plan.runs, plan.warmUp, () => timeParse(text)));
    add('langium-build', await sample(plan.runs, plan.warmUp, async () => (await timeBuild(files, false)).ms));
    add('full-check', await sample(plan.runs, plan.warmUp, async () => (await timeBuild(files, true)).ms));

    // The rules' share, family by family (issue 16: cut it, measure each).
    const families = new Map<string, number[]>();
    for (let i = 0; i < plan.warmUp + plan.runs; i++) {
        for (const [name, ms] of timeRules(first)) {
            if (i < plan.warmUp) continue;
            families.set(name, [...(families.get(name) ?? []), ms]);
        }
    }
    for (const [name, samples] of families)
        add(
            `rules:${name}`,
            samples.sort((a, b) => a - b)
        );

    add('diagram', await sample(plan.diagramRuns, 1, async () => (await timeDiagram(first)).ms));
    if (hosts <= 5000) {
        let exported = 0;
        const samples = await sample(plan.runs, plan.warmUp, () => {
            const { ms, files: count } = timeExport(first);
            exported = count;
            return ms;
        });
        add('export', samples, `${exported} files`);
    }

    if (plan.edits > 0) results.push(...(await serverOneFile(hosts, text, plan.edits)));
    if (hosts === SPLIT_SIZE) results.push(...(await serverSplit(hosts, plan.edits)));
    return results;
}

async function serverOneFile(hosts: number, text: string, edits: number): Promise<Result[]> {
    const session = await LspSession.start(serverCommand());
    try {
        const uri = 'file:///bench/edited.hatopo';
        const openMs = await session.open(uri, text);
        await session.quiet();
        const { latencies } = await session.edits(uri, text, edits, hosts);
        const memory = await session.memory();
        log(
            `${hosts} hosts: server open ${round(openMs)} ms, edits p50 ${round(percentile(latencies, 50))} p95 ${round(percentile(latencies, 95))} max ${round(latencies.at(-1)!)} ms, VmHWM ${round(memory.peakRssMB)} MB, live heap ${memory.liveHeapMB} MB`
        );
        return [
            { name: 'server-open', hosts, medianMs: round(openMs), samples: 1 },
            {
                name: 'edit-diagnostics',
                hosts,
                medianMs: round(percentile(latencies, 50)),
                p95Ms: round(percentile(latencies, 95)),
                samples: latencies.length
            },
            { name: 'server-memory', hosts, rssMB: round(memory.peakRssMB), heapMB: memory.liveHeapMB }
        ];
    } finally {
        await session.close();
    }
}

/**
 * The estate split into region files (generate's splitFiles), read from disk as a workspace folder;
 * the user has one region file open and types in it. Timed twice: to the edited file's diagnostics
 * with the next keystroke right after them (typing), and to the diagnostics of every file that
 * imports it (settled), waited for before the next keystroke.
 */
async function serverSplit(hosts: number, edits: number): Promise<Result[]> {
    const folder = path.join(OUT, 'tmp', `split-${hosts}`);
    rmSync(folder, { recursive: true, force: true });
    mkdirSync(folder, { recursive: true });
    const files = generate({ hosts, seed: SEED, splitFiles: true });
    for (const file of files) writeFileSync(path.join(folder, file.name), file.text);
    const edited = files.find(file => file.name === 'region-r05.hatopo')!;
    const uriOf = (name: string) => pathToFileURL(path.join(folder, name)).toString();
    const uri = uriOf(edited.name);
    const importers = importersOf(files, edited.name).map(uriOf);
    const session = await LspSession.start(serverCommand(folder));
    try {
        const started = performance.now();
        const openMs = await session.open(uri, edited.text);
        const workspaceMs = performance.now() - started;
        await session.quiet(1000);
        const typing = await session.edits(uri, edited.text, edits, hosts + 1);
        await session.quiet(1000);
        const settled = await session.edits(uri, edited.text, Math.min(edits, 40), hosts + 2, importers);
        const memory = await session.memory();
        const p = (list: number[], n: number) => round(percentile(list, n));
        log(
            `${hosts} hosts split into ${files.length} files: open ${round(openMs)} ms; edit of ${edited.name} → its diagnostics p50 ${p(typing.latencies, 50)} p95 ${p(typing.latencies, 95)} ms; → its ${importers.length} importers' p50 ${p(settled.settled, 50)} p95 ${p(settled.settled, 95)} ms; VmHWM ${round(memory.peakRssMB)} MB`
        );
        return [
            { name: 'split-open', hosts, medianMs: round(workspaceMs), samples: 1, note: `${files.length} files` },
            {
                name: 'split-edit-diagnostics',
                hosts,
                medianMs: p(typing.latencies, 50),
                p95Ms: p(typing.latencies, 95),
                samples: typing.latencies.length
            },
            {
                name: 'split-edit-settled',
                hosts,
                medianMs: p(settled.settled, 50),
                p95Ms: p(settled.settled, 95),
                samples: settled.settled.length,
                note: `${importers.length} importing files`
            },
            { name: 'split-memory', hosts, rssMB: round(memory.peakRssMB), heapMB: memory.liveHeapMB }
        ];
    } finally {
        await session.close();
    }
}

/** The generated files that import this one, directly or not (their diagnostics depend on it). */
function importersOf(files: ReadonlyArray<{ name: string; text: string }>, name: string): string[] {
    const imports = new Map(
        files.map(file => [file.name, [...file.text.matchAll(/^import "([^"]+)"/gm)].map(m => m[1])])
    );
    const found = new Set<string>();
    const visit = (target: string) => {
        for (const [file, list] of imports)
            if (list.includes(target) && !found.has(file)) {
                found.add(file);
                visit(file);
            }
    };
    visit(name);
    return [...found];
}

// ------------------------------------------------------------------ whole processes
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

/** One whole process, timed from spawn to exit; its peak RSS from the kernel's rusage. */
function timeProcess(argv: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; ok?: number[] } = {}) {
    const start = performance.now();
    const result = spawnSync(argv[0], argv.slice(1), {
        encoding: 'utf8',
        cwd: options.cwd,
        env: { ...process.env, NODE_OPTIONS: '', ...options.env },
        maxBuffer: 256 * 1024 * 1024
    });
    const ms = performance.now() - start;
    if (!(options.ok ?? [0]).includes(result.status ?? -1))
        throw new Error(`${argv.join(' ')} exited ${result.status}: ${result.stdout.slice(0, 2000)}${result.stderr}`);
    return ms;
}

const hatopo = (...args: string[]) => [process.execPath, path.join(ROOT, 'bin/hatopo.cjs'), ...args];

function processRow(name: string, hosts: number, samples: number[], note?: string): Result {
    samples.sort((a, b) => a - b);
    log(`${hosts ? `${hosts} hosts: ` : ''}${name} ${samples.map(s => round(s)).join(', ')} ms (load ${load()})`);
    return {
        name,
        hosts,
        medianMs: round(median(samples)),
        p95Ms: round(percentile(samples, 95)),
        samples: samples.length,
        note
    };
}

function estateFile(hosts: number): string {
    const dir = path.join(OUT, 'tmp');
    mkdirSync(dir, { recursive: true });
    const file = path.join(dir, `topology-${hosts}.hatopo`);
    writeFileSync(file, generate({ hosts, seed: SEED })[0].text);
    return file;
}

/** `hatopo --version` (the start alone), `hatopo check` and `hatopo export`, whole processes. */
function processes(sizes: readonly number[]): Result[] {
    const results: Result[] = [];
    const times = (n: number, run: () => number) => Array.from({ length: n }, run);
    timeProcess(hatopo('--version')); // the compile cache is written by the first run
    results.push(
        processRow(
            'cli-start',
            0,
            times(CLI_RUNS * 2, () => timeProcess(hatopo('--version')))
        )
    );
    results.push(
        processRow(
            'cli-start-no-cache',
            0,
            times(CLI_RUNS, () => timeProcess(hatopo('--version'), { env: { NODE_DISABLE_COMPILE_CACHE: '1' } }))
        )
    );
    for (const hosts of CLI_SIZES.filter(size => sizes.includes(size))) {
        const file = estateFile(hosts);
        timeProcess(hatopo('check', file));
        results.push(
            processRow(
                'cli-check',
                hosts,
                times(CLI_RUNS, () => timeProcess(hatopo('check', file)))
            )
        );
        const out = path.join(OUT, 'tmp', `export-${hosts}`);
        const exportOnce = () => {
            rmSync(out, { recursive: true, force: true });
            return timeProcess(hatopo('export', file, '--out', out));
        };
        exportOnce();
        results.push(processRow('cli-export', hosts, times(3, exportOnce), 'into an empty folder'));
        rmSync(out, { recursive: true, force: true });
    }
    return results;
}

// ------------------------------------------------------------------ the peer
interface PeerRow {
    measure: string;
    hosts: number;
    elements: number;
    hatopo: { median: number; p95: number };
    peer: { median: number; p95: number };
}

async function peerRun(
    spec: string,
    sizes: readonly number[],
    results: Result[]
): Promise<{ peer: Peer; rows: PeerRow[] }> {
    const [name, version = DEFAULT_LIKEC4] = spec.split('@');
    if (name !== 'likec4') throw new Error(`--peer takes likec4 or likec4@VERSION, not '${spec}'`);
    const peer = installLikeC4(version, log);
    log(`peer: likec4 ${peer.version} in ${peer.folder}`);
    const rows: PeerRow[] = [];
    const stats = (samples: number[]) => {
        samples.sort((a, b) => a - b);
        return { median: round(median(samples)), p95: round(percentile(samples, 95)) };
    };
    for (const hosts of CLI_SIZES.filter(size => sizes.includes(size))) {
        const file = estateFile(hosts);
        const built = await timeBuild(generate({ hosts, seed: SEED }), false);
        const source = likec4Source(buildModel(built.documents));
        const folder = path.join(OUT, 'tmp', `likec4-${hosts}`);
        rmSync(folder, { recursive: true, force: true });
        mkdirSync(folder, { recursive: true });
        writeFileSync(path.join(folder, 'model.c4'), source.text);
        // Paired: one hatopo check, one likec4 validate, in turn, so both see the same load.
        const ours: number[] = [],
            theirs: number[] = [];
        timeProcess(hatopo('check', file));
        timeProcess(peer.check(folder), { cwd: folder });
        for (let i = 0; i < CLI_RUNS; i++) {
            ours.push(timeProcess(hatopo('check', file)));
            theirs.push(timeProcess(peer.check(folder), { cwd: folder }));
        }
        const row: PeerRow = {
            measure: 'check, whole process',
            hosts,
            elements: source.elements,
            hatopo: stats(ours),
            peer: stats(theirs)
        };
        rows.push(row);
        log(
            `${hosts} hosts (${source.elements} elements): hatopo check ${row.hatopo.median} ms, likec4 validate ${row.peer.median} ms (load ${load()})`
        );
        results.push({ name: 'peer-check', hosts, medianMs: row.peer.median, p95Ms: row.peer.p95, samples: CLI_RUNS });
        results.push({
            name: 'peer-check-hatopo',
            hosts,
            medianMs: row.hatopo.median,
            p95Ms: row.hatopo.p95,
            samples: CLI_RUNS
        });

        if (peer.lsp) {
            const edits = hosts >= 5000 ? 20 : 40;
            const session = await LspSession.start({
                command: peer.lsp[0],
                args: peer.lsp.slice(1),
                cwd: folder,
                folder,
                languageId: 'likec4'
            });
            try {
                const uri = pathToFileURL(path.join(folder, 'model.c4')).toString();
                const openMs = await session.open(uri, source.text);
                await session.quiet(1000);
                const { latencies } = await session.edits(uri, source.text, edits, hosts);
                const memory = await session.memory();
                const ourEdits = results.find(r => r.name === 'edit-diagnostics' && r.hosts === hosts);
                const ourMemory = results.find(r => r.name === 'server-memory' && r.hosts === hosts);
                rows.push({
                    measure: 'edit → diagnostics (p50 / p95)',
                    hosts,
                    elements: source.elements,
                    hatopo: { median: ourEdits?.medianMs ?? NaN, p95: ourEdits?.p95Ms ?? NaN },
                    peer: stats(latencies)
                });
                rows.push({
                    measure: 'server peak RSS (MB)',
                    hosts,
                    elements: source.elements,
                    hatopo: { median: ourMemory?.rssMB ?? NaN, p95: NaN },
                    peer: { median: round(memory.peakRssMB), p95: NaN }
                });
                log(
                    `${hosts} hosts: likec4 lsp open ${round(openMs)} ms, edits p50 ${round(percentile(latencies, 50))} p95 ${round(percentile(latencies, 95))} ms, VmHWM ${round(memory.peakRssMB)} MB`
                );
                results.push({
                    name: 'peer-edit-diagnostics',
                    hosts,
                    medianMs: round(percentile(latencies, 50)),
                    p95Ms: round(percentile(latencies, 95)),
                    rssMB: round(memory.peakRssMB),
                    samples: latencies.length
                });
            } finally {
                await session.close();
            }
        }
    }
    return { peer, rows };
}

// ------------------------------------------------------------------ the report
interface Budget {
    what: string;
    limit: string;
    value: number | undefined;
    max: number;
    unit: string;
    /** Why there is no value, when there is none. */
    missing?: string;
}

function table(rows: string[][]): string {
    const widths = rows[0].map((_, c) => Math.max(...rows.map(row => row[c].length)));
    return rows
        .map(row => row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  '))
        .join('\n');
}

function report(results: Result[], peer?: { peer: Peer; rows: PeerRow[] }): string {
    const get = (name: string, hosts: number) => results.find(r => r.name === name && r.hosts === hosts);
    const sizes = [...new Set(results.filter(r => r.hosts > 0).map(r => r.hosts))].sort((a, b) => a - b);
    const cell = (r: Result | undefined) =>
        !r || r.medianMs === undefined
            ? '–'
            : r.p95Ms !== undefined
              ? `${r.medianMs} / ${r.p95Ms}`
              : String(r.medianMs);
    const labels: Array<[string, string]> = [
        ['parse', 'parse only (ms)'],
        ['langium-build', 'Langium build, no validation (ms)'],
        ['full-check', 'full check, in process (ms)'],
        ['diagram', 'architecture view: model+rules+ELK+SVG (ms)'],
        ['export', 'export, in memory (ms)'],
        ['server-open', 'server: open → diagnostics (ms)'],
        ['edit-diagnostics', 'server: edit → diagnostics p50 / p95 (ms)'],
        ['split-open', 'split estate: open → diagnostics (ms)'],
        ['split-edit-diagnostics', 'split: edit region file → its diagnostics p50 / p95'],
        ['split-edit-settled', 'split: edit → importers’ diagnostics p50 / p95'],
        ['cli-check', 'hatopo check, whole process p50 / p95 (ms)'],
        ['cli-export', 'hatopo export, whole process p50 / p95 (ms)']
    ];
    const rows: string[][] = [['hosts', ...sizes.map(String)]];
    for (const [name, label] of labels)
        if (results.some(r => r.name === name)) rows.push([label, ...sizes.map(hosts => cell(get(name, hosts)))]);
    const ratio = (hosts: number) => {
        const full = get('full-check', hosts)?.medianMs,
            build = get('langium-build', hosts)?.medianMs;
        return full && build ? full / build : undefined;
    };
    const perHost = (hosts: number) => {
        const full = get('full-check', hosts)?.medianMs;
        return full ? full / hosts : undefined;
    };
    rows.push(['full check ÷ Langium build', ...sizes.map(hosts => ratio(hosts)?.toFixed(2) ?? '–')]);
    rows.push([
        'full check per host (µs)',
        ...sizes.map(hosts => (perHost(hosts) === undefined ? '–' : (perHost(hosts)! * 1000).toFixed(0)))
    ]);
    rows.push([
        'server peak RSS, VmHWM (MB)',
        ...sizes.map(hosts => get('server-memory', hosts)?.rssMB?.toFixed(0) ?? '–')
    ]);
    rows.push([
        'server live heap after GC (MB)',
        ...sizes.map(hosts => get('server-memory', hosts)?.heapMB?.toFixed(0) ?? '–')
    ]);
    if (results.some(r => r.name === 'split-memory'))
        rows.push([
            'split: server peak RSS / live heap (MB)',
            ...sizes.map(hosts => {
                const r = get('split-memory', hosts);
                return r ? `${r.rssMB?.toFixed(0)} / ${r.heapMB?.toFixed(0) ?? '–'}` : '–';
            })
        ]);

    const families = [...new Set(results.filter(r => r.name.startsWith('rules:')).map(r => r.name))];
    const rulesRows: string[][] = [['the rules’ share (ms)', ...sizes.map(String)]];
    for (const name of families)
        rulesRows.push([name.slice('rules:'.length), ...sizes.map(hosts => String(get(name, hosts)?.medianMs ?? '–'))]);
    rulesRows.push([
        'all rules ÷ full check',
        ...sizes.map(hosts => {
            const total = families
                .filter(name => name !== 'rules:model')
                .reduce((sum, name) => sum + (get(name, hosts)?.medianMs ?? 0), 0);
            const full = get('full-check', hosts)?.medianMs;
            return full ? (total / full).toFixed(2) : '–';
        })
    ]);

    const start = get('cli-start', 0),
        cold = get('cli-start-no-cache', 0);
    const startLines = [
        `process start, hatopo --version: p50 ${start?.medianMs ?? '–'} ms, p95 ${start?.p95Ms ?? '–'} ms (compile cache warm); ${cold?.medianMs ?? '–'} ms without the compile cache`,
        ...CLI_SIZES.map(hosts => {
            const check = get('cli-check', hosts);
            return check && start
                ? `hatopo check at ${hosts.toLocaleString('en')}: ${check.medianMs} ms whole = ${start.medianMs} ms start + ${round(check.medianMs! - start.medianMs!)} ms work`
                : '';
        }).filter(Boolean)
    ];

    const peerCheck = (hosts: number) => {
        const row = peer?.rows.find(r => r.measure.startsWith('check') && r.hosts === hosts);
        return row ? row.hatopo.median / row.peer.median : undefined;
    };
    const noPeer = 'run with --peer likec4';
    const budgets: Budget[] = [
        {
            what: 'hatopo check ÷ likec4 validate, 1,000',
            limit: '≤ 0.25×',
            value: peerCheck(1000),
            max: 0.25,
            unit: '×',
            missing: noPeer
        },
        {
            what: 'hatopo check ÷ likec4 validate, 5,000',
            limit: '≤ 0.25×',
            value: peerCheck(5000),
            max: 0.25,
            unit: '×',
            missing: noPeer
        },
        {
            what: 'hatopo check process at 5,000',
            limit: '≤ 0.5 s',
            value: get('cli-check', 5000)?.medianMs,
            max: 500,
            unit: ' ms'
        },
        {
            what: 'edit → diagnostics p95 at 1,000',
            limit: '≤ 100 ms',
            value: get('edit-diagnostics', 1000)?.p95Ms,
            max: 100,
            unit: ' ms'
        },
        {
            what: 'edit → diagnostics p95 at 5,000',
            limit: '≤ 300 ms',
            value: get('edit-diagnostics', 5000)?.p95Ms,
            max: 300,
            unit: ' ms'
        },
        {
            what: 'edit → diagnostics p95, 5,000 split',
            limit: '≤ 100 ms',
            value: get('split-edit-diagnostics', 5000)?.p95Ms,
            max: 100,
            unit: ' ms'
        },
        {
            what: 'edit → diagnostics p95 at 20,000',
            limit: '≤ 1.2 s',
            value: get('edit-diagnostics', 20000)?.p95Ms,
            max: 1200,
            unit: ' ms'
        },
        {
            what: 'hatopo export of 1,000',
            limit: '≤ 1 s',
            value: get('cli-export', 1000)?.medianMs,
            max: 1000,
            unit: ' ms'
        },
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
            what: 'server peak RSS at 20,000',
            limit: '≤ 500 MB',
            value: get('server-memory', 20000)?.rssMB,
            max: 500,
            unit: ' MB'
        },
        { what: 'full check ÷ Langium build at 5,000', limit: '≤ 1.5×', value: ratio(5000), max: 1.5, unit: '×' },
        {
            what: 'time per host growth 1,000 → 20,000',
            limit: '≤ 1.5×',
            value:
                perHost(20000) !== undefined && perHost(1000) !== undefined
                    ? perHost(20000)! / perHost(1000)!
                    : undefined,
            max: 1.5,
            unit: '×'
        }
    ];
    const budgetRows = budgets.map(b => {
        const verdict =
            b.value === undefined
                ? `not measured${b.missing ? ` (${b.missing})` : ''}`
                : b.value <= b.max
                  ? 'PASS'
                  : `FAIL (${(b.value / b.max).toFixed(2)}× the budget)`;
        const value = b.value === undefined ? '–' : `${b.unit === '×' ? b.value.toFixed(2) : round(b.value)}${b.unit}`;
        return `${b.what.padEnd(40)} ${b.limit.padEnd(9)} ${value.padStart(10)}  ${verdict}`;
    });

    let peerText = '';
    if (peer) {
        const peerRows: string[][] = [['measure', 'hosts', 'elements', 'hatopo', peer.peer.name, 'ratio']];
        for (const row of peer.rows) {
            const both = (x: { median: number; p95: number }) =>
                Number.isNaN(x.p95) ? `${x.median}` : `${x.median} / ${x.p95}`;
            peerRows.push([
                row.measure,
                String(row.hosts),
                String(row.elements),
                both(row.hatopo),
                both(row.peer),
                (row.hatopo.median / row.peer.median).toFixed(2)
            ]);
        }
        peerText = `\nSide by side with ${peer.peer.name} ${peer.peer.version} (same run; check: paired, p50 / p95 ms)\n${table(peerRows)}\n`;
    }
    return `${table(rows)}\n\n${table(rulesRows)}\n\n${startLines.join('\n')}\n${peerText}\nBudgets\n${budgetRows.join('\n')}\n`;
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
    const peerAt = args.indexOf('--peer');
    const peerSpec = peerAt !== -1 ? args[peerAt + 1] : undefined;
    if (peerAt !== -1 && !peerSpec) throw new Error('--peer takes likec4 or likec4@VERSION');
    const started = performance.now();
    const loadBefore = load();
    const results: Result[] = [];
    for (const hosts of sizes) {
        log(`size ${hosts} … (load ${load()})`);
        results.push(...(await runChild(hosts)));
    }
    results.push(...processes(sizes));
    const peer = peerSpec ? await peerRun(peerSpec, sizes, results) : undefined;
    const order = [
        'parse',
        'langium-build',
        'full-check',
        'diagram',
        'export',
        'server-open',
        'edit-diagnostics',
        'server-memory',
        'split-open',
        'split-edit-diagnostics',
        'split-edit-settled',
        'split-memory',
        'cli-start',
        'cli-start-no-cache',
        'cli-check',
        'cli-export'
    ];
    const rank = (name: string) =>
        order.includes(name) ? order.indexOf(name) : order.length + (name.startsWith('rules:') ? 0 : 1);
    results.sort((a, b) => rank(a.name) - rank(b.name) || a.hosts - b.hosts);
    process.stdout.write(
        `\nhatopo bench (node ${process.version}, ${os.cpus().length} cores, seed ${SEED}, ${round((performance.now() - started) / 1000)} s; load average ${loadBefore} before, ${load()} after)\n\n`
    );
    process.stdout.write(report(results, peer));
    if (!args.includes('--no-write')) {
        const written = {
            node: process.version,
            cores: os.cpus().length,
            load: { before: loadBefore, after: load() },
            ...(peer ? { peer: { name: peer.peer.name, version: peer.peer.version, rows: peer.rows } } : {}),
            results
        };
        writeFileSync(path.join(ROOT, 'bench/results.json'), JSON.stringify(written, null, 2) + '\n');
        process.stdout.write('\nwrote bench/results.json\n');
    }
}

main(process.argv.slice(2)).catch(error => {
    process.stderr.write(`bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
});
