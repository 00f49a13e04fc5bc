// Parsing: every concept of the grammar parses without syntax errors into the expected AST, and
// lexer/parser/value problems are reported with the stable rule ids.

import { describe, expect, it } from 'vitest';
import * as ast from '../language/generated/ast.js';
import { check, rules, withRule } from './helpers.js';

const FULL = `import "other.hatopo"

topology demo "A full topology"
  target availability 99.95%
  target throughput 100/s

region r1 "First" 10.1.0.0/16 {
  zone internal 10.1.1.0/24 trust internal {
    host api1 10.1.1.11 availability 99.9%
    host api2 10.1.1.12;
  }
  zone edge 10.1.0.0/24 trust public {
    host lb1 10.1.0.11
    host lb2 10.1.0.12
  }
  zone mgmt 10.1.9.0/24 trust management;
  zone plain 10.1.8.0/24
  host db1 10.1.1.31 zone internal availability 99.5%
  host db2 10.1.1.32 zone internal
  host db3 10.1.1.33 zone internal
  host arb 10.1.9.40 zone mgmt
  host mc1 10.1.1.41 zone internal
  host mq1 10.1.1.51 zone internal
  host hsm1 10.1.9.61 zone mgmt
  host hsm2 10.1.9.62 zone mgmt
}

region r2 10.2.0.0/16 {
  host db4 10.2.0.31
}

galera db {
  members db1 weight 2 segment 1, db2 segment 1 weight 3, db3
  garbd arb
  sst xtrabackup-v2
  segments by region
  option evs.suspect_timeout = PT30S
  option wsrep_sync_wait = 0
  option wsrep_dirty_reads = on
  option gcache.size = 1G
  option ratio = 1.5
  option note = "text"
  ;
}

rabbitmq mq {
  members mq1, db1, db2
  partition_handling pause_minority
  option cluster_formation = classic;
}

memcached mc {
  servers mc1, api1
  port 11212
  memory 512MiB
  threads 4
  ttl 60m
  sasl
  tls
}

vip apivip 10.1.0.10 vrid 51 {
  master lb1 priority 150
  backup lb2 priority 100
  interface eth1
  advert 2s
  unicast
  nopreempt
}

vip dbvip 10.1.1.10 vrid 52 { master lb1 priority 150; backup lb2 priority 100 }

haproxy lb {
  nodes lb1, lb2
  bufsize 32k
  maxrewrite 2048
  timeout client 30s
  timeout server 1m
  timeout connect 500ms
  timeout check 5s
  frontend api-fe bind apivip port 5000 backend api-be
  frontend db-fe bind dbvip port 3306 backend galera;
  backend api-be mode http check "GET /healthcheck" {
    server api1 port 5000
    server api2 port 5000;
  }
  backend galera mode tcp check mysql {
    server db1 port 3306
    server db2 port 3306 backup
    server db3 port 3306 backup;
  }
}

hsm luna {
  members hsm1, hsm2
  haonly
  capacity 500/s
  port 1792
  plugin kmip
}

service keystone kind identity port 5000 {
  nodes api1, api2
  frontend apivip
  database db via dbvip
  cache mc
  queue mq
  hsm luna
  token fernet expiration 24h rotation 6h allow_expired_window 2d max_active_keys 6 nocatalog
  catalog omit
  endpoints public, internal, admin
  path haproxy -> nginx large_client_header_buffers 4 8k -> uwsgi buffer-size 8192
  availability 99.9%
}

link wan: r1 <-> r2 {
  latency 12ms
  redundant
  vpn
  allow tcp 3306, 4567-4568 from r1
  allow udp 4567
  allow proto 112
  deny all from r2;
}

link edge -> internal { allow tcp 5000 }

firewall fw protects mgmt {
  allow tcp 1792 from internal
  deny all
  ;
}
`;

async function parsed(text: string) {
    const document = await check(text);
    return { document, root: document.parseResult.value };
}

