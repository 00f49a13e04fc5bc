// A seeded, bounded fuzz of the real language server (out/server.cjs over stdio, as an editor drives
// it): random edits of the examples (truncations, typed and deleted characters, grammar tokens,
// pasted fragments) interleaved with every request an editor sends, then large documents opened and
// closed again. It asserts 0 error responses, 0 hangs (a timeout per request), 0 exits, 0 checks that
// threw (internal-error diagnostics), and that memory returns after the large documents are closed.
//
//   npm test: 400 edits.   Nightly size: HATOPO_FUZZ_EDITS=5000 npx vitest run test/lsp-fuzz.test.ts
//   HATOPO_FUZZ_SEED=N picks another sequence. Figures and the first failures (with the document
//   text each was sent against) are written to test-results/lsp-fuzz/.

import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
    createMessageConnection,
    StreamMessageReader,
    StreamMessageWriter,
    type MessageConnection
} from 'vscode-jsonrpc/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { generate, random } from '../bench/generate.js';
import { DiagramRequest } from '../protocol/requests.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const EDITS = Number(process.env.HATOPO_FUZZ_EDITS ?? 400);
const SEED = Number(process.env.HATOPO_FUZZ_SEED ?? 15);
// Generous: on a shared, loaded machine (load 11 on 2 cores) a 165 ms rename was once answered after 20 s.
const REQUEST_TIMEOUT_MS = 60_000;
/** Open three large documents, use them, close them: this many times. */
const LARGE_CYCLES = 4;
const RESULTS = path.join(ROOT, 'test-results', 'lsp-fuzz');

/** Fragments known to have crashed the engine (issue 15), pasted among the random ones. */
const CRASHERS = [
    'service k kind keystone port 5000 { token x  path haproxy -> eventlet }\n',
    'host h\n',
    'region r { host h }\n',
    'vip v 10.0.0.10 vrid 7 {\n  master priority 150\n  backup lb2 priority 100\n}\n'
];

const examplesDir = path.join(ROOT, 'examples');
const EXAMPLES = readdirSync(examplesDir)
    .filter(file => file.endsWith('.hatopo'))
    .sort()
    .map(file => ({ name: file, text: readFileSync(path.join(examplesDir, file), 'utf8') }));
