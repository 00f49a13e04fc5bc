// The export writer: never outside its folder, never through a link, atomic, careful with files the
// user edited, and a refused export writes nothing.

import {
    existsSync,
    mkdirSync,
    mkdtempSync,
    readdirSync,
    readFileSync,
    rmSync,
    statSync,
    symlinkSync,
    writeFileSync
} from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { hostFolder } from '../language/export/export-file.js';
import { confine, ExportError, MANIFEST, writeExport } from '../server/export-writer.js';

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

describe('export writer: planned before the first byte', () => {
    it('refuses a symbolic link to a folder outside, naming it, and writes nothing anywhere', async () => {
        const out = path.join(scratch, 'linked');
        const outside = path.join(scratch, 'outside');
        mkdirSync(out, { recursive: true });
        mkdirSync(outside, { recursive: true });
        symlinkSync(outside, path.join(out, 'kolla1'));
        const files = [
            { path: 'kolla0/haproxy.cfg', content: 'a\n' },
            { path: 'kolla1/haproxy.cfg', content: 'b\n' },
            { path: 'kolla1/galera.cnf', content: 'c\n' }
        ];
        await expect(writeExport(out, files)).rejects.toThrow(
            new RegExp(
                `^refusing to export: ${escape(path.join(out, 'kolla1'))} is a symbolic link \\(to ${escape(outside)}\\)`
            )
        );
        expect(readdirSync(outside)).toEqual([]);
        expect(readdirSync(out).sort()).toEqual(['kolla1']); // not even kolla0/ or the manifest
    });

    it('refuses a symbolic link in place of a file, and never reads through one', async () => {
        const out = path.join(scratch, 'file-link');
        const target = path.join(scratch, 'precious.txt');
        writeFileSync(target, 'keep me\n');
        await writeExport(out, [{ path: 'h1/haproxy.cfg', content: 'ours\n' }]);
        rmSync(path.join(out, 'h1/haproxy.cfg'));
        symlinkSync(target, path.join(out, 'h1/haproxy.cfg'));
        await expect(writeExport(out, [{ path: 'h1/haproxy.cfg', content: 'new\n' }], { force: true })).rejects.toThrow(
            /h1\/haproxy\.cfg is a symbolic link/
        );
        expect(readFileSync(target, 'utf8')).toBe('keep me\n');
    });

    it('refuses a name longer than a file system allows before writing any host', async () => {
        const out = path.join(scratch, 'long');
        const files = [
            { path: 'aaa/haproxy.cfg', content: 'a\n' },
            { path: `${'h'.repeat(300)}/haproxy.cfg`, content: 'b\n' }
        ];
        await expect(writeExport(out, files)).rejects.toThrow(/has 300 bytes, more than a file system allows \(255\)/);
        expect(existsSync(out)).toBe(false);
    });

    it('refuses paths that differ only in case, or a path that is both file and folder', async () => {
        await expect(
            writeExport(path.join(scratch, 'case'), [
                { path: 'DB1/galera.cnf', content: '1' },
                { path: 'db1/galera.cnf', content: '2' }
            ])
        ).rejects.toThrow('DB1/galera.cnf and db1/galera.cnf differ only in case');
        await expect(
            writeExport(path.join(scratch, 'both'), [
                { path: 'a', content: '1' },
                { path: 'a/b', content: '2' }
            ])
        ).rejects.toThrow('a would be both a file and a folder');
        expect(existsSync(path.join(scratch, 'case'))).toBe(false);
        expect(existsSync(path.join(scratch, 'both'))).toBe(false);
    });

    it('says in one line that a corrupt manifest is corrupt, and leaves everything as it was', async () => {
        const out = path.join(scratch, 'corrupt');
        await writeExport(out, [{ path: 'h1/haproxy.cfg', content: 'ours\n' }]);
        for (const [manifest, why] of [
            ['{"h1/haproxy.cfg": "abc"', 'not JSON'],
            ['[1, 2]', 'not an object'],
            ['{"h1/haproxy.cfg": 7}', "'h1/haproxy.cfg' has no SHA-256"],
            [`{"../../etc/passwd": "${'0'.repeat(64)}"}`, "'../../etc/passwd' lies outside the folder"]
        ]) {
            writeFileSync(path.join(out, MANIFEST), manifest);
            const error = await writeExport(out, [{ path: 'h1/haproxy.cfg', content: 'new\n' }]).catch(e => e as Error);
            expect(error).toBeInstanceOf(ExportError);
            expect((error as Error).message).toContain(`the manifest ${path.join(out, MANIFEST)} is corrupt (${why}`);
            expect((error as Error).message).not.toContain('\n');
            expect(readFileSync(path.join(out, 'h1/haproxy.cfg'), 'utf8')).toBe('ours\n');
        }
    });

    it('writes a script executable and a secret placeholder readable by its owner only', async () => {
        const out = path.join(scratch, 'modes');
        await writeExport(out, [
            { path: 'db1/clustercheck', content: '#!/bin/bash\n', mode: 0o755 },
            { path: 'db1/clustercheck.cnf', content: 'password = @@X@@\n', mode: 0o600 },
            { path: 'db1/galera.cnf', content: '[mysqld]\n' }
        ]);
        const mode = (name: string) => statSync(path.join(out, 'db1', name)).mode & 0o777;
        expect([mode('clustercheck'), mode('clustercheck.cnf'), mode('galera.cnf')]).toEqual([0o755, 0o600, 0o644]);
    });
});

function escape(text: string): string {
    return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
