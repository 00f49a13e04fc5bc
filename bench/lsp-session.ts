// A language server driven over stdio as an editor drives it, for the bench: hatopo's (out/server.cjs)
// or a peer's (LikeC4's `likec4 lsp --stdio`). Times didOpen/didChange to the publishDiagnostics of
// a file, and reads the server's memory: its peak resident size (VmHWM, Linux) and, for a server
// started with bench/heap-probe.cjs, its live heap after a full collection.

import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import {
    createMessageConnection,
    StreamMessageReader,
    StreamMessageWriter,
    type MessageConnection
} from 'vscode-jsonrpc/node';
import { random } from './generate.js';

export interface ServerCommand {
    command: string;
    args: string[];
    cwd?: string;
    /** The workspace folder the server is initialised with (a split estate is read from disk). */
    folder?: string;
    /** Started with `--expose-gc -r heap-probe.cjs`: it reports its live heap on SIGUSR2. */
    heapProbe?: boolean;
    languageId: string;
}

export interface Memory {
    /** Peak resident set size of the server process (VmHWM), MB. */
    peakRssMB: number;
    /** Live heap after a full garbage collection, MB (servers with the heap probe only). */
    liveHeapMB?: number;
}

const TIMEOUT_MS = 300_000;

export class LspSession {
    private readonly waiting = new Map<string, Array<(at: number) => void>>();
    private stderr = '';
    private heap?: { heapUsed: number };
    private versions = new Map<string, number>();

    private constructor(
        private readonly server: ChildProcess,
        private readonly connection: MessageConnection,
        private readonly languageId: string,
        private readonly heapProbe: boolean
    ) {
        connection.onNotification('textDocument/publishDiagnostics', (params: { uri: string }) => {
            const at = performance.now();
            const waiters = this.waiting.get(params.uri);
            this.waiting.delete(params.uri);
            for (const resolve of waiters ?? []) resolve(at);
        });
        // Configuration, capability registration, work-done progress: answered as an editor would.
        connection.onRequest('workspace/configuration', (params: { items: unknown[] }) => params.items.map(() => null));
        connection.onRequest(() => null);
        connection.onNotification(() => undefined);
        server.stderr?.on('data', chunk => {
            this.stderr = (this.stderr + String(chunk)).slice(-20_000);
            const line = /HATOPO_HEAP (\{.*\})\n/.exec(this.stderr);
            if (line) {
                this.heap = JSON.parse(line[1]) as { heapUsed: number };
                this.stderr = this.stderr.replace(line[0], '');
            }
        });
        connection.listen();
    }

    static async start(command: ServerCommand): Promise<LspSession> {
        const server = spawn(command.command, command.args, {
            cwd: command.cwd,
            stdio: ['pipe', 'pipe', 'pipe'],
            env: { ...process.env, NODE_OPTIONS: '' }
        });
        const connection = createMessageConnection(
            new StreamMessageReader(server.stdout!),
            new StreamMessageWriter(server.stdin!)
        );
        const session = new LspSession(server, connection, command.languageId, command.heapProbe ?? false);
        const rootUri = command.folder ? pathToFileURL(command.folder).toString() : null;
        await connection.sendRequest('initialize', {
            processId: process.pid,
            rootUri,
            capabilities: { workspace: { configuration: true, workspaceFolders: true } },
            workspaceFolders: rootUri ? [{ uri: rootUri, name: 'bench' }] : null
        });
        await connection.sendNotification('initialized', {});
        return session;
    }

    get pid(): number {
        return this.server.pid!;
    }

    /** Resolves with the time of the next publishDiagnostics for this document. */
    nextDiagnostics(uri: string): Promise<number> {
        return new Promise<number>((resolve, reject) => {
            const timer = setTimeout(
                () =>
                    reject(new Error(`no publishDiagnostics for ${uri} within ${TIMEOUT_MS / 1000} s\n${this.stderr}`)),
                TIMEOUT_MS
            );
            const list = this.waiting.get(uri) ?? [];
            list.push(at => {
                clearTimeout(timer);
                resolve(at);
            });
            this.waiting.set(uri, list);
        });
    }

