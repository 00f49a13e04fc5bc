// The flows a topology implies and how links and firewalls decide them.

import { describe, expect, it } from 'vitest';
import { deriveFlows } from '../language/analysis/flows.js';
import { Reachability } from '../language/analysis/reachability.js';
import { buildModel } from '../language/model/build-model.js';
import { check, withRule } from './helpers.js';

const BASE = `
region a { zone app 10.1.0.0/24 { host api 10.1.0.9  host lb1 10.1.0.5  host lb2 10.1.0.6 }
           zone data 10.1.1.0/24 { host db1 10.1.1.1  host mc1 10.1.1.2  host mq1 10.1.1.3 } }
region b { host db2 10.2.0.1  host mq2 10.2.0.3  host luna1 10.2.0.20 }
region c { host db3 10.3.0.1  host mq3 10.3.0.3  host luna2 10.3.0.20 }
galera db { members db1, db2, db3  sst mysqldump }
rabbitmq mq { members mq1, mq2, mq3 }
memcached mc { servers mc1 }
hsm luna { members luna1, luna2  haonly }
vip v 10.1.0.100 vrid 9 { master lb1 priority 150; backup lb2 priority 100 }
service barbican port 9311 { nodes api  database db  cache mc  queue mq  hsm luna }
`;

async function model(extra = '') {
    return buildModel([await check(BASE + extra)]);
}

describe('flow derivation', () => {
    it('derives every flow the topology needs, with its purpose', async () => {
        const flows = deriveFlows(await model());
        const seen = (purpose: string, port: number, from: string, to: string) =>
            flows.some(f => f.purpose === purpose && f.port === port && f.from.name === from && f.to.name === to);
        expect(seen('Galera replication', 4567, 'db1', 'db2')).toBe(true);
        expect(seen('Galera IST', 4568, 'db3', 'db1')).toBe(true);
        expect(seen('Galera SST (mysqldump)', 3306, 'db2', 'db3')).toBe(true); // mysqldump SST uses 3306, not 4444
        expect(flows.some(f => f.port === 4444)).toBe(false);
        expect(seen('RabbitMQ inter-node', 25672, 'mq1', 'mq3')).toBe(true);
        expect(seen('RabbitMQ epmd', 4369, 'mq2', 'mq1')).toBe(true);
        expect(seen('VRRP of vip v', 112, 'lb1', 'lb2')).toBe(true);
        expect(flows.find(f => f.port === 112)!.protocol).toBe('ip');
        expect(seen('barbican → database db', 3306, 'api', 'db2')).toBe(true);
        expect(seen('barbican → memcached mc', 11211, 'api', 'mc1')).toBe(true);
        expect(seen('barbican → rabbitmq mq', 5672, 'api', 'mq3')).toBe(true);
        expect(seen('barbican → hsm luna', 1792, 'api', 'luna2')).toBe(true);
        expect(flows.some(f => f.from === f.to)).toBe(false);
    });

    it('gives garbd group communication (4567) only: it keeps no state, so no IST or SST', async () => {
        const topology = buildModel([
            await check(`region a { host a1 10.1.0.1 host a2 10.1.0.2 } region b { host b1 10.2.0.1 } region c { host c1 10.3.0.1 }
galera db {
  members a1, b1
  garbd c1
  segments by region
  option evs.keepalive_period = PT3S
  option evs.inactive_timeout = PT1M
  option evs.install_timeout = PT1M
  option evs.suspect_timeout = PT30S
}
`)
        ]);
        const toArbitrator = deriveFlows(topology).filter(flow => flow.to.name === 'c1' || flow.from.name === 'c1');
        expect(new Set(toArbitrator.map(flow => flow.port))).toEqual(new Set([4567]));
        expect(
            deriveFlows(topology).some(flow => flow.port === 4568 && flow.from.name === 'a1' && flow.to.name === 'b1')
        ).toBe(true);
    });
});

