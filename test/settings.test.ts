// Rule settings: severities from the nearest hatopo.json (CLI and server alike) and
// `// hatopo-ignore RULE` comments.

import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseSettings, suppressions } from '../language/analysis/settings.js';
import { check, rules } from './helpers.js';

const EVEN = `region r { host a 10.0.0.1  host b 10.0.0.2  host c 10.0.0.3  host d 10.0.0.4 }
galera db { members a, b, c, d }
`;

describe('hatopo-ignore comments', () => {
    it('silence one rule on the next line, or on their own line', async () => {
        expect(rules(await check(EVEN))).toContain('galera-even-weight');
        const above = EVEN.replace('galera db', '// hatopo-ignore galera-even-weight\ngalera db');
        expect(rules(await check(above))).not.toContain('galera-even-weight');
        const trailing = EVEN.replace(
            'galera db { members a, b, c, d }',
            'galera db { members a, b, c, d } // hatopo-ignore galera-even-weight, spof'
        );
        expect(rules(await check(trailing))).not.toContain('galera-even-weight');
    });

    it('silence only the rules they name', async () => {
        const other = EVEN.replace('galera db', '// hatopo-ignore galera-min-members\ngalera db');
        expect(rules(await check(other))).toContain('galera-even-weight');
        expect([...suppressions('x // hatopo-ignore a, b\n// hatopo-ignore c\ny').entries()]).toEqual([
            [0, new Set(['a', 'b'])],
            [2, new Set(['c'])]
        ]);
    });
});

describe('hatopo.json', () => {
    it('parses severities and rejects unknown rules and values', () => {
        expect(
            parseSettings('{"rules": {"spof": "off", "galera-even-weight": "error"}}').rules.get('galera-even-weight')
        ).toBe('error');
        expect(() => parseSettings('{"rules": {"no-such-rule": "off"}}')).toThrow("unknown rule 'no-such-rule'");
        expect(() => parseSettings('{"rules": {"spof": "loud"}}')).toThrow('is not error, warning, info or off');
        expect(() => parseSettings('{')).toThrow('not valid JSON');
    });

    const folder = mkdtempSync(path.join(tmpdir(), 'hatopo-settings-'));
    afterAll(() => rmSync(folder, { recursive: true, force: true }));
    const run = (file: string) =>
        spawnSync(
            process.execPath,
            [path.resolve(import.meta.dirname, '../bin/hatopo.cjs'), 'check', file, '--format', 'json'],
            { encoding: 'utf8' }
        );

    it('changes severities for the CLI from the nearest hatopo.json above the file', () => {
        mkdirSync(path.join(folder, 'site/region'), { recursive: true });
        const file = path.join(folder, 'site/region/even.hatopo');
        writeFileSync(file, EVEN);
        expect(run(file).status).toBe(0); // galera-even-weight is a warning by default
        writeFileSync(
            path.join(folder, 'site/hatopo.json'),
            JSON.stringify({ rules: { 'galera-even-weight': 'error' } })
        );
        const raised = run(file);
        expect(raised.status).toBe(1);
        expect(JSON.parse(raised.stdout)).toContainEqual(
            expect.objectContaining({ rule: 'galera-even-weight', severity: 'error' })
        );
        writeFileSync(
            path.join(folder, 'site/hatopo.json'),
            JSON.stringify({ rules: { 'galera-even-weight': 'off' } })
        );
        expect(JSON.parse(run(file).stdout).map((p: { rule: string }) => p.rule)).not.toContain('galera-even-weight');
    });

    it('keeps rules turned off out of the diagram too', () => {
        const site = path.join(folder, 'drawn');
        mkdirSync(site, { recursive: true });
        const file = path.join(site, 'outside.hatopo');
        writeFileSync(file, 'region r 10.0.0.0/24 {\n  host a 10.9.0.1\n}\n');
        const render = () => {
            const out = path.join(site, 'out.svg');
            const result = spawnSync(
                process.execPath,
                [path.resolve(import.meta.dirname, '../bin/hatopo.cjs'), 'render', file, '--out', out],
                { encoding: 'utf8' }
            );
            expect(result.status, result.stderr).toBe(0);
            return readFileSync(out, 'utf8');
        };
        expect(render()).toContain('class="badge badge-error"');
        writeFileSync(path.join(site, 'hatopo.json'), JSON.stringify({ rules: { 'address-outside-subnet': 'off' } }));
        expect(render()).not.toContain('class="badge badge-error"');
    });

    it('reports a broken hatopo.json at the file it governs', () => {
        const file = path.join(folder, 'broken/x.hatopo');
        mkdirSync(path.dirname(file), { recursive: true });
        writeFileSync(file, EVEN);
        writeFileSync(path.join(folder, 'broken/hatopo.json'), '{"rules": {"spof": "loud"}}');
        const result = run(file);
        expect(result.status).toBe(1);
        expect(JSON.parse(result.stdout)).toContainEqual(
            expect.objectContaining({ rule: 'invalid-value', line: 1, message: expect.stringContaining('hatopo.json') })
        );
    });
});
