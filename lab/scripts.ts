// Small programs the lab runs inside its namespaces, kept as source text so the bundled CLI can
// write them to its scratch folder: the probe (TCP connects and HTTP requests from one namespace),
// the Node stand-in (API nodes and hops with no real program), and the WSGI app behind uwsgi.

/** argv[2]: JSON array of tasks; prints a JSON array of results in the same order. */
export const PROBE_SCRIPT = String.raw`
const net = require('node:net');
const http = require('node:http');
const tasks = JSON.parse(process.argv[2]);
function connect(task) {
    return new Promise(resolve => {
        const socket = net.connect({ host: task.address, port: task.port });
        const done = result => { socket.destroy(); resolve(result); };
        socket.setTimeout(task.timeoutMs, () => done('timeout'));
        socket.on('connect', () => done('connected'));
        socket.on('error', error => done(error.code === 'ECONNREFUSED' ? 'refused' : error.code || 'error'));
    });
}
function request(task) {
    return new Promise(resolve => {
        const req = http.request({ host: task.address, port: task.port, path: '/', method: 'GET', headers: task.headers, timeout: task.timeoutMs, agent: false });
        req.on('response', res => { res.resume(); res.on('end', () => resolve(String(res.statusCode))); });
        req.on('timeout', () => { req.destroy(); resolve('timeout'); });
        req.on('error', error => resolve(error.code === 'ECONNRESET' || error.code === 'HPE_INVALID_CONSTANT' ? 'closed' : error.code || 'error'));
        req.end();
    });
}
Promise.all(tasks.map(task => (task.type === 'http' ? request(task) : connect(task)))).then(results => {
    process.stdout.write(JSON.stringify(results));
});
`;

/**
 * argv[2]: JSON array of listeners {address, port, role, limit?, next?, database?}. A limit of scope
 * 'line' refuses a header line longer than it with 400 (as eventlet does); of scope 'headers' the
 * request line and headers together with 431; 'native' leaves it to Node's own max header size.
 * The last hop answers 200, or 503 when its database does not answer a query.
 */
export const STANDIN_SCRIPT = String.raw`
const http = require('node:http');
const { execFile } = require('node:child_process');
for (const listener of JSON.parse(process.argv[2])) {
    const native = listener.limit && listener.limit.native;
    const server = http.createServer({ maxHeaderSize: native ? listener.limit.bytes : 1 << 20 }, (req, res) => {
        const limit = listener.limit;
        if (limit && !native) {
            const lines = [];
            for (let i = 0; i < req.rawHeaders.length; i += 2) lines.push(req.rawHeaders[i].length + 2 + req.rawHeaders[i + 1].length + 2);
            const requestLine = req.method.length + 1 + req.url.length + 1 + 8 + 2;
            const over = limit.scope === 'line' ? Math.max(0, ...lines) > limit.bytes : requestLine + lines.reduce((a, b) => a + b, 0) + 2 > limit.bytes;
            if (over) { res.writeHead(limit.scope === 'line' ? 400 : 431, { connection: 'close' }); res.end(listener.role + ': header too large\n'); return; }
        }
        if (listener.next) {
            const headers = { ...req.headers, host: listener.next.address + ':' + listener.next.port };
            const forward = http.request({ host: listener.next.address, port: listener.next.port, path: req.url, method: req.method, headers, agent: false }, upstream => {
                res.writeHead(upstream.statusCode, { 'x-lab-hop': listener.role });
                upstream.pipe(res);
            });
            forward.on('error', () => { res.writeHead(502); res.end(listener.role + ': next hop closed\n'); });
            req.pipe(forward);
            return;
        }
        const answer = ok => { res.writeHead(ok ? 200 : 503, { 'content-type': 'text/plain' }); res.end(listener.role + (ok ? ': ok\n' : ': database unavailable\n')); };
        if (!listener.database) return answer(true);
        execFile('mariadb', ['-h', listener.database.address, '-P', String(listener.database.port), '-ulab', '-plab', '--connect-timeout=2', '-N', '-e', 'SELECT 1'], { timeout: 5000 }, error => answer(!error));
    });
    server.listen(listener.port, listener.address);
}
`;

/** The WSGI app behind uwsgi: 200, or 503 when LAB_DATABASE (host:port) does not answer a query. */
export const WSGI_APP = `import os, subprocess

def application(environ, start_response):
    ok = True
    database = os.environ.get('LAB_DATABASE')
    if database:
        host, port = database.rsplit(':', 1)
        ok = subprocess.run(['mariadb', '-h', host, '-P', port, '-ulab', '-plab', '--connect-timeout=2', '-N', '-e', 'SELECT 1'],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=5).returncode == 0
    start_response('200 OK' if ok else '503 Service Unavailable', [('Content-Type', 'text/plain')])
    return [b'uwsgi app: ok\\n' if ok else b'uwsgi app: database unavailable\\n']
`;
