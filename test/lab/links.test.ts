// Links in the lab: the router's forward chain is built from the modelled links, so a link that is
// cut, or that lacks a port, really blocks it. A partition with no host lost, and IST blocked on a
// link: the member behind it cannot join, and the flow port-unreachable names times out.

import { beforeAll, describe, expect, it } from 'vitest';
import { expectAllAgree, failures, lab, requireLab, result } from './lab-helpers.js';
import { galeraRegions, istLink, TWO_PLUS_TWO } from './topologies.js';

const TWO_TWO_ONE = `topology two-two-one "2 + 2 + 1 over three links"
${galeraRegions({ r1: ['a1', 'a2'], r2: ['b1', 'b2'], r3: ['c1'] })}
galera db {
  members a1, a2, b1, b2, c1
  sst rsync
}
`;

beforeAll(() => requireLab());

describe.concurrent('links in the lab', () => {
    it('cutting both links of r3 (no host lost) leaves r1 + r2 Primary with weight 4 of 5, and the cut flows blocked', async () => {
        const report = await lab(TWO_TWO_ONE, [failures('link:r1-r3', 'link:r2-r3')]);
        expectAllAgree(report);
        const survivors = result(report, 'galera:db', 'surviving');
        expect(survivors.predicted).toMatch(/^Primary, weight 4 of 5/);
        expect(survivors.observed).toMatch(/a1 Primary \(size 4, weight 4\).*c1 non-Primary/);
        const cut = report.results.find(
            r => r.subject === 'flow Galera replication 4567/tcp' && r.predicted.startsWith('blocked')
        );
        expect(cut?.predicted).toMatch(/cut by the failure/);
        expect(cut?.observed).toMatch(/^0 of 4 connect/);
    }, 240_000);

    it('a link that lacks 4568: the member behind it cannot join, and the blocked IST flow times out', async () => {
        const report = await lab(istLink('3306, 4444, 4567'), [[]]);
        expectAllAgree(report);
        const join = result(report, 'galera:db', 'db3 joins');
        expect(join.predicted).toMatch(
            /^fails: Galera IST needs 4568\/tcp .*port-unreachable: link r1 <-> r2 does not allow 4568\/tcp/
        );
        expect(join.observed).not.toBe('Synced');
        const blocked = report.results.find(
            r => r.subject === 'flow Galera IST 4568/tcp' && r.predicted.startsWith('blocked')
        );
        expect(blocked?.observed).toBe('0 of 4 connect');
        expect(result(report, 'galera:db', 'db2 joins').observed).toBe('Synced');
    }, 240_000);

    it('the same link carrying 4568: every member joins, IST connects both ways', async () => {
        const report = await lab(istLink('3306, 4444, 4567, 4568'), [[]]);
        expectAllAgree(report);
        expect(result(report, 'galera:db', 'db3 joins').observed).toBe('Synced');
        expect(result(report, 'galera:db', 'surviving').observed).toMatch(/db3 Primary \(size 3, weight 3\)/);
    }, 240_000);

    it('a 2 + 2 split by its only link is non-primary on both sides', async () => {
        const report = await lab(TWO_PLUS_TWO, [failures('link:r1-r2')]);
        expect(result(report, 'galera:db', 'surviving').observed).toMatch(
            /non-Primary.*non-Primary.*non-Primary.*non-Primary/
        );
        expectAllAgree(report);
    }, 240_000);
});
