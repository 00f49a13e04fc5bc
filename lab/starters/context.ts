// What every starter gets: where the exported files are, its own scratch folder per host, the
// network (namespace names), the process registry and the progress line writer.

import { mkdirSync } from 'node:fs';
import * as path from 'node:path';
import type { TopologyModel } from '../../language/model/model.js';
import type { LabNetwork } from '../network.js';
import type { LabPlan } from '../plan.js';
import type { Processes } from '../processes.js';

export interface StartContext {
    model: TopologyModel;
    plan: LabPlan;
    network: LabNetwork;
    processes: Processes;
    /** The export folder, one subfolder per host, written by the real exporter and writer. */
    exported: string;
    scratch: string;
    /** Seconds one wait may take (a node to sync, a port to open). */
    waitSeconds: number;
    progress(line: string): void;
    /** How each Galera joiner's state transfer ended at boot: `Synced`, or why not. */
    joins: Map<string, string>;
}

/** A host's own folder for one program: data, sockets, pid and log files never collide across hosts. */
export function workDir(context: StartContext, host: string, program: string): string {
    const dir = path.join(context.scratch, 'run', host.replace(/[^\w.-]/g, '_'), program);
    mkdirSync(dir, { recursive: true });
    return dir;
}

export function exportedFile(context: StartContext, host: string, file: string): string {
    return path.join(context.exported, host.replace(/[^A-Za-z0-9_.-]/g, '_').replace(/^\.+/, '_'), file);
}
