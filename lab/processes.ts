// Every process the lab starts, by pid, so that teardown stops exactly those (never by name), and
// the small blocking helpers the starters and observers share.

import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import * as path from 'node:path';

export class LabError extends Error {}

export class Processes {
    private readonly children: ChildProcess[] = [];

    /**
     * Starts `command` inside network namespace `namespace`, its output appended to `log`, in the
     * log's folder (garbd writes its gvwstate.dat to the folder it starts in).
     */
    start(namespace: string, command: string, args: string[], log: string, env?: NodeJS.ProcessEnv): ChildProcess {
        const fd = openSync(log, 'a');
        try {
            // Its own process group: Ctrl-C reaches only the lab, which then stops everything in order.
            const child = spawn('ip', ['netns', 'exec', namespace, command, ...args], {
                detached: true,
                cwd: path.dirname(log),
                stdio: ['ignore', fd, fd],
                env: env ? { ...process.env, ...env } : process.env
            });
            child.on('error', () => undefined);
            this.children.push(child);
            return child;
        } finally {
            closeSync(fd);
        }
    }

    /** For `--keep`: the lab's own process may exit while its children run on. */
    release(): void {
        for (const child of this.children) child.unref();
    }

    pids(): number[] {
        return this.children.map(child => child.pid).filter((pid): pid is number => pid !== undefined);
    }

    /** Kills every child and waits (at most 5 s) until each has been reaped. */
    async stop(): Promise<void> {
        this.killAll();
        const running = this.children.filter(child => child.exitCode === null && child.signalCode === null);
        await Promise.race([
            Promise.all(running.map(child => new Promise(resolve => child.once('exit', resolve)))),
            sleep(5000)
        ]);
    }

    killAll(): void {
        for (const child of this.children)
            if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
}

/** Runs a command and returns its output; throws a LabError naming it when it fails. */
export function run(command: string, args: string[], options: { input?: string; timeout?: number } = {}): string {
    try {
        return execFileSync(command, args, {
            encoding: 'utf8',
            stdio: ['pipe', 'pipe', 'pipe'],
            input: options.input,
            timeout: options.timeout ?? 30_000
        });
    } catch (error) {
        const failure = error as { stderr?: string; message: string };
        // The line that says why: the first error, else the last line (warnings come first).
        const lines = (failure.stderr || failure.message).trim().split('\n');
        const why = lines.find(line => /\berror\b/i.test(line) && !/\[Warning\]/.test(line)) ?? lines.at(-1);
        throw new LabError(`${command} ${args.join(' ')}: ${why}`);
    }
}

/** Runs a command, never throws: status and output together. */
export function attempt(command: string, args: string[], timeout = 15_000): { status: number | null; output: string } {
    const result = spawnSync(command, args, { encoding: 'utf8', timeout });
    return { status: result.status, output: `${result.stdout ?? ''}${result.stderr ?? ''}` };
}

export function inNamespace(namespace: string, command: string, args: string[], timeout = 15_000) {
    return attempt('ip', ['netns', 'exec', namespace, command, ...args], timeout);
}

export const sleep = (ms: number) => new Promise<void>(resolve => setTimeout(resolve, ms));

/** Polls `probe` every `every` ms until it returns true; false when `seconds` pass first. */
export async function waitUntil(
    probe: () => boolean | Promise<boolean>,
    seconds: number,
    every = 250
): Promise<boolean> {
    const end = Date.now() + seconds * 1000;
    while (Date.now() < end) {
        if (await probe()) return true;
        await sleep(every);
    }
    return probe();
}
