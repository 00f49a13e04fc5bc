// The exported nftables.conf of every host of every example (and the generated topology), loaded by
// the real nft into a network namespace that holds the host's address (and its VIPs), with a
// listener on every port: from a prober namespace on the same bridge, SSH connects from where
// management comes from, the VIP frontends answer, the flows the model needs connect, and a place
// in a public zone cannot reach MySQL, Galera replication or memcached. One bridge, host and prober
// per topology; the topologies run in parallel.

import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { managementRules } from '../language/analysis/management.js';
import { parseSubnet } from '../language/model/addresses.js';
import { formatIpv4 } from '../language/model/addresses.js';
import type { TopologyModel } from '../language/model/model.js';
import { exportEverything, type Exported } from './lab/exported.js';
import { Namespace, requirePrograms } from './lab/netns.js';

const run = promisify(execFile);
const scratch = mkdtempSync(path.join(tmpdir(), 'hatopo-firewall-'));
const LISTEN = path.join(import.meta.dirname, 'lab', 'listen.mjs');
const PROBE = path.join(import.meta.dirname, 'lab', 'probe.mjs');
const SENSITIVE = [3306, 4567, 11211];
let exported: Exported[] = [];

beforeAll(async () => {
    requirePrograms('ip', 'nft');
    exported = await exportEverything(scratch);
}, 60_000);

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

interface Probe {
    from: string;
    to: string;
    port: number;
    expect: boolean;
    why: string;
}

/** An address inside a subnet that no modelled host or VIP uses (from the top of the subnet). */
function freeAddress(model: TopologyModel, cidr: string): string {
    const subnet = parseSubnet(cidr.includes('/') ? cidr : `${cidr}/32`)!;
    const used = new Set([...model.hosts, ...model.vips].map(element => element.address));
    const size = 2 ** (32 - subnet.prefix);
    for (let offset = size - 2; offset >= 1; offset--) {
        const address = formatIpv4(subnet.base + offset);
        if (!used.has(address)) return address;
    }
    return formatIpv4(subnet.base);
}

/** What to try against one host, from the model: management, flows, frontends, public zones. */
function probesFor(entry: Exported, host: TopologyModel['hosts'][number], content: string): Probe[] {
    const model = entry.model;
    const probes: Probe[] = [];
    const management = managementRules(model);
    for (const rule of management) {
        const from = freeAddress(model, rule.sources[0]);
        if (from !== host.address)
            probes.push({ from, to: host.address, port: 22, expect: true, why: `SSH from ${rule.label}` });
    }
    // Every source the file admits on a port reaches it (the listener answers, so the rule is what decides).
    for (const match of content.matchAll(/^\s+ip saddr (\{ [^}]+ \}|\S+) tcp dport (\{ [^}]+ \}|\S+) accept/gm)) {
        const sources = match[1]
            .replace(/[{}]/g, '')
            .split(',')
            .map(s => s.trim());
        const ports = match[2]
            .replace(/[{}]/g, '')
            .split(',')
            .map(p => Number.parseInt(p.trim(), 10));
        const from = sources.find(s => !s.includes('/') && s !== host.address) ?? freeAddress(model, sources[0]);
        if (from !== host.address)
            probes.push({ from, to: host.address, port: ports[0], expect: true, why: `flow on ${ports[0]}` });
    }
    const haproxies = model.haproxies.filter(haproxy => haproxy.nodes.includes(host));
    const publicZones = model.zones.filter(zone => zone.trust === 'public' && zone.subnet);
    const outsider = publicZones[0] ? freeAddress(model, publicZones[0].subnet!.text) : '198.51.100.7';
    for (const haproxy of haproxies)
        for (const frontend of haproxy.frontends) {
            const sensitive = [frontend.port, ...frontend.backend.servers.map(s => s.port)].some(p =>
                [3306, 4444, 4567, 4568, 4369, 25672, 11211].includes(p)
            );
            probes.push({
                from: outsider,
                to: frontend.vip.address,
                port: frontend.port,
                expect: !sensitive,
                why: `frontend ${frontend.name} on ${frontend.vip.address} from ${publicZones[0] ? `public zone ${publicZones[0].name}` : 'anywhere'}`
            });
        }
    for (const zone of publicZones) {
        const from = freeAddress(model, zone.subnet!.text);
        for (const port of SENSITIVE)
            probes.push({ from, to: host.address, port, expect: false, why: `${port} from public zone ${zone.name}` });
    }
    return probes;
}

