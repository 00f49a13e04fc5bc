// The export writer: never outside its folder, atomic, and careful with files the user edited.

import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { hostFolder } from '../language/export/export-file.js';
import { confine, MANIFEST, writeExport } from '../server/export-writer.js';

const scratch = mkdtempSync(path.join(tmpdir(), 'hatopo-writer-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('export writer', () => {
    it('refuses every path that would leave the folder', async () => {
        const out = path.join(scratch, 'out');
        for (const evil of ['../escape.cfg', 'a/../../escape.cfg', '/etc/passwd', '..', 'a/..\\..\\x']) {
            expect(() => confine(out, evil)).toThrow(/outside/);
            await expect(writeExport(out, [{ path: evil, content: 'x' }])).rejects.toThrow(/outside/);
        }
        expect(existsSync(path.join(scratch, 'escape.cfg'))).toBe(false);
    });

    it('makes host names safe as folder names', () => {
        expect(hostFolder('../../etc')).not.toContain('/');
        expect(hostFolder('..')).not.toBe('..');
        expect(hostFolder('wlg-db1')).toBe('wlg-db1');
        expect(() => confine(path.join(scratch, 'out'), `${hostFolder('../../x')}/haproxy.cfg`)).not.toThrow();
    });

    it('writes atomically, records hashes, and leaves unchanged files alone', async () => {
        const out = path.join(scratch, 'atomic');
        const first = await writeExport(out, [
            { path: 'h1/haproxy.cfg', content: 'a\n' },
            { path: 'h2/galera.cnf', content: 'b\n' }
        ]);
        expect(first.written).toEqual(['h1/haproxy.cfg', 'h2/galera.cnf']);
        expect(Object.keys(JSON.parse(readFileSync(path.join(out, MANIFEST), 'utf8')))).toEqual([
            'h1/haproxy.cfg',
            'h2/galera.cnf'
        ]);
        const again = await writeExport(out, [
            { path: 'h1/haproxy.cfg', content: 'a\n' },
            { path: 'h2/galera.cnf', content: 'c\n' }
        ]);
        expect(again).toEqual({ written: ['h2/galera.cnf'], unchanged: ['h1/haproxy.cfg'] });
        expect(readdirSync(path.join(out, 'h1')).filter(f => f.endsWith('.tmp'))).toEqual([]);
    });

    it('refuses to overwrite a file edited since the last export, naming it, unless forced', async () => {
        const out = path.join(scratch, 'edited');
        await writeExport(out, [{ path: 'h1/haproxy.cfg', content: 'ours\n' }]);
        writeFileSync(path.join(out, 'h1/haproxy.cfg'), 'the operator changed this\n');
        await expect(writeExport(out, [{ path: 'h1/haproxy.cfg', content: 'new\n' }])).rejects.toThrow(
            'h1/haproxy.cfg (use --force to overwrite)'
        );
        expect(readFileSync(path.join(out, 'h1/haproxy.cfg'), 'utf8')).toBe('the operator changed this\n');
        await writeExport(out, [{ path: 'h1/haproxy.cfg', content: 'new\n' }], { force: true });
        expect(readFileSync(path.join(out, 'h1/haproxy.cfg'), 'utf8')).toBe('new\n');
    });

    it('refuses two exporters writing one path', async () => {
        await expect(
            writeExport(path.join(scratch, 'twice'), [
                { path: 'a/x', content: '1' },
                { path: 'a/x', content: '2' }
            ])
        ).rejects.toThrow('two exporters wrote a/x');
    });
});
