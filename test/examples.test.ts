// The example topologies under examples/: each parses cleanly and shows what its story worries about.

import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Diagnostic } from 'vscode-languageserver-types';
import { formatPercent, topologyAvailability } from '../language/analysis/availability.js';
import { whatIf } from '../language/analysis/what-if.js';
import { buildModel } from '../language/model/build-model.js';
import { check, rules, withRule } from './helpers.js';

const EXAMPLES = path.resolve(import.meta.dirname, '../examples');
const FILES = readdirSync(EXAMPLES)
    .filter(name => name.endsWith('.hatopo'))
    .sort();

let documents = 0;

/** check() reuses one URI for a given name, so every call here gets a name of its own. */
function parse(text: string, name: string) {
    return check(text, `${++documents}-${name}`);
}

function source(name: string): string {
    return readFileSync(path.join(EXAMPLES, name), 'utf8');
}

async function model(text: string, name: string) {
    return buildModel([await parse(text, name)]);
}

/** A diagnostic's message as plain text. */
function message(diagnostic: Diagnostic): string {
    return typeof diagnostic.message === 'string' ? diagnostic.message : diagnostic.message.value;
}

/** Replaces `from` with `to`, failing loudly when the example no longer contains `from`. */
function substitute(text: string, from: string | RegExp, to: string): string {
    const changed = text.replace(from, to);
    expect(changed, `substitution of ${String(from)} changed nothing`).not.toBe(text);
    return changed;
}

const STRUCTURAL = [
    'syntax-error',
    'unresolved-reference',
    'duplicate-name',
    'duplicate-address',
    'address-outside-subnet'
];

describe('every example', () => {
    it('has the five stories', () => {
        expect(FILES).toEqual(
            expect.arrayContaining([
                'barbican-rackspace.hatopo',
                'keystone-catalyst.hatopo',
                'keystone-platform9.hatopo',
                'kolla-ha.hatopo',
                'openstack-ha-plumgrid.hatopo'
            ])
        );
    });

    it.each(FILES)('%s parses, links and has consistent names and addresses', async name => {
        const document = await parse(source(name), name);
        const structural = (document.diagnostics ?? []).filter(diagnostic =>
            STRUCTURAL.includes(String(diagnostic.code))
        );
        expect(structural.map(diagnostic => `${diagnostic.code}: ${message(diagnostic)}`)).toEqual([]);
    });
});

describe('keystone-platform9: PKIZ tokens carrying a 10-region catalog', () => {
    const name = 'keystone-platform9.hatopo';

    it('overflows header limits, one of them at its default', async () => {
        const budget = withRule(await parse(source(name), name), 'header-budget');
        const errors = budget.filter(diagnostic => diagnostic.severity === 1);
        expect(errors.length).toBeGreaterThan(0);
        const atDefault = errors.filter(diagnostic => message(diagnostic).includes('at its default'));
        expect(atDefault.length).toBeGreaterThan(0);
        for (const diagnostic of atDefault) {
            // "…: the pkiz token … is T B, its header H B; hop N KIND allows L B per header line (SETTING at its default): over by D B"
            const match = /its header (\d+) B.*; hop \d+ (\w+) allows (\d+) B .*over by (\d+) B/.exec(
                message(diagnostic)
            );
            expect(match, message(diagnostic)).not.toBeNull();
            const [, header, hop, limit, over] = match!;
            expect(message(diagnostic)).toContain('pkiz');
            expect(Number(header)).toBeGreaterThan(Number(limit));
            expect(Number(over)).toBe(Number(header) - Number(limit));
            // The default hop here is Apache in front of Keystone: LimitRequestFieldSize 8190.
            expect(hop).toBe('apache');
            expect(Number(limit)).toBe(8190);
            expect(message(diagnostic)).toContain('LimitRequestFieldSize');
        }
        // Every regional Keystone sits behind Apache at its default.
        expect(atDefault.length).toBe(10);
    });

    it('has no header-budget finding once the tokens are fernet', async () => {
        const fernet = source(name).replaceAll('pkiz', 'fernet');
        expect(fernet).not.toContain('pkiz');
        const document = await parse(fernet, 'keystone-platform9-fernet.hatopo');
        expect(rules(document)).not.toContain('header-budget');
        expect(rules(document).filter(rule => STRUCTURAL.includes(rule))).toEqual([]);
    });
});

