// The arithmetic under the rules: weighted quorum (DOMAIN.md §1) and availability (§8).

import { describe, expect, it } from 'vitest';
import { downtimePerYear, parallel, quorumAvailability, series } from '../language/analysis/availability.js';
import { isPrimary } from '../language/analysis/quorum.js';

describe('weighted quorum', () => {
    it('needs strictly more than half: exactly half is non-primary', () => {
        expect(isPrimary(4, 2)).toBe(false);
        expect(isPrimary(4, 3)).toBe(true);
        expect(isPrimary(2, 1)).toBe(false); // a 2-node cluster never fails over
    });

    it('counts garbd as a voter: 2 + 2 + garbd survives losing either site', () => {
        expect(isPrimary(5, 3)).toBe(true);
        expect(isPrimary(5, 2)).toBe(false); // 3 + 2 losing the 3-node site
    });

    it('shrinks the reference only for members that left gracefully', () => {
        // 3 nodes; one leaves gracefully (reference 2), then one crashes: 1 of 2 is not > 1.
        expect(isPrimary(3, 1, 1)).toBe(false);
        // 5 nodes; two leave gracefully (reference 3), then one crashes: 2 > 1.5.
        expect(isPrimary(5, 2, 2)).toBe(true);
        // The same losses by crash: 2 of 5 is not > 2.5.
        expect(isPrimary(5, 2)).toBe(false);
    });
});

describe('availability', () => {
    const a = 0.999;
    it('composes series and parallel', () => {
        expect(series([a, a, a])).toBeCloseTo(0.997002999, 12);
        expect(parallel([a, a])).toBeCloseTo(0.999999, 9);
        expect(parallel([])).toBe(0);
    });

    it('gives k-of-n for equal weights: 2-of-3 and 3-of-5', () => {
        const unit = { weight: 1, availability: a };
        expect(quorumAvailability([unit, unit, unit])).toBeCloseTo(0.999997002, 9);
        expect(quorumAvailability([unit, unit, unit, unit, unit])).toBeCloseTo(0.99999999, 8);
    });

    it('enumerates weighted clusters: 2 + 1 + 1 survives while the heavy node lives with one other', () => {
        const heavy = { weight: 2, availability: 0.9 };
        const light = { weight: 1, availability: 0.8 };
        // W = 4, needs > 2: heavy + at least one light, or … the two lights alone have 2 (not > 2).
        const expected = 0.9 * (1 - 0.2 * 0.2);
        expect(quorumAvailability([heavy, light, light])).toBeCloseTo(expected, 12);
    });

    it('turns availability into yearly downtime', () => {
        expect(downtimePerYear(0.9995)).toBe('4 h 22.8 min');
        expect(downtimePerYear(0.99999)).toBe('5.3 min');
    });
});
