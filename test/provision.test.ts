// test/provision.mjs, which `npm test` runs first: its table names every program the suites need,
// and without root or apt it stops at once with the one command to run.

import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain ES module without types, run by node before vitest
import { missingPackages, NEEDS, provision } from './provision.mjs';

const TEST = import.meta.dirname;

function sources(folder: string): string[] {
    return readdirSync(folder, { withFileTypes: true }).flatMap(entry =>
        entry.isDirectory() && entry.name !== 'fixtures'
            ? sources(path.join(folder, entry.name))
            : /\.(ts|mjs)$/.test(entry.name)
              ? [readFileSync(path.join(folder, entry.name), 'utf8')]
              : []
    );
}

describe('test/provision.mjs', () => {
    it('lists every program a suite requires', () => {
        const required = new Set<string>();
        for (const text of sources(TEST))
            for (const call of text.matchAll(/requirePrograms\(([^)]*)\)/g))
                for (const name of call[1].matchAll(/'([^']+)'/g)) required.add(name[1]);
        expect(required.size).toBeGreaterThan(5);
        const listed = new Set((NEEDS as Array<[string, string]>).map(([need]) => need));
        expect([...required].filter(program => !listed.has(program))).toEqual([]);
        expect(listed).toContain('chromium'); // test/preview.test.ts and the e2e window
    });

    it('finds nothing missing on a provisioned machine, and names the package of what is', () => {
        expect(missingPackages([['sh', 'dash']])).toEqual([]);
        expect(missingPackages([['/nonexistent/hatopo-need', 'hatopo-package']])).toEqual(['hatopo-package']);
    });

    it('stops at once with the one command to run when it cannot install', () => {
        const lines: string[] = [];
        expect(() =>
            provision({
                needs: [['hatopo-no-such-program', 'hatopo-no-such-package']],
                canInstall: false,
                tools: false,
                log: (line: string) => lines.push(line)
            })
        ).toThrow(
            'run: sudo apt-get update && sudo apt-get install -y --no-install-recommends -o DPkg::Lock::Timeout=600 hatopo-no-such-package'
        );
        expect(lines).toEqual([]);
    });
});