const KEYWORDS = [...new Set(readFileSync(path.join(ROOT, 'language/hatopo.langium'), 'utf8').match(/'[^'\s]+'/g))].map(
    quoted => quoted.slice(1, -1)
);
const TOKENS = [
    ...KEYWORDS,
    '10.0.0.1',
    '10.1.0.0/16',
    '256.1.1.1',
    '10.0.0.0/33',
    '0',
    '-1',
    '99999999999999999999',
    '1.5',
    '99.95%',
    '500%',
    '100/s',
    '24h',
    '8k',
    '16KiB',
    '0ms',
    'PT30S',
    '"x.hatopo"',
    '"../../etc/passwd"',
    '"',
    'a1',
    'wlg',
    'lb1',
    'db',
    '<->',
    '->',
    ',',
    ';',
    '=',
    '{',
    '}',
    '//',
    '/*',
    '*/',
    '\n'
];
const CHARACTERS = [
    ...'{}()[]<>-=,;:./\\"\'%#@!?*+~`|&^$ \n\t\r',
    'a',
    'Z',
    '9',
    'é',
    'ü',
    '漢',
    '😀',
    '\u0000',
    '\u001b',
    '\u200b',
    '\ufeff'
];

interface Failure {
    kind: 'error-response' | 'hang' | 'internal-error';
    /** For a hang: when the response came after all, in ms after the request. */
    lateMs?: number;
    method: string;
    message: string;
    params?: unknown;
    uri: string;
    text: string;
}

interface OpenDocument {
    uri: string;
    original: string;
    mirror: TextDocument;
}

let server: ChildProcess;
let connection: MessageConnection;
let exited: { code: number | null; signal: string | null } | undefined;
let stderr = '';
const logErrors: string[] = [];
const latestDiagnostics = new Map<string, Array<{ code?: string; message: string; range: unknown }>>();
const documents: OpenDocument[] = [];
const failures: Failure[] = [];
const figures = {
    seed: SEED,
    edits: 0,
    reopened: 0,
    requests: 0,
    responses: 0,
    errorResponses: 0,
    hangs: 0,
    internalErrors: 0,
    byMethod: {} as Record<string, number>,
    /** After a full GC: at start, after the fuzz, before the large documents, with them open, after each close. */
    memoryMB: {
        start: undefined as Memory | undefined,
        afterFuzz: undefined as Memory | undefined,
        beforeLarge: undefined as Memory | undefined,
        largeOpen: undefined as Memory | undefined,
        afterClose: [] as Memory[]
    },
    seconds: 0
};

interface Memory {
    rss: number;
    heapUsed: number;
    heapTotal: number;
}

/** The server's memory in MB after a full GC (test/gc-on-signal.cjs answers SIGUSR2 on stderr). */
async function memory(): Promise<Memory> {
    const seen = stderr.length;
    server.kill('SIGUSR2');
    for (let waited = 0; waited < 30_000; waited += 20) {
        const line = /HATOPO_MEMORY (\{.*\})/.exec(stderr.slice(seen));
        if (line) return JSON.parse(line[1]) as Memory;
        await pause(20);
    }
    throw new Error('the server did not report its memory within 30 s');
}

/** Counts per distinct failure; the first of each is written out with its document, to reproduce it. */
const distinct = new Map<string, number>();

function record(failure: Failure): void {
    failures.push(failure);
    const key = `${failure.kind} ${failure.method}: ${failure.message}`;
    distinct.set(key, (distinct.get(key) ?? 0) + 1);
    if (distinct.get(key)! > 1 || distinct.size > 50) return;
    mkdirSync(RESULTS, { recursive: true });
    const base = path.join(RESULTS, `failure-${distinct.size}`);
    writeFileSync(`${base}.hatopo`, failure.text);
    writeFileSync(`${base}.json`, JSON.stringify({ ...failure, text: undefined }, null, 2) + '\n');
}

/** One request with a deadline: an error response and a hang are both failures, with what caused them. */
type Params = Record<string, unknown> & { textDocument?: { uri: string }; uri?: string };

async function request(method: string, params: Params, text: string) {
    figures.requests++;
    figures.byMethod[method] = (figures.byMethod[method] ?? 0) + 1;
    const uri = params.textDocument?.uri ?? params.uri ?? '';
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<'hang'>(resolve => (timer = setTimeout(() => resolve('hang'), REQUEST_TIMEOUT_MS)));
    try {
        const sending = connection.sendRequest(method, params);
        const result = await Promise.race([sending, deadline]);
        if (result === 'hang') {
            figures.hangs++;
            const sent = Date.now() - REQUEST_TIMEOUT_MS;
            const failure: Failure = {
                kind: 'hang',
                method,
                message: `no response in ${REQUEST_TIMEOUT_MS} ms`,
                params,
                uri,
                text
            };
            record(failure);
            // Late or never: a slow server and a lost response are different bugs.
            void sending.then(
                () => (failure.lateMs = Date.now() - sent),
                () => (failure.lateMs = Date.now() - sent)
            );
            return undefined;
        }
        figures.responses++;
        return result;
    } catch (error) {
        figures.responses++;
        figures.errorResponses++;
        const { code, message } = error as { code?: number; message?: string };
        record({ kind: 'error-response', method, message: `${code}: ${message}`, params, uri, text });
        return undefined;
    } finally {
        clearTimeout(timer);
    }
}

function names(text: string, keyword: string): string[] {
    return [...text.matchAll(new RegExp(`\\b${keyword}\\s+([\\w.-]+)`, 'g'))].map(match => match[1]);
}

/** A random request about `document` at a random place, as an editor would send it. */
function randomRequest(document: OpenDocument, next: () => number): Promise<unknown> {
    const { uri, mirror } = document;
    const text = mirror.getText();
    const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)];
    const position = mirror.positionAt(Math.floor(next() * (text.length + 1)));
    const textDocument = { uri };
    const kind = Math.floor(next() * 12);
    switch (kind) {
        case 0:
            return request('textDocument/hover', { textDocument, position }, text);
        case 1:
            return request('textDocument/completion', { textDocument, position }, text);
        case 2:
            return request('textDocument/definition', { textDocument, position }, text);
        case 3:
            return request(
                'textDocument/references',
                { textDocument, position, context: { includeDeclaration: true } },
                text
            );
        case 4:
            return request('textDocument/documentSymbol', { textDocument }, text);
        case 5: {
            const end = mirror.positionAt(mirror.offsetAt(position) + Math.floor(next() * 200));
            const diagnostics = (latestDiagnostics.get(uri) ?? []).slice(0, 20);
            return request(
                'textDocument/codeAction',
                { textDocument, range: { start: position, end }, context: { diagnostics } },
                text
            );
        }
        case 6:
            return request(
                'textDocument/formatting',
                { textDocument, options: { tabSize: 2, insertSpaces: true } },
                text
            );
        case 7:
            return request('textDocument/foldingRange', { textDocument }, text);
        case 8:
            return request('textDocument/codeLens', { textDocument }, text);
        case 9:
            return request('textDocument/documentHighlight', { textDocument, position }, text);
        case 10:
            return request(
                'textDocument/rename',
                { textDocument, position, newName: pick(['renamed', 'x-1', 'a.b']) },
                text
            );
        default: {
            const candidates = [
                ...names(text, 'host').map(name => `host:${name}`),
                ...names(text, 'region').map(name => `region:${name}`),
                ...names(text, 'link').map(name => `link:${name.replace(/:$/, '')}`),
                'host:nowhere',
                'rack:1'
            ];
            const failures = Array.from({ length: Math.floor(next() * 3) }, () => pick(candidates));
            const expanded = next() < 0.3 ? names(text, 'region').slice(0, 2) : [];
            return request(DiagramRequest.method, { uri, failures, expanded }, text);
        }
    }
}

