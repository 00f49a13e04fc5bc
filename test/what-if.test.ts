// What-if: crash regions, hosts or links and see what breaks.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { whatIf } from '../language/analysis/what-if.js';
import { buildModel } from '../language/model/build-model.js';
import { check } from './helpers.js';

// 2 + 2 + garbd: the Galera documentation's answer to two sites [G-WQ].
const TWO_SITES_AND_ARBITER = `
region a { host a1 10.1.0.1  host a2 10.1.0.2  host a-api 10.1.0.9 }
region b { host b1 10.2.0.1  host b2 10.2.0.2  host b-api 10.2.0.9 }
region c { host arb 10.3.0.1 }
galera db { members a1, a2, b1, b2  garbd arb }
service keystone port 5000 { nodes a-api, b-api  database db }
link ab: a <-> b { allow tcp 3306, 4567, 4568, 4444 }
link ac: a <-> c { allow tcp 4567, 4568, 4444 }
link bc: b <-> c { allow tcp 4567, 4568, 4444 }
`;

async function model(text: string) {
    return buildModel([await check(text)]);
}

describe('what-if', () => {
    it('keeps Primary when one site is lost: 3 of 5 > 2.5', async () => {
        const result = whatIf(await model(TWO_SITES_AND_ARBITER), ['region:a']);
        expect(result.lostHosts).toEqual(['a-api', 'a1', 'a2']);
        expect(result.clusters[0]).toMatchObject({ name: 'db', survivingWeight: 3, totalWeight: 5, primary: true });
        expect(result.services).toEqual([{ name: 'keystone', id: 'service:keystone', up: true, reasons: [] }]);
    });

    it('loses Primary when a site and the arbiter are lost', async () => {
        const result = whatIf(await model(TWO_SITES_AND_ARBITER), ['region:a', 'host:arb']);
        expect(result.clusters[0]).toMatchObject({ survivingWeight: 2, primary: false });
        expect(result.services[0]).toMatchObject({
            name: 'keystone',
            up: false,
            reasons: ['galera db is non-primary']
        });
    });

    it('sees the partition a lost link makes, and the flows it cuts', async () => {
        const result = whatIf(await model(TWO_SITES_AND_ARBITER), ['link:ab']);
        // a and b no longer reach each other, but both reach the arbiter, through which Galera's
        // group communication relays: one component of weight 5 stays Primary.
        expect(result.clusters[0].primary).toBe(true);
        expect(result.flowsCut.map(flow => `${flow.purpose} ${flow.port}`)).toContain('Galera IST 4568/tcp');
        expect(result.flowsCut.every(flow => flow.reason === 'link ab (a <-> b) failed')).toBe(true);
        expect(result.lost).toEqual(['link:ab']);
    });

    it('splits a 2 + 2 cluster when the only link between its sites fails, with no host lost', async () => {
        const topology = await model(`
region r1 { host a1 10.1.0.1  host a2 10.1.0.2 }
region r2 { host b1 10.2.0.1  host b2 10.2.0.2 }
galera db { members a1, a2, b1, b2 }
link r1-r2: r1 <-> r2 { allow tcp 3306, 4567, 4568, 4444 }
`);
        const result = whatIf(topology, ['link:r1-r2']);
        expect(result.lostHosts).toEqual([]);
        expect(result.clusters[0]).toMatchObject({ survivingWeight: 2, totalWeight: 4, primary: false });
        expect(result.clusters[0].partitions).toEqual([
            { members: ['a1', 'a2'], weight: 2, primary: false },
            { members: ['b1', 'b2'], weight: 2, primary: false }
        ]);
        expect(result.clusters[0].detail).toContain('split into partitions of weight 2 (a1, a2) + 2 (b1, b2)');
    });

    it('never calls a cluster Primary when every link of its three regions failed', async () => {
        const topology = await model(`
region r1 { host a 10.1.0.1 }
region r2 { host b 10.2.0.1 }
region r3 { host c 10.3.0.1 }
galera db { members a, b, c }
link l12: r1 <-> r2 { }
link l13: r1 <-> r3 { }
link l23: r2 <-> r3 { }
`);
        const result = whatIf(topology, ['link:l12', 'link:l13', 'link:l23']);
        expect(result.clusters[0]).toMatchObject({ survivingWeight: 1, totalWeight: 3, primary: false });
        expect(result.clusters[0].partitions).toHaveLength(3);
        // The flows it lists as cut are the ones that made the cluster: no contradiction.
        expect(result.flowsCut.length).toBeGreaterThan(0);
    });

    it('takes a service down when its API nodes no longer reach the Primary side', async () => {
        const topology = await model(`
region r1 { host a1 10.1.0.1  host a2 10.1.0.2  host api 10.1.0.9 }
region r2 { host b1 10.2.0.1 }
galera db { members a1, a2, b1 }
service keystone port 5000 { nodes api  database db }
link r1 <-> r2 { }
`);
        const result = whatIf(topology, ['host:a1']);
        // a2 + b1 = 2 of 3 stay Primary, and api still reaches a2.
        expect(result.services[0].up).toBe(true);
        const cut = whatIf(topology, ['host:a1', 'host:a2']);
        expect(cut.clusters[0].primary).toBe(false);
        expect(cut.services[0].reasons).toEqual(['galera db is non-primary']);
    });

    it('serves a VIP only from holders that run its haproxy', async () => {
        const topology = await model(`
region r { host lb1 10.1.0.1  host lb2 10.1.0.2  host api1 10.1.0.11  host api2 10.1.0.12 }
vip v 10.1.0.100 vrid 9 { master lb1 priority 150; backup lb2 priority 100 }
haproxy lb { nodes lb1  frontend api bind v port 5000 backend api; backend api { server api1 port 5000; server api2 port 5000 } }
service keystone port 5000 { nodes api1, api2  frontend v }
`);
        const result = whatIf(topology, ['host:lb1']);
        expect(result.services[0]).toMatchObject({ up: false, reasons: ['no surviving load balancer serves v'] });
    });

    it('rejects names that are not in the model', async () => {
        const topology = await model(TWO_SITES_AND_ARBITER);
        expect(() => whatIf(topology, ['region:nowhere'])).toThrow("no region 'nowhere'");
        expect(() => whatIf(topology, ['rack:1'])).toThrow('is not region:NAME, host:NAME or link:NAME');
    });
});

