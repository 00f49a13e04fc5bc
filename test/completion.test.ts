// Completion offers what fits the slot, ranked by what the model already says (issue 14).

import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { CompletionItemKind, InsertTextFormat, type CompletionItem } from 'vscode-languageserver';
import { describe, expect, it } from 'vitest';
import { check, services } from './helpers.js';

const CATALYST = readFileSync(path.resolve(import.meta.dirname, '../examples/keystone-catalyst.hatopo'), 'utf8');

/** Completion items at the end of the first occurrence of `marker` in `text`. */
async function complete(text: string, marker: string): Promise<CompletionItem[]> {
    const at = text.indexOf(marker);
    expect(at, `marker ${JSON.stringify(marker)}`).toBeGreaterThanOrEqual(0);
    const document = await check(text);
    const list = await services.Hatopo.lsp.CompletionProvider!.getCompletion(document, {
        textDocument: { uri: document.uri.toString() },
        position: document.textDocument.positionAt(at + marker.length)
    });
    return list?.items ?? [];
}

/** Items as the client sorts them. */
function ranked(items: CompletionItem[]): string[] {
    return [...items].sort((a, b) => (a.sortText ?? a.label).localeCompare(b.sortText ?? b.label)).map(i => i.label);
}

const MEMBERS = 'members wlg-db1, wlg-db2, wlg-db3, hlz-db1, hlz-db2, hlz-db3, por-db1, por-db2, por-db3';

describe('references', () => {
    it('after `members wlg-db1, ` does not offer wlg-db1, and ranks the free data nodes first', async () => {
        const items = await complete(CATALYST.replace(MEMBERS, 'members wlg-db1, '), 'members wlg-db1, ');
        const labels = ranked(items);
        expect(labels).not.toContain('wlg-db1');
        expect(labels.slice(0, 8).sort()).toEqual(
            ['wlg-db2', 'wlg-db3', 'hlz-db1', 'hlz-db2', 'hlz-db3', 'por-db1', 'por-db2', 'por-db3'].sort()
        );
        // Load balancers and memcached nodes (roles that conflict with a database) come last.
        const lb = labels.indexOf('wlg-lb1');
        const api = labels.indexOf('wlg-api1');
        expect(api).toBeGreaterThan(7);
        expect(lb).toBeGreaterThan(api);
        const item = items.find(i => i.label === 'hlz-db1')!;
        expect(item.labelDetails?.description).toBe('10.2.2.31');
        expect(item.detail).toContain('zone hlz-data');
    });

    it('never offers a host listed earlier in the same cluster, as member or garbd', async () => {
        const text = `region a { host a1 10.0.0.1 host a2 10.0.0.2 host a3 10.0.0.3 }\ngalera g {\n  members a1\n  garbd a2\n  members \n}\n`;
        const labels = (await complete(text, 'members a1\n  garbd a2\n  members ')).map(i => i.label);
        expect(labels).toEqual(['a3']);
    });

    it('offers a garbd in a region without data nodes first', async () => {
        const text = `region a { host a1 10.1.0.1 host a2 10.1.0.2 }\nregion b { host b1 10.2.0.1 host b2 10.2.0.2 }\nregion c { host c1 10.3.0.1 }\ngalera g {\n  members a1, b1\n  garbd \n}\n`;
        expect(ranked(await complete(text, 'garbd '))[0]).toBe('c1');
    });

    it("offers a VIP's holders from the VIP's subnet only", async () => {
        const text = CATALYST.replace('  master wlg-lb1 priority 150\n  backup wlg-lb2 priority 100', '  master ');
        const labels = (await complete(text, '  master ')).map(i => i.label);
        expect(labels.sort()).toEqual(['wlg-lb1', 'wlg-lb2']);
    });

    it('offers regions first for the ends of a link, never the other end again', async () => {
        const text = `${CATALYST}\nlink wlg <-> \n`;
        const labels = ranked(await complete(text, 'link wlg <-> '));
        expect(labels.slice(0, 2).sort()).toEqual(['hlz', 'por']);
        expect(labels).not.toContain('wlg');
    });
});

