// The guard rails run with the suite: ESLint (typescript-eslint and the house's import boundaries:
// the engine imports no host, LSP package or Node built-in) and Prettier's formatting, as
// `npm run lint` runs them.

import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '..');
const bin = (name: string) => path.join(root, 'node_modules/.bin', name);

describe('lint', () => {
    it('passes ESLint with the import boundaries', () => {
        const result = spawnSync(bin('eslint'), ['.'], { cwd: root, encoding: 'utf8' });
        expect(result.status, result.stdout + result.stderr).toBe(0);
    }, 120_000);

    it('is formatted by Prettier', () => {
        const result = spawnSync(bin('prettier'), ['--check', '.'], { cwd: root, encoding: 'utf8' });
        expect(result.status, result.stdout + result.stderr).toBe(0);
    }, 120_000);

    it('keeps the engine free of hosts: a Node built-in in the engine fails the lint', () => {
        const result = spawnSync(bin('eslint'), ['--stdin', '--stdin-filename', 'language/analysis/probe.ts'], {
            cwd: root,
            encoding: 'utf8',
            input: "import { readFileSync } from 'node:fs';\nexport const probe = readFileSync;\n"
        });
        expect(result.status).toBe(1);
        expect(result.stdout).toContain('the engine is pure');
    }, 120_000);
});
