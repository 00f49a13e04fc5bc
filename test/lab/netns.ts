// Network namespaces that tests make for themselves: no route out, an `eth0` (one end of a veth
// pair) carrying the modelled addresses, removed again by `dispose()` (call it in afterAll/finally).
// Modelled addresses are only ever used inside these namespaces.

import { execFileSync, spawnSync } from 'node:child_process';

let counter = 0;

export class Namespace {
    readonly name = `hatopo-${process.pid}-${++counter}`;
    private alive = false;

    /** With `bridge`, eth0's other end is plugged into that namespace's br0 (see `Namespace.bridge`). */
    constructor(addresses: string[] = [], bridge?: Namespace) {
        try {
            run('ip', ['netns', 'add', this.name]);
            this.alive = true;
            // The peer's name must be free in the bridge's namespace too.
            const peer = bridge ? `p${process.pid % 10000}-${counter}` : 'eth0-peer';
            this.exec('ip', ['link', 'add', 'eth0', 'type', 'veth', 'peer', 'name', peer]);
            this.exec('ip', ['link', 'set', 'lo', 'up']);
            this.exec('ip', ['link', 'set', 'eth0', 'up']);
            if (bridge) {
                this.exec('ip', ['link', 'set', peer, 'netns', bridge.name]);
                bridge.exec('ip', ['link', 'set', peer, 'master', 'br0', 'up']);
            } else {
                this.exec('ip', ['link', 'set', 'eth0-peer', 'up']);
            }
            for (const address of addresses) this.addAddress(address);
        } catch (error) {
            this.dispose();
            throw new Error(
                `cannot make network namespace ${this.name} (root and iproute2 needed): ${(error as Error).message}`
            );
        }
    }

    /** A namespace holding only a bridge br0: the switch between lab hosts, with no route anywhere. */
    static bridge(): Namespace {
        const namespace = new Namespace();
        namespace.exec('ip', ['link', 'add', 'br0', 'type', 'bridge']);
        namespace.exec('ip', ['link', 'set', 'br0', 'up']);
        return namespace;
    }

    addAddress(cidr: string): void {
        this.exec('ip', ['address', 'add', cidr.includes('/') ? cidr : `${cidr}/32`, 'dev', 'eth0']);
    }

    exec(command: string, args: string[], options: { input?: string; timeout?: number } = {}): string {
        return run('ip', ['netns', 'exec', this.name, command, ...args], options);
    }

    /** Runs and returns status and output instead of throwing. */
    try(command: string, args: string[], timeout = 30_000): { status: number | null; output: string } {
        const result = spawnSync('ip', ['netns', 'exec', this.name, command, ...args], { encoding: 'utf8', timeout });
        return { status: result.status, output: `${result.stdout}${result.stderr}` };
    }

    dispose(): void {
        if (!this.alive) return;
        this.alive = false;
        // Every process still inside dies with the namespace's removal only if killed first.
        spawnSync('ip', ['netns', 'pids', this.name], { encoding: 'utf8' })
            .stdout.split('\n')
            .filter(Boolean)
            .forEach(pid => spawnSync('kill', ['-9', pid]));
        spawnSync('ip', ['netns', 'del', this.name]);
    }
}

function run(command: string, args: string[], options: { input?: string; timeout?: number } = {}): string {
    return execFileSync(command, args, {
        encoding: 'utf8',
        stdio: ['pipe', 'pipe', 'pipe'],
        input: options.input,
        timeout: options.timeout ?? 30_000
    });
}

/** Fails with a clear message when a program the lab needs is missing. */
export function requirePrograms(...programs: string[]): void {
    const missing = programs.filter(program => spawnSync('sh', ['-c', `command -v ${program}`]).status !== 0);
    if (missing.length > 0) throw new Error(`missing ${missing.join(', ')}: node test/provision.mjs installs them`);
}