/** A random edit, applied to the mirror and sent as an incremental change. */
function randomEdit(document: OpenDocument, next: () => number, version: number): void {
    const { mirror } = document;
    const text = mirror.getText();
    const at = Math.floor(next() * (text.length + 1));
    const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)];
    const roll = next();
    let start = at;
    let end = at;
    let insert = '';
    if (roll < 0.08)
        end = next() < 0.5 ? text.length : Math.min(text.length, at + Math.floor(next() * 2000)); // truncation
    else if (roll < 0.3) insert = Array.from({ length: 1 + Math.floor(next() * 4) }, () => pick(CHARACTERS)).join('');
    else if (roll < 0.52) end = Math.min(text.length, at + 1 + Math.floor(next() * 30));
    else if (roll < 0.7) insert = `${pick(TOKENS)}${next() < 0.7 ? ' ' : ''}`;
    else if (roll < 0.9) {
        // A pasted fragment: some lines of an example, an import, or a known crasher, at a line start.
        start = end = text.lastIndexOf('\n', at - 1) + 1;
        const kind = next();
        if (kind < 0.25) insert = pick(CRASHERS);
        else if (kind < 0.35)
            insert = `import "${pick(EXAMPLES).name}"\n`; // the other open documents
        else {
            const lines = pick(EXAMPLES).text.split('\n');
            const from = Math.floor(next() * lines.length);
            insert = lines.slice(from, from + 1 + Math.floor(next() * 8)).join('\n') + '\n';
        }
        if (next() < 0.3) end = Math.min(text.length, start + Math.floor(next() * 300)); // pasted over a selection
    } else {
        start = 0; // the user undoes everything: keeps the fuzz near real documents
        end = text.length;
        insert = document.original;
    }
    const range = { start: mirror.positionAt(start), end: mirror.positionAt(end) };
    document.mirror = TextDocument.update(mirror, [{ range, text: insert }], version);
    connection.sendNotification('textDocument/didChange', {
        textDocument: { uri: document.uri, version },
        contentChanges: [{ range, text: insert }]
    });
    figures.edits++;
}

function open(uri: string, text: string): OpenDocument {
    connection.sendNotification('textDocument/didOpen', {
        textDocument: { uri, languageId: 'hatopo', version: 1, text }
    });
    return { uri, original: text, mirror: TextDocument.create(uri, 'hatopo', 1, text) };
}

async function diagnosticsOf(uri: string, timeoutMs = 120_000): Promise<void> {
    const started = Date.now();
    while (!latestDiagnostics.has(uri)) {
        if (Date.now() - started > timeoutMs) throw new Error(`no diagnostics for ${uri} within ${timeoutMs} ms`);
        await new Promise(resolve => setTimeout(resolve, 50));
    }
}

const pause = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