async function inNamespace(namespace: Namespace, command: string, args: string[]): Promise<string> {
    const { stdout } = await run('ip', ['netns', 'exec', namespace.name, command, ...args], { timeout: 30_000 });
    return stdout;
}

async function probeTopology(entry: Exported): Promise<string[]> {
    const failures: string[] = [];
    const bridge = Namespace.bridge();
    const target = new Namespace([], bridge);
    const prober = new Namespace([], bridge);
    try {
        const files = entry.files.filter(file => path.basename(file.path) === 'nftables.conf');
        const ports = new Set<number>([22, 1936, 9200, ...SENSITIVE]);
        for (const file of files)
            for (const match of file.content.matchAll(/\b(\d{2,5})\b/g))
                if (Number(match[1]) <= 65535 && Number(match[1]) > 20) ports.add(Number(match[1]));
        const child = execFile('ip', ['netns', 'exec', target.name, process.execPath, LISTEN, [...ports].join(',')]);
        await new Promise<void>((resolve, reject) => {
            child.stdout!.on('data', chunk => String(chunk).includes('listening') && resolve());
            child.on('exit', code => reject(new Error(`listener exited ${code}`)));
        });
        for (const file of files) {
            const host = entry.model.hosts.find(h => file.path.startsWith(`${h.name}/`))!;
            const vips = entry.model.haproxies
                .filter(h => h.nodes.includes(host))
                .flatMap(h => h.frontends.map(f => f.vip.address));
            const probes = probesFor(entry, host, file.content);
            await inNamespace(target, 'ip', ['address', 'flush', 'dev', 'eth0']);
            for (const address of new Set([host.address, ...vips]))
                await inNamespace(target, 'ip', ['address', 'add', `${address}/32`, 'dev', 'eth0']);
            await inNamespace(prober, 'ip', ['address', 'flush', 'dev', 'eth0']);
            for (const address of new Set(probes.map(p => p.from)))
                await inNamespace(prober, 'ip', ['address', 'add', `${address}/32`, 'dev', 'eth0']);
            // Every address on the bridge is on-link (removing an interface's last address drops its routes).
            for (const namespace of [target, prober])
                await inNamespace(namespace, 'ip', ['route', 'replace', 'default', 'dev', 'eth0']);
            await inNamespace(target, 'nft', ['-f', path.join(entry.folder, file.path)]);
            const results = JSON.parse(
                await inNamespace(prober, process.execPath, [PROBE, JSON.stringify(probes), '700'])
            ) as boolean[];
            probes.forEach((probe, i) => {
                if (results[i] !== probe.expect)
                    failures.push(
                        `${entry.name} ${host.name}: ${probe.why} (${probe.from} → ${probe.to}:${probe.port}) ${results[i] ? 'connected' : 'was dropped'}`
                    );
            });
            if (!probes.some(p => p.port === 22 && p.expect))
                failures.push(`${entry.name} ${host.name}: nothing proves SSH`);
        }
    } finally {
        for (const namespace of [prober, target, bridge]) namespace.dispose();
    }
    return failures;
}

describe('exported firewalls in network namespaces', () => {
    it('keep SSH from management, answer the VIP frontends and the modelled flows, and shut public zones out', async () => {
        const failures = (await Promise.all(exported.map(probeTopology))).flat();
        expect(failures).toEqual([]);
    }, 240_000);

    it('put a public zone in front of MySQL, Galera and memcached in at least two examples', () => {
        const withPublic = exported.filter(entry => entry.model.zones.some(zone => zone.trust === 'public'));
        expect(withPublic.map(entry => entry.name).length).toBeGreaterThanOrEqual(2);
    });
});
