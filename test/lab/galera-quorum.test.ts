// Galera region loss, proven by the real mariadbd and garbd in the lab: each topology boots once and
// the region failures are injected one after another (healed between), so one boot serves every
// region. The clusters boot in parallel.

import { beforeAll, describe, expect, it } from 'vitest';
import { expectAllAgree, failures, lab, requireLab, result } from './lab-helpers.js';
import { galeraRegions, ONE_PER_REGION, TWO_PLUS_TWO } from './topologies.js';

const TWO_PLUS_TWO_GARBD = `topology two-two-garbd "2 + 2 and a garbd in a third region"\n${galeraRegions({ r1: ['a1', 'a2'], r2: ['b1', 'b2'], r3: ['arb'] })}
galera db {
  members a1, a2, b1, b2
  garbd arb
  sst rsync
}
`;

const WEIGHTED = `topology weighted "a weight 3 member in r1, weight 1 in r2 and r3"\n${galeraRegions({ r1: ['a1'], r2: ['b1'], r3: ['c1'] })}
galera db {
  members a1 weight 3, b1, c1
  sst rsync
}
`;

beforeAll(() => requireLab());

describe.concurrent('Galera region loss in the lab', () => {
    it('one member per region ×3 survives the loss of any region, and the cut-off member is non-primary', async () => {
        const report = await lab(ONE_PER_REGION, [failures('region:r1'), failures('region:r2'), failures('region:r3')]);
        expectAllAgree(report);
        const survivors = report.results.filter(r => r.subject === 'galera:db' && r.claim.includes('surviving'));
        expect(survivors).toHaveLength(3);
        for (const survivor of survivors)
            expect(survivor.observed).toMatch(/Primary \(size 2, weight 2\).*Primary \(size 2, weight 2\)/);
        expect(result(report, 'galera:db', 'inside region r3').observed).toMatch(/c1 non-Primary/);
    }, 240_000);

    it('2 + 2 loses Primary on both sides when a region goes', async () => {
        const report = await lab(TWO_PLUS_TWO, [failures('region:r1')]);
        expectAllAgree(report);
        const survivors = result(report, 'galera:db', 'surviving');
        expect(survivors.predicted).toMatch(/^non-primary/);
        expect(survivors.observed).toMatch(/b1 non-Primary.*b2 non-Primary/);
        expect(result(report, 'galera:db', 'inside region r1').observed).toMatch(/a1 non-Primary.*a2 non-Primary/);
    }, 240_000);

    it('2 + 2 + garbd in a third region survives the loss of either data region', async () => {
        const report = await lab(TWO_PLUS_TWO_GARBD, [failures('region:r1'), failures('region:r2')]);
        expectAllAgree(report);
        const [first, second] = report.results.filter(r => r.subject === 'galera:db' && r.claim.includes('surviving'));
        expect(first.predicted).toBe('Primary, weight 3 of 5');
        expect(first.observed).toMatch(/b1 Primary \(size 3, weight 3\); b2 Primary/);
        expect(second.observed).toMatch(/a1 Primary \(size 3, weight 3\); a2 Primary/);
    }, 240_000);

    it('weights decide: losing the weight-3 region leaves 2 of 5 (non-primary), losing a weight-1 region leaves 4 of 5', async () => {
        const report = await lab(WEIGHTED, [failures('region:r1'), failures('region:r2')]);
        expectAllAgree(report);
        const [lostHeavy, lostLight] = report.results.filter(
            r => r.subject === 'galera:db' && r.claim.includes('surviving')
        );
        expect(lostHeavy.predicted).toMatch(/^non-primary/);
        expect(lostHeavy.observed).toMatch(/b1 non-Primary.*c1 non-Primary/);
        expect(lostLight.predicted).toBe('Primary, weight 4 of 5');
        expect(lostLight.observed).toMatch(/a1 Primary \(size 2, weight 4\)/);
        // From inside, the weight-3 member alone keeps 3 of 5: Primary.
        expect(result(report, 'galera:db', 'inside region r1').observed).toMatch(/a1 Primary \(size 1, weight 3\)/);
    }, 240_000);
});