describe('keystone-catalyst: one Galera cluster across three regions', () => {
    const name = 'keystone-catalyst.hatopo';

    it('survives the loss of any one region', async () => {
        const text = source(name);
        expect(rules(await parse(text, name))).not.toContain('galera-region-loss');
        const topology = await model(text, name);
        const cluster = topology.galeras.find(galera => galera.name === 'keystone-db')!;
        const regions = [...new Set(cluster.members.map(member => member.host.region.name))].sort();
        expect(regions).toHaveLength(3);
        for (const region of regions) {
            const result = whatIf(topology, [`region:${region}`]);
            const outcome = result.clusters.find(c => c.kind === 'galera' && c.name === 'keystone-db');
            expect(outcome, region).toMatchObject({ primary: true, survivingWeight: 6, totalWeight: 9 });
        }
    });

    it('goes non-primary with one region holding the majority', async () => {
        const skewed = substitute(
            source(name),
            /members wlg-db1, wlg-db2, wlg-db3, hlz-db1, hlz-db2, hlz-db3, por-db1, por-db2, por-db3/,
            'members wlg-db1, wlg-db2, wlg-db3, hlz-db1, por-db1'
        );
        const loss = withRule(await parse(skewed, 'keystone-catalyst-skewed.hatopo'), 'galera-region-loss');
        expect(loss.length).toBeGreaterThan(0);
        expect(loss.every(diagnostic => message(diagnostic).includes('non-primary'))).toBe(true);
        expect(loss.map(diagnostic => message(diagnostic)).join('\n')).toContain(
            'losing region wlg leaves weight 2 of 5'
        );
    });
});

describe('galera-multi-writer', () => {
    it('fires on barbican-rackspace, naming the three DB hosts', async () => {
        const name = 'barbican-rackspace.hatopo';
        const multi = withRule(await parse(source(name), name), 'galera-multi-writer');
        expect(multi).toHaveLength(1);
        for (const host of ['db1', 'db2', 'db3']) expect(message(multi[0])).toContain(host);
    });

    it.each(['kolla-ha.hatopo', 'openstack-ha-plumgrid.hatopo'])('does not fire on %s', async name => {
        expect(rules(await parse(source(name), name))).not.toContain('galera-multi-writer');
    });
});

describe('barbican-rackspace: the 99.95 % availability target', () => {
    const name = 'barbican-rackspace.hatopo';

    it('compares the target with the computed availability', async () => {
        const text = source(name);
        const document = await parse(text, name);
        const topology = buildModel([document]);
        const target = topology.targets.availability;
        const computed = topologyAvailability(topology);
        expect(target).toBeCloseTo(0.9995, 10);
        for (const value of [target!, computed]) {
            expect(value).toBeGreaterThan(0.99);
            expect(value).toBeLessThan(1);
        }
        expect(rules(document).includes('availability-target')).toBe(computed < target!);
    });

    async function strict() {
        const text = substitute(source(name), 'target availability 99.95%', 'target availability 99.99999%');
        const document = await parse(text, 'barbican-rackspace-strict.hatopo');
        const topology = buildModel([document]);
        return { document, topology, computed: topologyAvailability(topology) };
    }

    it('reports a target that the topology cannot reach, with both figures', async () => {
        const { document, topology, computed } = await strict();
        const target = topology.targets.availability!;
        expect(target).toBeCloseTo(0.9999999, 12);
        expect(computed).toBeLessThan(target);
        const found = withRule(document, 'availability-target');
        expect(found).toHaveLength(1);
        expect(message(found[0])).toContain(`computed availability ${formatPercent(computed)}`);
        expect(message(found[0])).toContain(`below the target ${formatPercent(target)}`);
    });

    // KNOWN DEFECT: formatPercent keeps 4 decimals, so a 99.99999 % target is printed as "100 %".
    // When it is fixed this test fails: turn it into a plain `it`.
    it('prints the 99.99999 % target as written, not rounded to 100 %', async () => {
        const { document } = await strict();
        expect(message(withRule(document, 'availability-target')[0])).toContain('below the target 99.99999 %');
    });
});
