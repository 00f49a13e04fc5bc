// The hops of request paths on the API nodes: the real nginx and uwsgi with the header settings the
// model writes (or their own defaults), and the Node stand-in for API nodes and for hops the lab has
// no real program for (eventlet, apache, gunicorn …), enforcing the limit the engine reads for them.

import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Endpoint, LabNode, Step } from '../plan.js';
import { LabError } from '../processes.js';
import { STANDIN_SCRIPT, WSGI_APP } from '../scripts.js';
import { workDir, type StartContext } from './context.js';

type Nginx = Extract<Step, { program: 'nginx' }>;
type Uwsgi = Extract<Step, { program: 'uwsgi' }>;
type Standin = Extract<Step, { program: 'standin' }>;

export function startNginx(context: StartContext, node: LabNode, step: Nginx): Endpoint[] {
    const dir = workDir(context, node.name, `nginx-${step.listen.port}`);
    const buffers = step.largeClientHeaderBuffers;
    const location = !step.next
        ? 'return 200 "nginx: ok\\n";'
        : step.next.protocol === 'uwsgi'
          ? `include /etc/nginx/uwsgi_params; uwsgi_pass ${step.next.address}:${step.next.port};`
          : `proxy_pass http://${step.next.address}:${step.next.port};`;
    const config = [
        'user root;',
        'worker_processes 1;',
        'daemon off;',
        `pid ${dir}/nginx.pid;`,
        `error_log ${dir}/error.log;`,
        'events { worker_connections 64; }',
        'http {',
        `    access_log ${dir}/access.log;`,
        ...['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map(kind => `    ${kind}_temp_path ${dir}/${kind};`),
        // Only what the model writes: otherwise nginx's own default is what is proven.
        ...(buffers
            ? [`    large_client_header_buffers ${buffers.length > 1 ? buffers[0] : 4} ${buffers.at(-1)};`]
            : []),
        '    server {',
        `        listen ${step.listen.address}:${step.listen.port};`,
        `        location / { ${location} }`,
        '    }',
        '}',
        ''
    ].join('\n');
    const file = path.join(dir, 'nginx.conf');
    writeFileSync(file, config);
    context.progress(`nginx: starting on ${node.name} at ${step.listen.address}:${step.listen.port}`);
    context.processes.start(
        context.network.namespace(node.name),
        'nginx',
        ['-e', `${dir}/error.log`, '-c', file],
        path.join(dir, 'stdout.log')
    );
    return [step.listen];
}

export function startUwsgi(context: StartContext, node: LabNode, step: Uwsgi): Endpoint[] {
    const dir = workDir(context, node.name, `uwsgi-${step.listen.port}`);
    const app = path.join(dir, 'app.py');
    writeFileSync(app, WSGI_APP);
    context.progress(`uwsgi: starting on ${node.name} at ${step.listen.address}:${step.listen.port}`);
    context.processes.start(
        context.network.namespace(node.name),
        'uwsgi',
        [
            '--plugin',
            'python3',
            '--socket',
            `${step.listen.address}:${step.listen.port}`,
            '--http-socket',
            `${step.direct.address}:${step.direct.port}`,
            '--wsgi-file',
            app,
            '--master',
            '--processes',
            '1',
            '--die-on-term',
            ...(step.bufferSize !== undefined ? ['--buffer-size', String(step.bufferSize)] : []),
            ...(step.database ? ['--env', `LAB_DATABASE=${step.database.address}:${step.database.port}`] : [])
        ],
        path.join(dir, 'uwsgi.log')
    );
    return [step.listen, step.direct];
}

export function startStandin(context: StartContext, node: LabNode, step: Standin): Endpoint[] {
    const dir = workDir(context, node.name, 'standin');
    const script = path.join(dir, 'standin.cjs');
    writeFileSync(script, STANDIN_SCRIPT);
    context.progress(`stand-in: ${step.listeners.map(l => l.role).join(', ')} on ${node.name}`);
    const child = context.processes.start(
        context.network.namespace(node.name),
        process.execPath,
        [script, JSON.stringify(step.listeners)],
        path.join(dir, 'standin.log')
    );
    if (child.pid === undefined) throw new LabError(`cannot start the stand-in on ${node.name}`);
    return step.listeners;
}
