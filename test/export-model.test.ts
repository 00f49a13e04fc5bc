// The language's export concepts read into the model (management access, host interfaces, VIP
// preemption, TLS frontends, the RabbitMQ queue type, the Galera health check), every value that
// reaches a config checked where it is written (invalid-value, with its range), and what the
// exporters make of them. The real programs prove the files in export.test.ts.

import { execSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { analyse } from '../language/analysis/analyse.js';
import { managementRules } from '../language/analysis/management.js';
import { exportAll, exportBlockers } from '../language/export/export-all.js';
import { buildModel } from '../language/model/build-model.js';
import { check } from './helpers.js';

const PLACES = `region r 10.1.0.0/16 {
  zone ops 10.1.9.0/24 trust management {
    host bastion 10.1.9.10
  }
  zone int 10.1.0.0/24 trust internal {
    host lb1 10.1.0.5 interface bond0.100
    host lb2 10.1.0.6
    host db1 10.1.0.31
    host db2 10.1.0.32
    host db3 10.1.0.33
  }
  zone dmz 10.1.1.0/24 trust public {
    host web 10.1.1.10
  }
}
`;

async function model(text: string) {
    return buildModel([await check(text, 'export-model.hatopo')]);
}

function invalid(m: Awaited<ReturnType<typeof model>>): Array<{ line: number; message: string }> {
    return m.problems
        .filter(p => p.rule === 'invalid-value')
        .map(p => ({ line: p.source.start.line, message: p.message }));
}

const scratch = mkdtempSync(path.join(tmpdir(), 'hatopo-export-model-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('export concepts in the model', () => {
    it('reads management, interfaces, preempt, tls, queues and the Galera check, with their defaults', async () => {
        const m = await model(
            `${PLACES}manage from 10.1.8.0/24 ports 22, 9100-9110
galera g { members db1, db2, db3 }
rabbitmq q { members db1, db2, db3  queues classic }
vip v 10.1.0.100 vrid 9 { master lb1 priority 150; backup lb2 priority 100 }
vip w 10.1.0.101 vrid 10 { master lb1 priority 150; backup lb2 priority 100; preempt; interface eth1 }
haproxy h {
  nodes lb1, lb2
  frontend api bind v port 443 backend api tls
  frontend api2 bind w port 8443 backend api tls crt "/etc/ssl/private/api.pem"
  frontend db bind v port 3306 backend galera
  backend api mode http check "HEAD /healthcheck" { server db1 port 5000 }
  backend galera mode tcp { server db1 port 3306; server db2 port 3306 backup }
}
`
        );
        expect(invalid(m)).toEqual([]);
        expect(m.hosts.find(h => h.name === 'lb1')!.interface).toBe('bond0.100');
        expect(m.hosts.find(h => h.name === 'lb2')!.interface).toBe('eth0');
        const [v, w] = m.vips;
        expect([v.nopreempt, v.interface, v.interfaceWritten]).toEqual([true, 'bond0.100', false]);
        expect([w.nopreempt, w.interface, w.interfaceWritten]).toEqual([false, 'eth1', true]);
        const h = m.haproxies[0];
        expect(h.frontends.map(f => f.tls?.certificate)).toEqual([
            '/etc/haproxy/certs/v.pem',
            '/etc/ssl/private/api.pem',
            undefined
        ]);
        expect(h.backends.map(b => b.check)).toEqual([
            { kind: 'http', method: 'HEAD', path: '/healthcheck' },
            { kind: 'galera', port: 9200 }
        ]);
        expect(m.rabbitmqs[0].queueType).toBe('classic');
        expect(managementRules(m)).toEqual([
            {
                sources: ['10.1.8.0/24'],
                ports: [
                    { first: 22, last: 22 },
                    { first: 9100, last: 9110 }
                ],
                label: '10.1.8.0/24'
            },
            { sources: ['10.1.9.0/24'], ports: [{ first: 22, last: 22 }], label: 'zone ops' }
        ]);
        expect(analyse(m).map(f => f.rule)).not.toContain('management-access');
    });

    it('exports them: every member BACKUP with nopreempt unless preempt, the host interface, TLS, clustercheck, quorum by default', async () => {
        const m = await model(
            `${PLACES}galera g { members db1, db2, db3 }
rabbitmq q { members db1, db2, db3 }
vip v 10.1.0.100 vrid 9 { master lb1 priority 150; backup lb2 priority 100 }
vip w 10.1.0.101 vrid 10 { master lb1 priority 150; backup lb2 priority 100; preempt }
haproxy h {
  nodes lb1, lb2
  frontend api bind v port 443 backend api tls
  frontend db bind v port 3306 backend galera
  backend api mode http { server db1 port 5000 }
  backend galera mode tcp { server db1 port 3306; server db2 port 3306 backup }
}
`
        );
        const files = new Map(exportAll(m).map(f => [f.path, f.content]));
        const keepalived = files.get('lb1/keepalived.conf')!;
        expect(keepalived).toMatch(/vrrp_instance v \{\n {4}state BACKUP\n {4}nopreempt\n {4}interface bond0\.100\n/);
        expect(keepalived).toMatch(/vrrp_instance w \{\n {4}state MASTER\n {4}interface bond0\.100\n/);
        expect(keepalived).toContain('10.1.0.100/24 dev bond0.100');
        expect(files.get('lb2/keepalived.conf')).toMatch(
            /vrrp_instance v \{\n {4}state BACKUP\n {4}nopreempt\n {4}interface eth0\n/
        );
        const haproxy = files.get('lb1/haproxy.cfg')!;
        expect(haproxy).toContain(
            '    bind 10.1.0.100:443 ssl crt /etc/haproxy/certs/v.pem\n    mode http\n    option httplog\n    option forwardfor\n    http-request set-header X-Forwarded-Proto https'
        );
        expect(haproxy).toContain('    option clitcpka\n    timeout client 3600s');
        expect(haproxy).toContain(
            '    option srvtcpka\n    timeout server 3600s\n    option httpchk GET /\n    http-check expect status 200'
        );
        expect(haproxy).toContain('    server db2 10.1.0.32:3306 check port 9200 inter 2s rise 2 fall 5 backup');
        expect(haproxy).toContain('listen stats\n    bind 10.1.0.5:1936');
        expect(haproxy).not.toContain('mysql-check');
        expect(files.get('lb1/sysctl-hatopo.conf')).toContain('net.ipv4.ip_nonlocal_bind = 1');
        expect(JSON.parse(files.get('db1/definitions.json')!).vhosts[0].default_queue_type).toBe('quorum');
        expect(files.get('db1/clustercheck.socket')).toContain('ListenStream=10.1.0.31:9200\nAccept=yes');
        const nft = files.get('lb1/nftables.conf')!;
        expect(nft).toMatch(/^table inet hatopo\ndelete table inet hatopo\n\ntable inet hatopo \{$/m);
        expect(nft).toContain('ip saddr 10.1.9.0/24 tcp dport { 22, 1936 } accept comment "management from zone ops"');
        // A sensitive frontend admits the non-public places only; an API frontend anyone, on its VIP only.
        expect(nft).toContain('ip saddr { 10.1.0.0/24, 10.1.9.0/24 } ip daddr 10.1.0.100 tcp dport 3306 accept');
        expect(nft).toContain('ip daddr 10.1.0.100 tcp dport 443 accept comment "frontend api"');
        expect(nft).not.toMatch(/^\s+tcp dport/m);
        // The database nodes admit clustercheck from the haproxy nodes.
        expect(files.get('db1/nftables.conf')).toMatch(
            /ip saddr \{ 10\.1\.0\.5, 10\.1\.0\.6 \} tcp dport [^\n]*9200[^\n]* accept/
        );
    });

    it('merges Galera provider options into one, a modelled option replacing the default of its name', async () => {
        const m = await model(
            `${PLACES}galera g {
  members db1 weight 2 segment 1, db2, db3
  option gcache.size = 2G
  option evs.suspect_timeout = PT30S
  option wsrep_provider_options = "evs.inactive_timeout=PT1M; evs.suspect_timeout=PT20S"
  option max-connections = 500
}
`
        );
        expect(invalid(m)).toEqual([]);
        const cnf = exportAll(m).find(f => f.path === 'db1/galera.cnf')!.content;
        expect(cnf).toContain(
            'wsrep_provider_options = "gcache.size=2G;gmcast.listen_addr=tcp://10.1.0.31:4567;ist.recv_addr=10.1.0.31:4568;gmcast.segment=1;pc.weight=2;evs.suspect_timeout=PT20S;evs.inactive_timeout=PT1M"'
        );
        expect(cnf).toContain('max-connections = 500');
        expect(cnf).not.toContain('max_connections = 1600');
    });

    it('writes only rabbitmq.conf keys of the schema, and refuses mirroring options', async () => {
        const m = await model(`${PLACES}rabbitmq q {\n  members db1, db2, db3\n  option policy.ha-mode = "all"\n}\n`);
        expect(invalid(m)).toEqual([
            expect.objectContaining({
                line: 17,
                message: expect.stringContaining('option policy.ha-mode is no rabbitmq.conf key')
            })
        ]);
        const conf = exportAll(m).find(f => f.path === 'db1/rabbitmq.conf')!.content;
        expect(
            conf
                .split('\n')
                .filter(l => l && !l.startsWith('#'))
                .map(l => l.split(' = ')[0])
        ).toEqual([
            'listeners.tcp.1',
            'distribution.listener.interface',
            'cluster_partition_handling',
            'cluster_formation.peer_discovery_backend',
            'cluster_formation.discovery_retry_limit',
            'cluster_formation.discovery_retry_interval',
            'cluster_formation.classic_config.nodes.1',
            'cluster_formation.classic_config.nodes.2',
            'cluster_formation.classic_config.nodes.3',
            'load_definitions'
        ]);
    });
});

describe('invalid-value where a value is written', () => {
    it('range-checks ports, VRIDs, weights, segments, IP protocols and VRRP priorities, once each', async () => {
        const m = await model(
            `${PLACES}galera g { members db1 weight 300, db2 segment 256, db3 }
memcached mc { servers db1 port 0 }
vip v 10.1.0.100 vrid 300 { master lb1 priority 255; backup lb2 priority 0 }
haproxy h {
  nodes lb1, lb2
  frontend api bind v port 99999 backend api
  backend api mode http { server db1 port 70000 }
}
service s port 65536 { nodes db1 }
link r -> r { allow tcp 5000-4000; allow proto 300 }
manage from ops ports 0
`
        );
        const messages = invalid(m).map(p => `${p.line}: ${p.message}`);
        expect(messages).toEqual(
            expect.arrayContaining([
                '15: pc.weight 300 is outside 0–255',
                '15: gmcast.segment 256 is outside 0–255',
                '16: port 0 is outside 1–65535',
                '17: virtual_router_id 300 is outside 1–255',
                expect.stringMatching(/^17: vip 'v': lb1 has priority 255, outside 1–254/),
                expect.stringMatching(/^17: vip 'v': lb2 has priority 0, outside 1–254/),
                '20: port 99999 is outside 1–65535',
                '21: port 70000 is outside 1–65535',
                '23: port 65536 is outside 1–65535',
                '24: port range 5000-4000 ends before it starts',
                '24: IP protocol 300 is outside 0–255',
                '25: port 0 is outside 1–65535'
            ])
        );
        // The priority is reported once, as invalid-value, not again by vrrp-priority.
        const findings = analyse(m);
        expect(findings.filter(f => f.rule === 'vrrp-priority' && /outside/.test(f.message))).toEqual([]);
        expect(findings.filter(f => f.rule === 'invalid-value' && /priority/.test(f.message))).toHaveLength(2);
        expect(exportBlockers(m).length).toBe(messages.length);
    });

    it('refuses strings a config file would read differently, at the string', async () => {
        const m = await model(
            `${PLACES}galera g {
  members db1, db2, db3
  option wsrep_sst_donor = "db2 # db3"
  option evs.suspect_timeout = "PT30S;pc.ignore_sb=true"
  option wsrep_provider_options = "pc.ignore_quorum"
  option pc.weight = 3
}
rabbitmq q { members db1, db2, db3  option cluster_name = "a # b"  partition_handling pause_majority }
vip v 10.1.0.100 vrid 9 { master lb1 priority 150; backup lb2 priority 100 }
haproxy h {
  nodes lb1, lb2
  frontend api bind v port 443 backend api tls crt "etc/cert.pem"
  backend api mode http check "/x\\n    server rogue 203.0.113.66:5000" { server db1 port 5000 }
}
`
        );
        const lines = invalid(m)
            .map(p => p.line)
            .sort((a, b) => a - b);
        expect(lines).toEqual([17, 18, 19, 20, 22, 22, 26, 27]);
        expect(invalid(m).find(p => p.line === 27)!.message).toContain('is not an HTTP path');
    });

    it('refuses a host name longer than a hostname and an interface longer than Linux allows', async () => {
        const m = await model(
            `region r 10.1.0.0/16 {\n  host ${'h'.repeat(300)} 10.1.0.5 interface averyveryverylongname0\n}\n`
        );
        expect(invalid(m).map(p => p.message)).toEqual([
            expect.stringContaining('has 300 characters: a hostname is at most 63'),
            "interface 'averyveryverylongname0' has 22 characters: Linux allows at most 15"
        ]);
    });
});

describe('hatopo export refuses a topology with invalid values', () => {
    it('in one line naming the place, and writes nothing', () => {
        const root = path.resolve(import.meta.dirname, '..');
        if (!existsSync(path.join(root, 'out', 'cli.cjs')))
            execSync('npm run build --silent', { cwd: root, stdio: 'inherit' });
        const file = path.join(scratch, 'bad.hatopo');
        writeFileSync(
            file,
            `region r 10.1.0.0/16 {\n  host ${'h'.repeat(300)} 10.1.0.5\n  host b 10.1.0.6\n}\ngalera g { members b weight 300 }\n`
        );
        const out = path.join(scratch, 'out');
        const result = spawnSync(
            process.execPath,
            [path.join(root, 'bin', 'hatopo.cjs'), 'export', file, '--out', out],
            {
                encoding: 'utf8'
            }
        );
        expect(result.status).toBe(2);
        expect(result.stderr).toMatch(
            /^hatopo: .*bad\.hatopo:2:8: 2 invalid values: nothing exported: host name 'h{20}…' has 300 characters: a hostname is at most 63\n$/
        );
        expect(existsSync(out)).toBe(false);
    });
});