describe('parsing every concept', () => {
    it('parses the full topology without lexer or parser errors', async () => {
        const { document } = await parsed(FULL);
        expect(document.parseResult.lexerErrors).toEqual([]);
        expect(document.parseResult.parserErrors).toEqual([]);
        expect(rules(document)).not.toContain('syntax-error');
        // Only the import of the missing other.hatopo is unresolved; every name links.
        expect(withRule(document, 'unresolved-reference')).toHaveLength(1);
        expect(withRule(document, 'invalid-value')).toEqual([]);
    });

    it('reads topology, targets and import', async () => {
        const { root } = await parsed(FULL);
        expect(root.imports.map(i => i.path)).toEqual(['other.hatopo']);
        expect(root.topology?.name).toBe('demo');
        expect(root.topology?.description).toBe('A full topology');
        expect(root.topology?.targets.map(t => [t.kind, t.value])).toEqual([
            ['availability', '99.95%'],
            ['throughput', '100/s']
        ]);
    });

    it('reads regions, zones with trust and nested hosts, hosts with zone references and availability', async () => {
        const { root } = await parsed(FULL);
        const [r1, r2] = root.elements.filter(ast.isRegion);
        expect(r1.name).toBe('r1');
        expect(r1.description).toBe('First');
        expect(r1.subnet).toBe('10.1.0.0/16');
        expect(r2.description).toBeUndefined();
        expect(r1.zones.map(z => [z.name, z.subnet, z.trust])).toEqual([
            ['internal', '10.1.1.0/24', 'internal'],
            ['edge', '10.1.0.0/24', 'public'],
            ['mgmt', '10.1.9.0/24', 'management'],
            ['plain', '10.1.8.0/24', undefined]
        ]);
        // A zone named by the keyword `internal` keeps its nested hosts.
        expect(r1.zones[0].hosts.map(h => [h.name, h.address, h.availability])).toEqual([
            ['api1', '10.1.1.11', '99.9%'],
            ['api2', '10.1.1.12', undefined]
        ]);
        const db1 = r1.hosts.find(h => h.name === 'db1')!;
        expect(db1.address).toBe('10.1.1.31');
        expect(db1.availability).toBe('99.5%');
        expect(db1.zone?.ref).toBe(r1.zones[0]);
        expect(db1.zone?.$refText).toBe('internal');
        expect(r2.hosts.map(h => h.name)).toEqual(['db4']);
    });

    it('reads galera members with weight and segment, garbd, sst, segments by region and options', async () => {
        const { root } = await parsed(FULL);
        const galera = root.elements.find(ast.isGalera)!;
        expect(galera.name).toBe('db');
        expect(galera.members.map(m => [m.host.$refText, m.weight, m.segment])).toEqual([
            ['db1', 2, 1],
            ['db2', 3, 1],
            ['db3', undefined, undefined]
        ]);
        expect(galera.members[0].host.ref?.name).toBe('db1');
        expect(galera.arbitrators.map(a => a.host.ref?.name)).toEqual(['arb']);
        expect(galera.sst).toBe('xtrabackup-v2');
        expect(galera.segmentByRegion).toBe(true);
        expect(galera.options.map(o => [o.name, o.value])).toEqual([
            ['evs.suspect_timeout', 'PT30S'],
            ['wsrep_sync_wait', '0'],
            ['wsrep_dirty_reads', 'on'],
            ['gcache.size', '1G'],
            ['ratio', '1.5'],
            ['note', 'text']
        ]);
    });

    it('reads rabbitmq and memcached with all settings', async () => {
        const { root } = await parsed(FULL);
        const mq = root.elements.find(ast.isRabbitMQ)!;
        expect(mq.members.map(m => m.ref?.name)).toEqual(['mq1', 'db1', 'db2']);
        expect(mq.partitionHandling).toBe('pause_minority');
        expect(mq.options.map(o => [o.name, o.value])).toEqual([['cluster_formation', 'classic']]);
        const mc = root.elements.find(ast.isMemcached)!;
        expect(mc.servers.map(s => s.ref?.name)).toEqual(['mc1', 'api1']);
        expect(mc.port).toBe(11212);
        expect(mc.memory).toBe('512MiB');
        expect(mc.threads).toBe(4);
        expect(mc.ttl).toBe('60m');
        expect(mc.sasl).toBe(true);
        expect(mc.tls).toBe(true);
    });

    it('reads a vip with members, interface, advert, unicast and nopreempt', async () => {
        const { root } = await parsed(FULL);
        const vip = root.elements.filter(ast.isVip)[0];
        expect([vip.name, vip.address, vip.vrid]).toEqual(['apivip', '10.1.0.10', 51]);
        expect(vip.members.map(m => [m.state, m.host.ref?.name, m.priority])).toEqual([
            ['master', 'lb1', 150],
            ['backup', 'lb2', 100]
        ]);
        expect(vip.interface).toBe('eth1');
        expect(vip.advert).toBe('2s');
        expect(vip.unicast).toBe(true);
        expect(vip.nopreempt).toBe(true);
        const dbvip = root.elements.filter(ast.isVip)[1];
        expect(dbvip.unicast).toBe(false);
        expect(dbvip.interface).toBeUndefined();
    });

    it('reads haproxy nodes, sizes, timeouts, frontends, backends (one called galera), servers and backup', async () => {
        const { root } = await parsed(FULL);
        const lb = root.elements.find(ast.isHAProxy)!;
        expect(lb.nodes.map(n => n.ref?.name)).toEqual(['lb1', 'lb2']);
        expect(lb.bufsize).toBe('32k');
        expect(lb.maxrewrite).toBe('2048'); // Size is a string rule: INT or QUANTITY
        expect(lb.timeouts.map(t => [t.kind, t.value])).toEqual([
            ['client', '30s'],
            ['server', '1m'],
            ['connect', '500ms'],
            ['check', '5s']
        ]);
        expect(lb.frontends.map(f => [f.name, f.vip.ref?.name, f.port, f.backend.ref?.name])).toEqual([
            ['api-fe', 'apivip', 5000, 'api-be'],
            ['db-fe', 'dbvip', 3306, 'galera']
        ]);
        expect(lb.frontends[1].backend.ref).toBe(lb.backends[1]);
        expect(lb.backends.map(b => [b.name, b.mode, b.check])).toEqual([
            ['api-be', 'http', 'GET /healthcheck'],
            ['galera', 'tcp', 'mysql']
        ]);
        expect(lb.backends[1].servers.map(s => [s.host.ref?.name, s.port, s.backup])).toEqual([
            ['db1', 3306, false],
            ['db2', 3306, true],
            ['db3', 3306, true]
        ]);
    });

    it('reads a service with every setting, its token and its path with hop settings', async () => {
        const { root } = await parsed(FULL);
        const service = root.elements.find(ast.isService)!;
        expect([service.name, service.kind, service.port]).toEqual(['keystone', 'identity', 5000]);
        expect(service.nodes.map(n => n.ref?.name)).toEqual(['api1', 'api2']);
        expect(service.frontends.map(f => f.ref?.name)).toEqual(['apivip']);
        expect(service.database?.ref?.name).toBe('db');
        expect(service.databaseVip?.ref?.name).toBe('dbvip');
        expect(service.caches.map(c => c.ref?.name)).toEqual(['mc']);
        expect(service.queue?.ref?.name).toBe('mq');
        expect(service.hsm?.ref?.name).toBe('luna');
        const token = service.token!;
        expect(token.format).toBe('fernet');
        expect([
            token.expiration,
            token.rotation,
            token.allowExpiredWindow,
            token.maxActiveKeys,
            token.nocatalog
        ]).toEqual(['24h', '6h', '2d', 6, true]);
        expect(service.catalog).toBe('omit');
        expect(service.interfaces).toEqual(['public', 'internal', 'admin']);
        expect(service.hops.map(h => h.kind)).toEqual(['haproxy', 'nginx', 'uwsgi']);
        expect(service.hops[1].settings.map(s => [s.name, s.values])).toEqual([
            ['large_client_header_buffers', ['4', '8k']]
        ]);
        expect(service.hops[2].settings.map(s => [s.name, s.values])).toEqual([['buffer-size', ['8192']]]);
        expect(service.availability).toBe('99.9%');
    });

    it('reads other token formats', async () => {
        for (const format of ['uuid', 'pki', 'pkiz']) {
            const { document, root } = await parsed(`service s port 1 { token ${format} }`);
            expect(document.parseResult.parserErrors).toEqual([]);
            expect(root.elements.find(ast.isService)!.token?.format).toBe(format);
        }
    });

    it('reads an hsm group', async () => {
        const { root } = await parsed(FULL);
        const hsm = root.elements.find(ast.isHsmGroup)!;
        expect(hsm.name).toBe('luna');
        expect(hsm.members.map(m => m.host.ref?.name)).toEqual(['hsm1', 'hsm2']);
        expect(hsm.haOnly).toBe(true);
        expect(hsm.capacity).toBe('500/s');
        expect(hsm.port).toBe(1792);
        expect(hsm.plugin).toBe('kmip');
    });

    it('reads links with name, latency, redundant, vpn and allow/deny rules', async () => {
        const { root } = await parsed(FULL);
        const [wan, anonymous] = root.elements.filter(ast.isLink);
        expect(wan.name).toBe('wan');
        expect([wan.from.ref?.name, wan.direction, wan.to.ref?.name]).toEqual(['r1', '<->', 'r2']);
        expect(wan.latency).toBe('12ms');
        expect(wan.redundant).toBe(true);
        expect(wan.vpn).toBe(true);
        const [tcp, udp, proto, deny] = wan.rules;
        expect(tcp.action).toBe('allow');
        expect(tcp.protocol).toBe('tcp');
        expect(tcp.ports.map(p => [p.first, p.last])).toEqual([
            [3306, undefined],
            [4567, 4568]
        ]);
        expect(tcp.source?.ref?.name).toBe('r1');
        expect([udp.protocol, udp.ports[0].first]).toEqual(['udp', 4567]);
        expect(proto.ipProtocol).toBe(112);
        expect(proto.protocol).toBeUndefined();
        expect([deny.action, deny.all, deny.source?.ref?.name]).toEqual(['deny', true, 'r2']);
        expect(anonymous.name).toBeUndefined();
        expect([anonymous.from.ref?.name, anonymous.direction, anonymous.to.ref?.name]).toEqual([
            'edge',
            '->',
            'internal'
        ]);
        expect(ast.isZone(anonymous.to.ref)).toBe(true);
    });

    it('reads a firewall', async () => {
        const { root } = await parsed(FULL);
        const firewall = root.elements.find(ast.isFirewall)!;
        expect(firewall.name).toBe('fw');
        expect(firewall.target.ref?.name).toBe('mgmt');
        expect(
            firewall.rules.map(r => [r.action, r.protocol, r.ports.map(p => p.first), r.all, r.source?.ref?.name])
        ).toEqual([
            ['allow', 'tcp', [1792], false, 'internal'],
            ['deny', undefined, [], true, undefined]
        ]);
    });

    it('accepts comments', async () => {
        const { document, root } = await parsed(
            '// line\n/* block\n comment */ region r { host a 10.0.0.1 // trailing\n }'
        );
        expect(document.parseResult.parserErrors).toEqual([]);
        expect(root.elements.filter(ast.isRegion)[0].hosts[0].name).toBe('a');
    });
});