    /** didOpen, timed to the document's first diagnostics. */
    async open(uri: string, text: string): Promise<number> {
        const published = this.nextDiagnostics(uri);
        const start = performance.now();
        this.versions.set(uri, 1);
        await this.connection.sendNotification('textDocument/didOpen', {
            textDocument: { uri, languageId: this.languageId, version: 1, text }
        });
        return (await published) - start;
    }

    async change(
        uri: string,
        change: { range: { start: Position; end: Position }; text: string },
        also: readonly string[] = []
    ): Promise<{ ms: number; settledMs?: number }> {
        const published = this.nextDiagnostics(uri);
        const others = also.map(other => this.nextDiagnostics(other));
        const start = performance.now();
        const version = (this.versions.get(uri) ?? 1) + 1;
        this.versions.set(uri, version);
        await this.connection.sendNotification('textDocument/didChange', {
            textDocument: { uri, version },
            contentChanges: [change]
        });
        const ms = (await published) - start;
        if (others.length === 0) return { ms };
        const last = Math.max(...(await Promise.all(others)));
        return { ms, settledMs: Math.max(ms, last - start) };
    }

    /**
     * Single-character edits at seeded random places, in pairs (type a letter, delete it again), so
     * the text keeps returning to the original. `also`: documents whose diagnostics each edit must
     * publish too (the edited file's importers), waited for before the next edit when given.
     */
    async edits(
        uri: string,
        text: string,
        count: number,
        seed: number,
        also: readonly string[] = []
    ): Promise<{ latencies: number[]; settled: number[] }> {
        const rand = random(seed);
        const latencies: number[] = [];
        const settled: number[] = [];
        let inserted: number | undefined;
        for (let i = 0; i < count; i++) {
            let change;
            if (inserted === undefined) {
                const offset = Math.floor(rand() * text.length);
                const letter = String.fromCharCode(97 + Math.floor(rand() * 26));
                const at = position(text, offset);
                change = { range: { start: at, end: at }, text: letter };
                text = text.slice(0, offset) + letter + text.slice(offset);
                inserted = offset;
            } else {
                const start = position(text, inserted);
                change = { range: { start, end: { line: start.line, character: start.character + 1 } }, text: '' };
                text = text.slice(0, inserted) + text.slice(inserted + 1);
                inserted = undefined;
            }
            const result = await this.change(uri, change, also);
            latencies.push(result.ms);
            if (result.settledMs !== undefined) settled.push(result.settledMs);
        }
        return { latencies: latencies.sort((a, b) => a - b), settled: settled.sort((a, b) => a - b) };
    }

    /** Lets late publications of the last build pass before the next measurement. */
    async quiet(ms = 300): Promise<void> {
        await new Promise(resolve => setTimeout(resolve, ms));
    }

    async memory(): Promise<Memory> {
        const peakRssMB = vmHwmMB(this.pid);
        if (!this.heapProbe) return { peakRssMB };
        this.heap = undefined;
        this.server.kill('SIGUSR2');
        for (let waited = 0; waited < 20_000 && !this.heap; waited += 50)
            await new Promise(resolve => setTimeout(resolve, 50));
        return { peakRssMB, liveHeapMB: this.heap?.heapUsed };
    }

    async close(): Promise<void> {
        const exited = new Promise(resolve => this.server.once('exit', resolve));
        try {
            await Promise.race([
                this.connection.sendRequest('shutdown'),
                new Promise(resolve => setTimeout(resolve, 5000))
            ]);
            await this.connection.sendNotification('exit');
            await Promise.race([exited, new Promise(resolve => setTimeout(resolve, 3000))]);
        } finally {
            this.connection.dispose();
            if (this.server.exitCode === null && this.server.signalCode === null) this.server.kill();
        }
    }
}

interface Position {
    line: number;
    character: number;
}

export function position(text: string, offset: number): Position {
    let line = 0,
        lineStart = 0;
    for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
        line++;
        lineStart = i + 1;
    }
    return { line, character: offset - lineStart };
}

/** Peak resident set size of a process in MB (Linux /proc), NaN elsewhere. */
export function vmHwmMB(pid: number): number {
    try {
        const hwm = /VmHWM:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
        return hwm ? Number(hwm[1]) / 1024 : NaN;
    } catch {
        return NaN;
    }
}
