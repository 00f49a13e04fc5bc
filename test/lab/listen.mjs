// A TCP listener for tests, run inside a test's network namespace: listens on every port given, on
// every address. Modes: `--http` answers each request with HTTP 200; `--exec CMD ARG…` runs CMD once
// per connection with the connection as its stdin and stdout (what a systemd socket with
// Accept=yes does); default: writes one line and closes. Prints "listening" once every port is bound.
import { spawn } from 'node:child_process';
import net from 'node:net';

const [portList, mode, ...command] = process.argv.slice(2);
const ports = portList.split(',').map(Number);
let pending = ports.length;
for (const port of ports) {
    net.createServer(socket => {
        socket.on('error', () => {});
        if (mode === '--exec') {
            const child = spawn(command[0], command.slice(1), { stdio: [socket, socket, 'inherit'] });
            child.on('error', () => socket.destroy());
            child.on('exit', () => socket.destroy());
        } else if (mode === '--http') {
            socket.once('data', () =>
                socket.end('HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 3\r\n\r\nok\n')
            );
        } else {
            socket.end(`port ${port}\n`);
        }
    }).listen({ port, host: '0.0.0.0' }, () => {
        if (--pending === 0) console.log('listening');
    });
}