beforeAll(async () => {
    // HATOPO_FUZZ_SERVER: another build of the server to fuzz, e.g. another worktree's out/server.cjs.
    const bundle = path.resolve(process.env.HATOPO_FUZZ_SERVER ?? path.join(ROOT, 'out/server.cjs'));
    if (!existsSync(bundle)) throw new Error(`${bundle} is missing: npm test builds it first`);
    rmSync(RESULTS, { recursive: true, force: true });
    const gcOnSignal = path.join(ROOT, 'test/gc-on-signal.cjs');
    server = spawn(process.execPath, ['--expose-gc', '-r', gcOnSignal, bundle, '--stdio'], {
        stdio: ['pipe', 'pipe', 'pipe']
    });
    server.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    server.on('exit', (code, signal) => (exited = { code, signal }));
    connection = createMessageConnection(
        new StreamMessageReader(server.stdout!),
        new StreamMessageWriter(server.stdin!)
    );
    connection.onNotification(
        'textDocument/publishDiagnostics',
        (params: { uri: string; diagnostics: Array<{ code?: string; message: string; range: unknown }> }) => {
            latestDiagnostics.set(params.uri, params.diagnostics);
            for (const diagnostic of params.diagnostics) {
                if (diagnostic.code !== 'internal-error' && !diagnostic.message.includes('An error occurred')) continue;
                figures.internalErrors++;
                record({
                    kind: 'internal-error',
                    method: 'publishDiagnostics',
                    message: diagnostic.message.split('\n')[0],
                    uri: params.uri,
                    text: documents.find(document => document.uri === params.uri)?.mirror.getText() ?? ''
                });
            }
        }
    );
    connection.onNotification('window/logMessage', (params: { type: number; message: string }) => {
        if (params.type === 1) logErrors.push(params.message);
    });
    connection.onRequest(() => null); // workspace/configuration, client/registerCapability …
    connection.listen();
    await connection.sendRequest('initialize', {
        processId: process.pid,
        rootUri: null,
        capabilities: {
            textDocument: { codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix'] } } } }
        },
        workspaceFolders: null
    });
    connection.sendNotification('initialized', {});
});

afterAll(async () => {
    try {
        if (!exited) {
            await Promise.race([connection.sendRequest('shutdown'), pause(5000)]);
            connection.sendNotification('exit');
            await Promise.race([new Promise(resolve => server.once('exit', resolve)), pause(3000)]);
        }
    } finally {
        connection.dispose();
        if (server.exitCode === null && server.signalCode === null) server.kill();
        mkdirSync(RESULTS, { recursive: true });
        writeFileSync(
            path.join(RESULTS, 'figures.json'),
            JSON.stringify(
                {
                    ...figures,
                    logErrors: logErrors.length,
                    failures: Object.fromEntries(distinct),
                    hangDetails: failures
                        .filter(f => f.kind === 'hang')
                        .map(f => ({ method: f.method, lateMs: f.lateMs ?? 'never' }))
                },
                null,
                2
            ) + '\n'
        );
    }
});

describe('language server fuzz', () => {
    it(
        `survives ${EDITS} random edits with requests: 0 error responses, 0 hangs, 0 exits`,
        async () => {
            const started = Date.now();
            for (const example of EXAMPLES) documents.push(open(`file:///fuzz/${example.name}`, example.text));
            for (const document of documents) await diagnosticsOf(document.uri);
            figures.memoryMB.start = await memory();
            const next = random(SEED);
            const versions = new Map(documents.map(document => [document.uri, 1]));
            let inflight: Array<Promise<unknown>> = [];
            for (let i = 0; i < EDITS && !exited; i++) {
                const document = documents[Math.floor(next() * documents.length)];
                const version = versions.get(document.uri)! + 1;
                versions.set(document.uri, version);
                randomEdit(document, next, version);
                if (next() < 0.02) {
                    // The tab is closed and opened again: the server forgets the document and
                    // relinks what imports it, twice.
                    connection.sendNotification('textDocument/didClose', { textDocument: { uri: document.uri } });
                    const text = document.mirror.getText();
                    connection.sendNotification('textDocument/didOpen', {
                        textDocument: { uri: document.uri, languageId: 'hatopo', version, text }
                    });
                    figures.reopened++;
                }
                // Requests race the edits as they do in an editor, a few at a time.
                const count = next() < 0.7 ? 1 + Math.floor(next() * 3) : 0;
                for (let r = 0; r < count; r++) inflight.push(randomRequest(document, next));
                if (inflight.length >= 12 || i % 8 === 7) {
                    await Promise.all(inflight);
                    inflight = [];
                }
            }
            await Promise.all(inflight);
            // Every document answers once more after the last edit.
            for (const document of documents) await randomRequest(document, next);
            for (const document of documents)
                await request(
                    'textDocument/documentSymbol',
                    { textDocument: { uri: document.uri } },
                    document.mirror.getText()
                );
            figures.memoryMB.afterFuzz = await memory();
            figures.seconds = Math.round((Date.now() - started) / 1000);

            const summary = [...distinct].map(([key, count]) => `${count} × ${key}`).join('\n');
            expect(exited, `the server exited; stderr:\n${stderr.slice(-2000)}`).toBeUndefined();
            expect(figures.hangs, summary).toBe(0);
            expect(figures.errorResponses, summary).toBe(0);
            expect(figures.internalErrors, summary).toBe(0);
            expect(figures.responses).toBe(figures.requests);
        },
        120_000 + EDITS * 400
    );

    it('gives memory back after large documents are opened and closed, cycle after cycle', async () => {
        // RSS does not fall back to where it was before the first large document: V8 and malloc keep
        // their high-water mark for reuse. What must not happen is growth from cycle to cycle, which
        // is what keeping closed documents (Langium's default) costs: about 30 MB of heap per cycle.
        expect(exited).toBeUndefined();
        const errorsBefore = figures.errorResponses;
        const figure = figures.memoryMB;
        figure.beforeLarge = await memory();
        const texts = [1, 2, 3].map(i =>
            generate({ hosts: 1500, seed: SEED + i })
                .map(file => file.text)
                .join('\n')
        );
        for (let cycle = 0; cycle < LARGE_CYCLES; cycle++) {
            const large = texts.map((text, i) => open(`file:///fuzz/large-${cycle}-${i}.hatopo`, text));
            for (const document of large) await diagnosticsOf(document.uri);
            for (const document of large) {
                const text = document.mirror.getText();
                const textDocument = { uri: document.uri };
                await request(DiagramRequest.method, { uri: document.uri, failures: [] }, text);
                await request('textDocument/documentSymbol', { textDocument }, text);
                await request('textDocument/hover', { textDocument, position: { line: 3, character: 10 } }, text);
            }
            if (cycle === 0) figure.largeOpen = await memory();
            for (const document of large)
                connection.sendNotification('textDocument/didClose', { textDocument: { uri: document.uri } });
            // Ordinary work after the close, so the server has processed it.
            for (const document of documents)
                await request('textDocument/documentSymbol', { textDocument: { uri: document.uri } }, '');
            figure.afterClose.push(await memory());
        }
        const show = (m?: Memory) => (m ? `${m.heapUsed}/${m.rss}` : '?');
        console.log(
            `lsp fuzz (seed ${SEED}): ${figures.edits} edits, ${figures.requests} requests, ${figures.responses} responses, ` +
                `${figures.reopened} reopened, ${figures.errorResponses} error responses, ${figures.hangs} hangs, ${figures.internalErrors} internal-error ` +
                `diagnostics, ${exited ? 1 : 0} exits in ${figures.seconds} s. Heap used/RSS in MB after a full GC: ` +
                `${show(figure.start)} at start, ${show(figure.afterFuzz)} after the fuzz, ${show(figure.beforeLarge)} before ` +
                `${LARGE_CYCLES} cycles of 3 large documents (1,500 hosts each), ${show(figure.largeOpen)} with them open, ` +
                `${figure.afterClose.map(show).join(', ')} after each close`
        );
        expect(exited).toBeUndefined();
        expect(figures.errorResponses - errorsBefore).toBe(0);
        const [first, ...later] = figure.afterClose;
        const allowed = 10 * (LARGE_CYCLES - 1); // the diagram cache's 16 drawings, Langium's caches
        expect(
            Math.max(...later.map(m => m.heapUsed)) - first.heapUsed,
            figure.afterClose.map(show).join(', ')
        ).toBeLessThan(allowed);
        expect(Math.max(...later.map(m => m.rss)) - first.rss, figure.afterClose.map(show).join(', ')).toBeLessThan(
            allowed + 20
        );
        // What the closed documents held is given back to the heap; generously: within 150 MB.
        expect(figure.afterClose.at(-1)!.heapUsed - figure.beforeLarge.heapUsed).toBeLessThan(150);
    }, 300_000);
});
