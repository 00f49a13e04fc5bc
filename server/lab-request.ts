// The `hatopo/lab` request ("HA Topology: Run Lab"). The lab needs root and boots real daemons, so it
// is never part of the server: the server runs the bundled CLI (`cli.cjs lab FILE --fail … --format
// json`) in a child process, forwards its progress lines as notifications, interrupts it when the
// request is cancelled (SIGINT: the lab tears down everything it started, then exits) and answers
// with the lab's report. One lab at a time; a machine that cannot run it is told so in one message.

import { spawn } from 'node:child_process';
import { URI } from 'langium';
import type { CancellationToken } from 'vscode-languageserver';
import { parseFailure } from '../protocol/failure.js';
import type { LabLine, LabParams, LabProgress, LabResult, LabSummary } from '../protocol/messages.js';

export interface LabInvocation {
    file: string;
    failures: string[];
    timeoutSeconds?: number;
}

export interface LabExit {
    code: number | null;
    signal: string | null;
    stdout: string;
    stderr: string;
}

/** A lab that is running: its exit, and a way to interrupt it (it tears down before it exits). */
export interface LabRunning {
    exit: Promise<LabExit>;
    interrupt(): void;
    /** The lab's process id, when it is a process (its namespaces are named after it). */
    pid?: number;
}

/** Starts a lab; each line it writes on stderr (progress, or the reason it stops) goes to `onLine`. */
export type LabRunner = (invocation: LabInvocation, onLine: (line: string) => void) => LabRunning;

/** The CLI's arguments for a run: `lab FILE --fail … --format json [--timeout S]`. */
export function labArguments({ file, failures, timeoutSeconds }: LabInvocation): string[] {
    return [
        'lab',
        file,
        ...failures.flatMap(failure => ['--fail', failure]),
        '--format',
        'json',
        ...(timeoutSeconds !== undefined ? ['--timeout', String(timeoutSeconds)] : [])
    ];
}

/**
 * The real runner: the bundled CLI in its own process, under the server's Node (in VS Code, the
 * editor's Electron as Node: the environment says so).
 */
export function cliLabRunner(cli: string, node: string = process.execPath): LabRunner {
    return (invocation, onLine) => {
        const child = spawn(node, [cli, ...labArguments(invocation)], { stdio: ['ignore', 'pipe', 'pipe'] });
        let stdout = '';
        let stderr = '';
        let pending = '';
        child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
        child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
            stderr += chunk;
            const lines = (pending + chunk).split('\n');
            pending = lines.pop() ?? '';
            lines.forEach(onLine);
        });
        const exit = new Promise<LabExit>(resolve => {
            child.on('error', error =>
                resolve({ code: null, signal: null, stdout, stderr: `${stderr}${error.message}\n` })
            );
            child.on('close', (code, signal) => {
                if (pending) onLine(pending);
                resolve({ code, signal, stdout, stderr });
            });
        });
        return { exit, interrupt: () => child.kill('SIGINT'), pid: child.pid };
    };
}

/** Why this machine cannot run the lab, in one message; undefined when it can (Linux, root). */
export function machineRefusal(
    invocation: LabInvocation,
    platform: string = process.platform,
    uid: number | undefined = process.getuid?.()
): string | undefined {
    const command = ['hatopo', ...labArguments(invocation).filter(arg => arg !== '--format' && arg !== 'json')]
        .map(shellWord)
        .join(' ');
    if (platform !== 'linux')
        return `The lab runs on Linux only: it boots the topology in network namespaces (this is ${platform}). The engine's verdicts for this what-if are in the preview, or: hatopo check --fail ….`;
    if (uid !== 0)
        return `The lab needs root: it makes network namespaces and runs the real daemons, and the editor runs as uid ${uid ?? '?'}. Run it in a root terminal: sudo npx ${command}`;
    return undefined;
}

function shellWord(word: string): string {
    return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** A progress line of the CLI: `hatopo lab [12.3 s]: starting a1 (bootstrap), waiting for Synced`. */
const PROGRESS = /^hatopo lab \[([\d.]+) s\]: (.*)$/;

export interface LabRequestOptions {
    runner: LabRunner;
    notify: (progress: LabProgress) => void;
    /** Why the lab cannot run here (default: Linux and root are needed). */
    refusal?: (invocation: LabInvocation) => string | undefined;
}

export class LabRequestHandler {
    private running: LabRunning | undefined;

    constructor(private readonly options: LabRequestOptions) {}

    async handle(params: LabParams, token: CancellationToken): Promise<LabResult> {
        const uri = URI.parse(params.uri);
        if (uri.scheme !== 'file')
            return { ok: false, reason: 'input', message: `the lab reads a saved file, not ${params.uri}` };
        const bad = params.failures.find(failure => !parseFailure(failure));
        if (bad) return { ok: false, reason: 'input', message: `'${bad}' is not region:NAME, host:NAME or link:NAME` };
        const invocation: LabInvocation = {
            file: uri.fsPath,
            failures: params.failures,
            timeoutSeconds: params.timeoutSeconds
        };
        const refusal = (this.options.refusal ?? machineRefusal)(invocation);
        if (refusal) return { ok: false, reason: 'machine', message: refusal };
        if (this.running)
            return { ok: false, reason: 'busy', message: 'a lab is already running: wait for it, or cancel it' };

        const reasons: string[] = [];
        const started = Date.now();
        const running = this.options.runner(invocation, line => {
            const progress = PROGRESS.exec(line);
            if (progress)
                this.options.notify({
                    progressId: params.progressId,
                    seconds: Number(progress[1]),
                    line: progress[2]
                });
            else if (line.trim()) reasons.push(line.replace(/^hatopo( lab)?: /, ''));
        });
        this.running = running;
        let cancelled = false;
        const subscription = token.onCancellationRequested(() => {
            cancelled = true;
            running.interrupt();
        });
        try {
            const exit = await running.exit;
            return outcome(exit, cancelled, reasons, params.failures, (Date.now() - started) / 1000);
        } finally {
            subscription.dispose();
            this.running = undefined;
        }
    }

    /** Interrupts a running lab (the server is going away): it tears down what it started. */
    stop(): void {
        this.running?.interrupt();
    }
}

function outcome(
    exit: LabExit,
    cancelled: boolean,
    reasons: readonly string[],
    failures: string[],
    seconds: number
): LabResult {
    if (cancelled)
        return {
            ok: false,
            reason: 'cancelled',
            message: 'cancelled: the lab stopped and tore down what it had started'
        };
    if (exit.code === 0 || exit.code === 1) {
        const report = parseReport(exit.stdout);
        if (report) return { ok: true, ...report, seconds, failures };
    }
    const why = reasons.at(-1) ?? exit.stderr.trim().split('\n').at(-1) ?? '';
    return {
        ok: false,
        reason: exit.code === 2 ? 'input' : 'failed',
        message: why || `the lab stopped (${exit.signal ? `signal ${exit.signal}` : `exit ${exit.code}`})`
    };
}

function parseReport(stdout: string): { results: LabLine[]; summary: LabSummary } | undefined {
    try {
        const report = JSON.parse(stdout) as { results?: LabLine[]; summary?: LabSummary };
        if (!Array.isArray(report.results) || !report.summary) return undefined;
        return { results: report.results, summary: report.summary };
    } catch {
        return undefined;
    }
}
