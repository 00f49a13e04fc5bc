// memcached with the options of the exported memcached.conf (one option per line, Debian's format).

import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { exportedFile, workDir, type StartContext } from './context.js';

export function startMemcached(context: StartContext, host: string): void {
    const options = readFileSync(exportedFile(context, host, 'memcached.conf'), 'utf8')
        .split('\n')
        .filter(line => line.trim() && !line.startsWith('#'))
        .flatMap(line => line.trim().split(/\s+/));
    context.progress(`memcached: starting on ${host}`);
    context.processes.start(
        context.network.namespace(host),
        'memcached',
        [...options, '-u', 'memcache'],
        path.join(workDir(context, host, 'memcached'), 'memcached.log')
    );
}
