// Every rule of the catalogue has a pair of fixtures in test/fixtures/rules/: `<id>.hatopo`, a small
// topology where the rule fires, and `<id>.fixed.hatopo`, the same topology repaired. The loop runs
// over RULES itself, so a rule added to the catalogue without fixtures fails here.

import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { isRuleId, RULES } from '../language/analysis/rules.js';
import { check, rules, withRule } from './helpers.js';

const FIXTURES = fileURLToPath(new URL('./fixtures/rules/', import.meta.url));

/** Rules whose messages quote text rather than figures (a parser error, a name, a setting). */
const NO_NUMBERS_NEEDED = new Set([
    'syntax-error',
    'unresolved-reference',
    'duplicate-setting',
    'galera-unsafe-option'
]); // the last quotes a boolean setting

/**
 * A figure in the message: a digit that is not part of a name such as `wlg-db1`, so `3306/tcp`,
 * `weight 2 of 5` and `10.1.0.5` count but a host name alone does not.
 */
const FIGURE = /(?<![\w-])\d/;

/** The rule ids of the table in LANGUAGE.md ("Rules (stable ids …)"), as written there. */
const LANGUAGE_MD_RULES = [
    'galera-min-members',
    'galera-even-weight',
    'galera-region-loss',
    'galera-region-spof',
    'galera-arbitrator',
    'galera-unsafe-option',
    'galera-wan-settings',
    'galera-dirty-reads',
    'galera-multi-writer',
    'rabbitmq-min-members',
    'vrrp-vrid-conflict',
    'vrrp-priority',
    'vrrp-cross-region',
    'hsm-pair',
    'port-unreachable',
    'port-exposed',
    'port-conflict',
    'header-budget',
    'header-catalog',
    'fernet-keys',
    'availability-target',
    'spof',
    'capacity-target',
    'duplicate-name',
    'duplicate-address',
    'address-outside-subnet',
    'unresolved-reference'
];

function fixture(name: string): string {
    const file = `${FIXTURES}${name}`;
    expect(existsSync(file), `missing fixture test/fixtures/rules/${name}`).toBe(true);
    return readFileSync(file, 'utf8');
}

/** A check that throws: no input is meant to cause it, so it has no fixture (test/review-fixes covers it). */
const NO_FIXTURE = new Set(['internal-error']);

describe('rule fixtures', () => {
    for (const id of [...RULES.keys()].filter(id => !NO_FIXTURE.has(id))) {
        it(`${id}: fires on ${id}.hatopo and not on ${id}.fixed.hatopo`, async () => {
            const fires = fixture(`${id}.hatopo`);
            const fixed = fixture(`${id}.fixed.hatopo`);
            for (const text of [fires, fixed])
                expect(text.startsWith('//'), 'a fixture starts with a one-line // comment').toBe(true);

            const before = await check(fires, `${id}.hatopo`);
            const found = withRule(before, id);
            expect(
                found.length,
                `${id} should fire on ${id}.hatopo; it reported ${JSON.stringify(rules(before))}`
            ).toBeGreaterThan(0);
            if (!NO_NUMBERS_NEEDED.has(id)) {
                expect(
                    found.some(diagnostic => FIGURE.test(String(diagnostic.message))),
                    `a ${id} message should name its numbers: ${found.map(d => d.message).join(' | ')}`
                ).toBe(true);
            }

            const after = await check(fixed, `${id}.fixed.hatopo`);
            expect(
                withRule(after, id).map(d => d.message),
                `${id} should not fire on ${id}.fixed.hatopo`
            ).toEqual([]);
        });
    }
});

describe('rule catalogue', () => {
    it('holds every rule id of the LANGUAGE.md rule table', () => {
        expect(LANGUAGE_MD_RULES.filter(id => !isRuleId(id))).toEqual([]);
    });

    it('has a section in docs/rules.md for every rule', () => {
        const docs = readFileSync(fileURLToPath(new URL('../docs/rules.md', import.meta.url)), 'utf8');
        expect([...RULES.keys()].filter(id => !docs.includes(`\n## ${id}\n`))).toEqual([]);
    });
});
