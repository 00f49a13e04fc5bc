// haproxy and keepalived from the exported files, unmodified; per-instance pid files (the default
// /run/keepalived.pid would collide across namespaces).

import * as path from 'node:path';
import { LabError, run, sleep } from '../processes.js';
import { exportedFile, workDir, type StartContext } from './context.js';

export async function startHaproxy(context: StartContext, host: string): Promise<void> {
    const config = exportedFile(context, host, 'haproxy.cfg');
    run('haproxy', ['-c', '-q', '-f', config]);
    const dir = workDir(context, host, 'haproxy');
    context.progress(`haproxy: starting on ${host}`);
    const child = context.processes.start(
        context.network.namespace(host),
        'haproxy',
        ['-db', '-f', config, '-p', path.join(dir, 'pid')],
        path.join(dir, 'haproxy.log')
    );
    await sleep(300);
    if (child.exitCode !== null) throw new LabError(`haproxy on ${host} exited at once (log: ${dir}/haproxy.log)`);
}

export function startKeepalived(context: StartContext, host: string): void {
    const dir = workDir(context, host, 'keepalived');
    context.progress(`keepalived: starting on ${host}`);
    context.processes.start(
        context.network.namespace(host),
        'keepalived',
        [
            '-n',
            '-l',
            '-P',
            '-f',
            exportedFile(context, host, 'keepalived.conf'),
            '-p',
            path.join(dir, 'keepalived.pid'),
            '-r',
            path.join(dir, 'vrrp.pid')
        ],
        path.join(dir, 'keepalived.log')
    );
}