describe('syntax and value errors', () => {
    it('reports a syntax error with code syntax-error at the right line', async () => {
        const document = await check('region r 10.0.0.0/16 {\n  host a 10.0.0.1\n  host b 10.0.0.2 zone\n}\n');
        const errors = withRule(document, 'syntax-error');
        expect(errors.length).toBeGreaterThan(0);
        expect(errors[0].range.start.line).toBe(3); // the '}' where a zone name was expected
        expect(errors[0].severity).toBe(1);
    });

    it('reports a lexer error as syntax-error on its line', async () => {
        const document = await check('region r {\n  host a 10.0.0.1\n}\n$\n');
        const errors = withRule(document, 'syntax-error');
        expect(errors.length).toBeGreaterThan(0);
        expect(errors[0].range.start.line).toBe(3);
    });

    it('reports a wrong unit (availability 24h on a host) as invalid-value at the value', async () => {
        const document = await check('region r 10.0.0.0/16 {\n  host a 10.0.0.1 availability 24h\n}');
        const [diagnostic] = withRule(document, 'invalid-value');
        expect(diagnostic).toBeDefined();
        expect(diagnostic.message).toContain('24h');
        expect(diagnostic.range.start).toEqual({ line: 1, character: 31 });
        expect(rules(document)).not.toContain('syntax-error');
    });

    it('reports an address octet of 300 as invalid-value', async () => {
        const document = await check('region r {\n  host a 10.0.0.300\n}');
        const [diagnostic] = withRule(document, 'invalid-value');
        expect(diagnostic).toBeDefined();
        expect(diagnostic.message).toContain('10.0.0.300');
        expect(diagnostic.range.start.line).toBe(1);
        expect(rules(document)).not.toContain('syntax-error');
    });

    it('reports an octet of 300 in a subnet as invalid-value', async () => {
        const document = await check('region r 10.300.0.0/16 { host a 10.0.0.1 }');
        expect(
            withRule(document, 'invalid-value')
                .map(d => d.message)
                .join()
        ).toContain('10.300.0.0/16');
    });

    it('reports a size given as a duration (bufsize 5s) as invalid-value', async () => {
        const document = await check('haproxy lb { bufsize 5s }');
        expect(withRule(document, 'invalid-value')[0]?.message).toContain('5s');
    });

    // BUG: a host cut short by a syntax error reaches the model builder without an address;
    // parseIpv4(undefined) throws and Langium adds an extra code-less "An error occurred during
    // validation" diagnostic, losing every semantic check of the file.
    it('a recovered syntax error does not crash the validation', async () => {
        const document = await check('region r 10.0.0.0/16 {\n  host a 10.0.0.1\n  host\n}');
        expect(rules(document)).toContain('syntax-error');
        expect((document.diagnostics ?? []).filter(d => d.code === undefined || d.code === null)).toEqual([]);
    });

    // BUG: keywords are not accepted after '.' in option or hop-setting names, so the settings the
    // analyses read (gmcast.segment in galera.ts, tune.bufsize in headers.ts) cannot be written.
    it('accepts option gmcast.segment and pc.weight on a galera cluster', async () => {
        const document = await check('galera db { option gmcast.segment = 1\n option pc.weight = 2 }');
        expect(rules(document)).not.toContain('syntax-error');
    });

    it('accepts the tune.bufsize hop setting of a haproxy hop', async () => {
        const document = await check(
            'service s port 5000 { path haproxy tune.bufsize 32k tune.maxrewrite 1k -> uwsgi }'
        );
        expect(rules(document)).not.toContain('syntax-error');
    });
});
