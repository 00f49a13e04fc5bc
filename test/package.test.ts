// `npm run package` builds a .vsix that holds only what runs and stays small.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '..');
const vsce = path.join(root, 'node_modules/@vscode/vsce/vsce');
const scratch = mkdtempSync(path.join(tmpdir(), 'hatopo-vsix-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('the .vsix', () => {
    it('lists only bundles, grammar, configuration, media, README and LICENSE', () => {
        const files = execFileSync(process.execPath, [vsce, 'ls', '--no-dependencies'], { cwd: root, encoding: 'utf8' })
            .split('\n')
            .filter(Boolean)
            .sort();
        expect(files).toEqual([
            'LICENSE',
            'README.md',
            'language-configuration.json',
            'media/file-icon.svg',
            'media/icon.png',
            'media/preview.css',
            'media/preview.js',
            'out/elk.cjs',
            'out/extension.cjs',
            'out/server.cjs',
            'package.json',
            'schemas/hatopo.schema.json',
            'syntaxes/hatopo.tmLanguage.json'
        ]);
    });

    it('holds every file its bundles load beside themselves (out/elk.cjs for the preview)', () => {
        const files = execFileSync(process.execPath, [vsce, 'ls', '--no-dependencies'], { cwd: root, encoding: 'utf8' })
            .split('\n')
            .filter(Boolean);
        for (const bundle of files.filter(file => file.startsWith('out/'))) {
            const text = readFileSync(path.join(root, bundle), 'utf8');
            for (const [, name] of text.matchAll(/require\("\.\/([^"]+)"\)/g))
                expect(files, `${bundle} loads ./${name}`).toContain(`out/${name}`);
        }
    });

    it('packages to under 5 MB', () => {
        const out = path.join(scratch, 'hatopo.vsix');
        execFileSync(
            process.execPath,
            [vsce, 'package', '--no-dependencies', '--no-rewrite-relative-links', '--out', out],
            { cwd: root, stdio: 'pipe' }
        );
        expect(statSync(out).size).toBeLessThan(5 * 1024 * 1024);
    }, 120_000);
});