describe('reachability', () => {
    const decide = async (extra: string, from: string, to: string, protocol: 'tcp' | 'udp' | 'ip', port: number) => {
        const topology = await model(extra);
        const host = (name: string) => topology.hosts.find(h => h.name === name)!;
        return new Reachability(topology).decide(host(from), host(to), protocol, port);
    };

    it('needs a link between regions; a link without rules carries everything', async () => {
        expect((await decide('link a <-> c { }', 'db1', 'db2', 'tcp', 4567)).reason).toBe(
            'no link joins regions a and b'
        );
        expect((await decide('link a <-> b { }', 'db1', 'db2', 'tcp', 4567)).allowed).toBe(true);
    });

    it('applies the first matching rule, ranges and directions included', async () => {
        const rules = 'link a -> b { deny tcp 4568; allow tcp 4560-4570; allow proto 112 }';
        expect((await decide(rules, 'db1', 'db2', 'tcp', 4567)).allowed).toBe(true);
        expect((await decide(rules, 'db1', 'db2', 'tcp', 4568)).allowed).toBe(false);
        expect((await decide(rules, 'db1', 'db2', 'udp', 4567)).allowed).toBe(false);
        expect((await decide(rules, 'db1', 'db2', 'ip', 112)).allowed).toBe(true);
        expect((await decide(rules, 'db2', 'db1', 'tcp', 4567)).allowed).toBe(false); // one-way link
    });

    it('honours `from` and firewalls in front of a zone', async () => {
        const firewall = 'link a <-> b { } firewall guard protects data { allow tcp 3306 from app; allow tcp 4567 }';
        expect((await decide(firewall, 'api', 'db1', 'tcp', 3306)).allowed).toBe(true);
        expect((await decide(firewall, 'db2', 'db1', 'tcp', 3306)).allowed).toBe(false);
        expect((await decide(firewall, 'db2', 'db1', 'tcp', 4567)).allowed).toBe(true);
        const blocked = await decide(firewall, 'lb1', 'mc1', 'tcp', 11211);
        expect(blocked.reason).toBe('firewall guard in front of zone data does not allow 11211/tcp');
        expect((await decide(firewall, 'db1', 'mc1', 'tcp', 11211)).allowed).toBe(true); // inside the zone
    });

    it('decides once per pair of named places, not per pair of hosts', async () => {
        const hosts = Array.from(
            { length: 200 },
            (_, i) => `host x${i} 10.9.${Math.floor(i / 200)}.${(i % 200) + 1}`
        ).join(' ');
        const topology = buildModel([
            await check(`region big { ${hosts} } region small { host y 10.8.0.1 } link big <-> small { allow tcp 1 }`)
        ]);
        const reachability = new Reachability(topology);
        const y = topology.hosts.find(h => h.name === 'y')!;
        for (const host of topology.hosts) reachability.decide(host, y, 'tcp', 1);
        expect((reachability as unknown as { memo: Map<string, unknown> }).memo.size).toBe(2); // big→small, small→small
    });
});

describe('links between zones of one region', () => {
    const ZONES = `
region r {
  zone app 10.1.0.0/24 { host api 10.1.0.9 }
  zone data 10.1.1.0/24 { host db1 10.1.1.1  host db2 10.1.1.2  host db3 10.1.1.3 }
  zone edge 10.1.2.0/24 { host lb 10.1.2.5 }
}
galera db { members db1, db2, db3 }
service keystone port 5000 { nodes api  database db }
`;
    const decide = async (extra: string, from: string, to: string, port: number) => {
        const topology = buildModel([await check(ZONES + extra)]);
        const host = (name: string) => topology.hosts.find(h => h.name === name)!;
        return new Reachability(topology).decide(host(from), host(to), 'tcp', port);
    };

    it('govern the flows between those zones', async () => {
        const link = 'link app-data: app -> data { allow tcp 5432 }';
        const verdict = await decide(link, 'api', 'db1', 3306);
        expect(verdict.allowed).toBe(false);
        expect(verdict.reason).toBe('link app-data (app -> data) does not allow 3306/tcp');
        expect((await decide('link app -> data { allow tcp 3306 }', 'api', 'db1', 3306)).allowed).toBe(true);
    });

    it('leave other flows inside the region free, and flows inside one zone', async () => {
        const link = 'link app -> data { allow tcp 3306 }';
        expect((await decide(link, 'lb', 'api', 5000)).allowed).toBe(true);
        expect((await decide(link, 'db1', 'db2', 4567)).allowed).toBe(true);
    });

    it('report a flow they block with port-unreachable', async () => {
        const document = await check(ZONES + 'link app-data: app -> data { allow tcp 5432 }');
        const blocked = withRule(document, 'port-unreachable');
        expect(blocked.map(d => d.message)).toEqual([
            'keystone → database db needs 3306/tcp (api → db1, api → db2, api → db3), but link app-data (app -> data) does not allow 3306/tcp'
        ]);
    });
});

describe('rule order in a firewall', () => {
    it('names the deny that shadows a later allow', async () => {
        const topology = buildModel([
            await check(`
region r { zone app 10.1.0.0/24 { host api 10.1.0.9 }  zone data 10.1.1.0/24 { host db1 10.1.1.1 } }
firewall guard protects data {
  deny all
  allow tcp 3306 from app
}
`)
        ]);
        const [api, db1] = ['api', 'db1'].map(name => topology.hosts.find(h => h.name === name)!);
        const verdict = new Reachability(topology).decide(api, db1, 'tcp', 3306);
        expect(verdict.allowed).toBe(false);
        expect(verdict.reason).toBe(
            "firewall guard in front of zone data drops 3306/tcp: 'deny all' (line 4) comes before 'allow tcp 3306 from app' (line 5), and the first match decides"
        );
        expect(verdict.shadowedBy?.action).toBe('deny');
    });

    it('says which deny rule drops a flow when no later rule allows it', async () => {
        const topology = buildModel([
            await check(`
region r { zone app 10.1.0.0/24 { host api 10.1.0.9 }  zone data 10.1.1.0/24 { host db1 10.1.1.1 } }
firewall guard protects data { allow tcp 22 from app; deny all }
`)
        ]);
        const [api, db1] = ['api', 'db1'].map(name => topology.hosts.find(h => h.name === name)!);
        expect(new Reachability(topology).decide(api, db1, 'tcp', 3306).reason).toBe(
            "firewall guard in front of zone data does not allow 3306/tcp (line 3: 'deny all')"
        );
    });
});