describe('hatopo check --fail', () => {
    const folder = mkdtempSync(path.join(tmpdir(), 'hatopo-whatif-'));
    afterAll(() => rmSync(folder, { recursive: true, force: true }));
    const file = path.join(folder, 'two-sites.hatopo');
    writeFileSync(file, TWO_SITES_AND_ARBITER);
    const run = (...args: string[]) =>
        spawnSync(process.execPath, [path.resolve(import.meta.dirname, '../bin/hatopo.cjs'), 'check', file, ...args], {
            encoding: 'utf8'
        });

    it('prints what a failure breaks', () => {
        const result = run('--fail', 'region:a', '--fail', 'host:arb');
        expect(result.stdout).toContain('what if region:a and host:arb');
        expect(result.stdout).toContain('DOWN galera db: weight 2 of 5, is not more than 2.5: non-primary');
        expect(result.stdout).toContain('DOWN service keystone: galera db is non-primary');
    });

    it('gives JSON with problems and the what-if', () => {
        const parsed = JSON.parse(run('--fail', 'region:b', '--format', 'json').stdout);
        expect(parsed.problems).toBeInstanceOf(Array);
        expect(parsed.whatIf[0].result.clusters[0]).toMatchObject({ name: 'db', survivingWeight: 3, primary: true });
    });

    it('exits 2 with one line for an unknown element or a malformed failure', () => {
        const unknown = run('--fail', 'region:zz');
        expect(unknown.status).toBe(2);
        expect(unknown.stderr.trim().split('\n')).toEqual([expect.stringContaining("no region 'zz'")]);
        expect(run('--fail', 'zz').status).toBe(2);
    });
});
