// The AST and the TextMate grammar are generated from hatopo.langium: regenerating must change
// neither, so nobody edits generated/ by hand and nobody forgets to regenerate.

import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '..');
const scratch = mkdtempSync(path.join(tmpdir(), 'hatopo-gen-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('generated files', () => {
    it('match a fresh langium generate', () => {
        cpSync(path.join(root, 'language/hatopo.langium'), path.join(scratch, 'language/hatopo.langium'));
        writeFileSync(path.join(scratch, 'langium-config.json'), readFileSync(path.join(root, 'langium-config.json')));
        const cli = path.join(root, 'node_modules/langium-cli/bin/langium.js');
        execFileSync(process.execPath, [cli, 'generate'], { cwd: scratch, stdio: 'pipe' });
        for (const file of [
            'language/generated/ast.ts',
            'language/generated/grammar.ts',
            'language/generated/module.ts',
            'syntaxes/hatopo.tmLanguage.json'
        ]) {
            expect(
                readFileSync(path.join(scratch, file), 'utf8'),
                `${file} is out of date: run npm run langium:generate`
            ).toBe(readFileSync(path.join(root, file), 'utf8'));
        }
    }, 60_000);
});
