// Tries TCP connections from given source addresses (run inside a test's network namespace that
// holds them) and prints, as JSON, which connected. A firewall that drops shows as a timeout.
import net from 'node:net';

const probes = JSON.parse(process.argv[2]);
const timeout = Number(process.argv[3] ?? 600);
const results = await Promise.all(
    probes.map(
        ({ from, to, port }) =>
            new Promise(resolve => {
                const socket = net.connect({ host: to, port, localAddress: from });
                const done = connected => {
                    clearTimeout(timer);
                    socket.destroy();
                    resolve(connected);
                };
                const timer = setTimeout(() => done(false), timeout);
                socket.on('connect', () => done(true));
                socket.on('error', () => done(false));
            })
    )
);
console.log(JSON.stringify(results));
