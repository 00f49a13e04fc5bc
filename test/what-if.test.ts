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
        expect(result.services).toEqual([{ name: 'keystone', up: true, reasons: [] }]);
    });

    it('loses Primary when a site and the arbiter are lost', async () => {
        const result = whatIf(await model(TWO_SITES_AND_ARBITER), ['region:a', 'host:arb']);
        expect(result.clusters[0]).toMatchObject({ survivingWeight: 2, primary: false });
        expect(result.services[0]).toEqual({ name: 'keystone', up: false, reasons: ['galera db is non-primary'] });
    });

    it('sees the partition a lost link makes, and the flows it cuts', async () => {
        const result = whatIf(await model(TWO_SITES_AND_ARBITER), ['link:ab']);
        // a and b no longer reach each other, but both reach the arbiter, through which Galera's
        // group communication relays: one component of weight 5 stays Primary.
        expect(result.clusters[0].primary).toBe(true);
        expect(result.flowsCut.map(flow => `${flow.purpose} ${flow.port}`)).toContain('Galera IST 4568/tcp');
        expect(result.flowsCut.every(flow => flow.reason === 'no link joins regions a and b')).toBe(true);
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
