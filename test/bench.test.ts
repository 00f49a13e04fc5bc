// A small run of the benchmark (bench/run.ts is the real one): fails only when a ratio is worse
// than twice its budget, so a quadratic regression cannot land silently while ordinary noise on a
// shared machine does not fail the suite. Also guards the generator: its output must check clean
// of syntax, reference and duplicate findings, in one file and split by region.

import { describe, expect, it } from 'vitest';
import { generate, regionCount } from '../bench/generate.js';
import { brokenFindings, median, sample, timeBuild } from '../bench/measure.js';

const SEED = 7;
/** Twice the budgets of issue 7: full check ≤ 1.5 × Langium build, per-host growth ≤ 1.5×. */
const MAX_CHECK_OVER_BUILD = 3.0;
const MAX_PER_HOST_GROWTH = 3.0;

describe('bench generator', () => {
    it('is deterministic and has the requested number of hosts', () => {
        const a = generate({ hosts: 600, seed: SEED });
        expect(generate({ hosts: 600, seed: SEED })).toEqual(a);
        expect(generate({ hosts: 600, seed: SEED + 1 })).not.toEqual(a);
        expect(a[0].text.match(/^\s*host /gm)).toHaveLength(600);
        expect(regionCount(600)).toBe(3);
        expect(regionCount(5000)).toBe(20);
    });

    it('writes topologies that check clean of syntax, reference and duplicate findings', async () => {
        for (const seed of [SEED, 1, 2, 3]) {
            const single = await timeBuild(generate({ hosts: 1000, seed }), true);
            expect(brokenFindings(single.documents)).toEqual([]);
        }
        const split = generate({ hosts: 1000, seed: SEED, splitFiles: true });
        expect(split.map(file => file.name)).toContain('region-r04.hatopo');
        const built = await timeBuild(split, true);
        expect(brokenFindings(built.documents)).toEqual([]);
        // Split or not, it is the same topology, and the rules find the same in it.
        const whole = await timeBuild(generate({ hosts: 1000, seed: SEED }), true);
        const codes = (documents: typeof whole.documents) =>
            documents.flatMap(d => (d.diagnostics ?? []).map(x => String(x.code))).sort();
        expect(codes(built.documents)).toEqual(codes(whole.documents));
        const hostsOf = (files: Array<{ text: string }>) =>
            files.map(file => file.text.match(/^\s*host /gm)?.length ?? 0).reduce((a, b) => a + b, 0);
        expect(hostsOf(split)).toBe(1000);
    });
});

describe('bench guard (small sizes, in process)', () => {
    it('keeps full check ÷ Langium build and per-host growth within twice their budgets', async () => {
        const measured = new Map<number, { build: number; check: number }>();
        for (const hosts of [200, 1000]) {
            const files = generate({ hosts, seed: SEED });
            const build = median(await sample(3, 1, async () => (await timeBuild(files, false)).ms));
            const check = median(await sample(3, 1, async () => (await timeBuild(files, true)).ms));
            measured.set(hosts, { build, check });
        }
        const small = measured.get(200)!,
            large = measured.get(1000)!;
        const ratio = large.check / large.build;
        const growth = large.check / 1000 / (small.check / 200);
        const summary =
            `build ${large.build.toFixed(0)} ms, check ${large.check.toFixed(0)} ms at 1,000 hosts; ` +
            `check ${small.check.toFixed(0)} ms at 200; ratio ${ratio.toFixed(2)}, per-host growth ${growth.toFixed(2)}`;
        expect(ratio, summary).toBeLessThanOrEqual(MAX_CHECK_OVER_BUILD);
        expect(growth, summary).toBeLessThanOrEqual(MAX_PER_HOST_GROWTH);
    });
});