describe('names that are not references', () => {
    it('after `path haproxy -> ` offers proxy kinds, no zone trust or cluster keyword', async () => {
        const text = CATALYST.replace(
            'path haproxy -> nginx -> uwsgi\n}\n\nservice keystone-hlz',
            'path haproxy -> \n}\n\nservice keystone-hlz'
        );
        const items = await complete(text, 'path haproxy -> ');
        const labels = items.map(i => i.label);
        expect(labels).toEqual(expect.arrayContaining(['nginx', 'uwsgi', 'apache', 'eventlet']));
        for (const word of ['public', 'internal', 'management', 'galera', 'rabbitmq', 'memcached', 'vip'])
            expect(labels).not.toContain(word);
        expect(items.find(i => i.label === 'uwsgi')!.documentation).toMatchObject({
            value: expect.stringContaining('buffer-size')
        });
    });

    it("after a hop kind offers that proxy's header-limit settings and the next hop", async () => {
        const text = CATALYST.replace(
            'path haproxy -> nginx -> uwsgi\n}\n\nservice keystone-hlz',
            'path haproxy -> nginx \n}\n\nservice keystone-hlz'
        );
        const labels = (await complete(text, 'path haproxy -> nginx ')).map(i => i.label);
        expect(labels).toContain('large_client_header_buffers');
        expect(labels).toContain('->');
        expect(labels).not.toContain('buffer-size');
    });

    it('after `option ` in a galera block offers the options not yet written', async () => {
        const labels = (
            await complete(CATALYST.replace('  option wsrep_dirty_reads = on', '  option '), '  option ')
        ).map(i => i.label);
        expect(labels).toEqual(expect.arrayContaining(['gmcast.segment', 'evs.suspect_timeout', 'wsrep_dirty_reads']));
        expect(labels).not.toContain('wsrep_sync_wait');
    });

    it('offers rule ids inside a hatopo-ignore comment, not the ones listed already', async () => {
        const text = CATALYST.replace('// One Keystone database', '// hatopo-ignore galera-wan-settings, ');
        const items = await complete(text, 'hatopo-ignore galera-wan-settings, ');
        const labels = items.map(i => i.label);
        expect(labels).toContain('port-exposed');
        expect(labels).not.toContain('galera-wan-settings');
        expect(items.find(i => i.label === 'spof')!.documentation).toMatchObject({
            value: expect.stringContaining('single instance')
        });
    });
});

describe('keywords and snippets', () => {
    it('documents at least half of the keywords offered in a service block', async () => {
        const text = CATALYST.replace(
            '  frontend wlg-vip\n  database keystone-db',
            '  \n  frontend wlg-vip\n  database keystone-db'
        );
        const keywords = (await complete(text, 'wlg-api3\n  ')).filter(i => i.kind === CompletionItemKind.Keyword);
        expect(keywords.map(i => i.label)).toEqual(expect.arrayContaining(['nodes', 'token', 'path', 'database']));
        const documented = keywords.filter(i => i.documentation);
        expect(documented.length * 2).toBeGreaterThanOrEqual(keywords.length);
    });

    it('offers whole blocks with tab stops where an element may start', async () => {
        const items = await complete(`${CATALYST}\n`, `${CATALYST}\n`);
        const snippets = items.filter(i => i.kind === CompletionItemKind.Snippet);
        expect(snippets.map(i => i.filterText).sort()).toEqual(['galera', 'link', 'service', 'vip']);
        for (const snippet of snippets) {
            expect(snippet.insertTextFormat).toBe(InsertTextFormat.Snippet);
            expect(snippet.textEdit?.newText ?? snippet.insertText).toMatch(/\$\{1[:|]/);
        }
        // The VIP snippet proposes a VRID no VIP of the topology uses (51–53 are taken).
        expect(snippets.find(i => i.filterText === 'vip')!.textEdit!.newText).toContain('vrid ${3:54}');
    });
});
