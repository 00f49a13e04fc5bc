// The editor's other views of a topology (issue 14): hovers for every element kind, keyword and
// option; the outline; semantic tokens; inlay hints; import links; selection ranges; code lenses.

import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { SemanticTokensDecoder } from 'langium/lsp';
import { SymbolKind, type DocumentSymbol } from 'vscode-languageserver';
import { describe, expect, it } from 'vitest';
import * as ast from '../language/generated/ast.js';
import { AstUtils, GrammarAST } from 'langium';
import { check, checkFiles, services } from './helpers.js';

const H = services.Hatopo;
const CATALYST = readFileSync(path.resolve(import.meta.dirname, '../examples/keystone-catalyst.hatopo'), 'utf8');
const BARBICAN = readFileSync(path.resolve(import.meta.dirname, '../examples/barbican-rackspace.hatopo'), 'utf8');
const KOLLA = readFileSync(path.resolve(import.meta.dirname, '../examples/kolla-ha.hatopo'), 'utf8');

async function hoverAt(text: string, marker: string, into = 0): Promise<string> {
    const document = await check(text);
    const at = text.indexOf(marker);
    expect(at, `marker ${JSON.stringify(marker)}`).toBeGreaterThanOrEqual(0);
    const result = await H.lsp.HoverProvider!.getHoverContent(document, {
        textDocument: { uri: document.uri.toString() },
        position: document.textDocument.positionAt(at + into)
    });
    return (result?.contents as { value: string } | undefined)?.value ?? '';
}

const whole = { start: { line: 0, character: 0 }, end: { line: 100_000, character: 0 } };

describe('hovers', () => {
    it('describe every kind of element with its figures', async () => {
        const cases: Array<[string, string, number, RegExp]> = [
            [CATALYST, 'region wlg "', 8, /losing wlg breaks:[\s\S]*keystone-wlg/],
            [CATALYST, 'zone wlg-edge', 6, /trust public[\s\S]*2 hosts/],
            [CATALYST, 'host wlg-db1', 6, /roles: galera member of galera keystone-db/],
            [CATALYST, 'galera keystone-db', 8, /\| region:wlg \| 6 of 9 \| Primary \|/],
            [CATALYST, 'memcached wlg-cache', 11, /3 servers[\s\S]*used by: keystone-wlg/],
            [CATALYST, 'vip wlg-vip', 5, /elected master: wlg-lb1 \(priority 150\)/],
            [CATALYST, 'haproxy wlg-proxy', 9, /requests up to 15360 B/],
            [CATALYST, 'frontend wlg-keystone-fe', 10, /10\.1\.0\.10:5000 → backend wlg-keystone-be/],
            [CATALYST, 'backend wlg-keystone-be', 9, /\| hlz-api1 \| 5000 \| backup \|/],
            [CATALYST, 'service keystone-wlg', 9, /fernet token 183 B/],
            [CATALYST, 'link wlg-hlz', 6, /Galera IST 4568\/tcp \| 18 \| 0 \|/],
            [CATALYST, 'topology keystone', 10, /3 regions, 33 hosts/],
            [BARBICAN, 'hsm luna-ha', 5, /capacity 60\/s, with one device lost/],
            [BARBICAN, 'firewall f5', 10, /in front of zone hsm-net/],
            [KOLLA, 'rabbitmq ', 10, /a majority is 2: survives the loss of 1 node/]
        ];
        for (const [text, marker, into, expected] of cases)
            expect(await hoverAt(text, marker, into), marker).toMatch(expected);
    });

    it('document keywords, options, hop kinds, hop settings and rule ids', async () => {
        // Keywords are documented by the language reference, docs/language.md.
        expect(await hoverAt(CATALYST, '  token fernet', 3)).toMatch(/^\*\*token\*\* — `token FORMAT/);
        expect(await hoverAt(CATALYST, 'option wsrep_dirty_reads', 10)).toContain('needs `wsrep_sync_wait = 0`');
        expect(await hoverAt(CATALYST, '-> uwsgi', 4)).toMatch(
            /uwsgi\*\*: .*Limits the request line and all headers together to 4096 B[\s\S]*the fernet token needs 711 B: 17 %/
        );
        const setting = 'service s port 1 { nodes a path nginx large_client_header_buffers 4 8k }';
        expect(await hoverAt(`region r { host a 10.0.0.1 }\n${setting}`, 'large_client', 3)).toContain(
            'default 4 8192'
        );
        const ignored = CATALYST.replace('// One Keystone database', '// hatopo-ignore galera-wan-settings');
        expect(await hoverAt(ignored, 'hatopo-ignore galera-wan', 16)).toMatch(
            /^\*\*galera-wan-settings\*\* \(warning/
        );
    });

    it('have a documentation text for every keyword of the grammar', () => {
        const docs = H.docs.Language;
        const missing: string[] = [];
        for (const rule of H.Grammar.rules) {
            for (const node of AstUtils.streamAllContents(rule)) {
                if (!GrammarAST.isKeyword(node) || !/\p{L}|->/u.test(node.value)) continue;
                if (rule.name === 'Name' || rule.name === 'OptionPart') continue; // names, not keywords there
                if (!docs.keywordDoc(node.value, rule.name)) missing.push(`${rule.name}:${node.value}`);
            }
        }
        expect(missing).toEqual([]);
    });
});

describe('outline', () => {
    it('uses real symbol kinds with a detail, and no options or members', async () => {
        const document = await check(CATALYST);
        const symbols = (await H.lsp.DocumentSymbolProvider!.getSymbols(document, {
            textDocument: { uri: document.uri.toString() }
        })) as DocumentSymbol[];
        const all = (list: DocumentSymbol[]): DocumentSymbol[] => list.flatMap(s => [s, ...all(s.children ?? [])]);
        const flat = all(symbols);
        const kinds = new Set(flat.map(s => s.kind));
        expect(kinds.size).toBeGreaterThanOrEqual(3);
        const find = (name: string) => flat.find(s => s.name === name)!;
        expect(find('wlg')).toMatchObject({ kind: SymbolKind.Namespace, detail: '10.1.0.0/16 · 11 hosts' });
        expect(find('wlg-db1')).toMatchObject({ kind: SymbolKind.Object, detail: '10.1.2.31' });
        expect(find('keystone-db')).toMatchObject({ kind: SymbolKind.Struct, detail: '9 members' });
        expect(find('keystone-wlg')).toMatchObject({
            kind: SymbolKind.Class,
            detail: 'keystone · port 5000 · 3 nodes'
        });
        expect(find('wlg-hlz')).toMatchObject({ kind: SymbolKind.Interface, detail: 'wlg <-> hlz' });
        expect(flat.map(s => s.name)).not.toContain('wsrep_dirty_reads');
    });
});

describe('semantic tokens', () => {
    it('tell declarations from references and colour units, ports and rule ids', async () => {
        const text =
            'region r 10.0.0.0/16 { // hatopo-ignore spof\n  host a 10.0.0.1\n}\n' +
            'link l: r <-> r { latency 5ms allow tcp 3306 }\nservice s port 5000 { nodes a }\n';
        const document = await check(text);
        const provider = H.lsp.SemanticTokenProvider!;
        const tokens = await provider.semanticHighlight(document, { textDocument: { uri: document.uri.toString() } });
        const types = (provider as unknown as { tokenTypes: Record<string, number> }).tokenTypes;
        const modifiers = (provider as unknown as { tokenModifiers: Record<string, number> }).tokenModifiers;
        const decoded = SemanticTokensDecoder.decode(tokens, types, document).map(t => ({
            text: t.text,
            type: t.tokenType,
            declaration: (t.tokenModifiers & modifiers.declaration) !== 0
        }));
        const of = (text: string) => decoded.filter(t => t.text === text);
        expect(of('a')).toEqual([
            { text: 'a', type: 'variable', declaration: true },
            { text: 'a', type: 'variable', declaration: false }
        ]);
        expect(of('r').map(t => t.declaration)).toEqual([true, false, false]);
        expect(of('5')[0].type).toBe('number');
        expect(of('ms')[0].type).toBe('type');
        expect(of('3306')[0].type).toBe('enumMember');
        expect(of('5000')[0].type).toBe('enumMember');
        expect(of('spof')[0].type).toBe('macro');
        expect(of('hatopo-ignore')[0].type).toBe('keyword');
    });
});

describe('semantic tokens of a range', () => {
    it('are the whole file’s tokens that lie in the range', async () => {
        const document = await check(CATALYST);
        const provider = H.lsp.SemanticTokenProvider!;
        const types = (provider as unknown as { tokenTypes: Record<string, number> }).tokenTypes;
        const textDocument = { uri: document.uri.toString() };
        const decode = (tokens: { data: number[] }) =>
            SemanticTokensDecoder.decode(tokens, types, document).map(t => `${t.offset}:${t.text}:${t.tokenType}`);
        const line = CATALYST.split('\n').findIndex(l => l.startsWith('galera keystone-db'));
        const range = { start: { line, character: 0 }, end: { line: line + 3, character: 0 } };
        const from = document.textDocument.offsetAt(range.start);
        const to = document.textDocument.offsetAt(range.end);
        const full = decode(await provider.semanticHighlight(document, { textDocument })).filter(token => {
            const offset = Number(token.split(':')[0]);
            return offset >= from && offset < to;
        });
        const part = decode(await provider.semanticHighlightRange(document, { textDocument, range }));
        expect(part).toEqual(full);
        expect(part.length).toBeGreaterThan(10);
    });
});

describe('inlay hints', () => {
    it('show weights, the worst loss, token sizes, hop use and flows where the inputs are written', async () => {
        const document = await check(CATALYST);
        const hints =
            (await H.lsp.InlayHintProvider!.getInlayHints(document, {
                textDocument: { uri: document.uri.toString() },
                range: whole
            })) ?? [];
        const labels = hints.map(h => String(h.label));
        expect(labels.filter(label => label === 'w=1 seg=0')).toHaveLength(9);
        expect(labels).toContain('worst loss region:wlg: 6 of 9, Primary');
        expect(labels.filter(label => label === '183 B')).toHaveLength(3);
        expect(labels).toContain('17 %'); // uwsgi: 711 B of 4096 B
        expect(labels.filter(label => label === '84 flows')).toHaveLength(3);
    });

    it('only for the nodes in the requested range', async () => {
        const document = await check(CATALYST);
        const line = CATALYST.split('\n').findIndex(l => l.startsWith('link wlg-hlz'));
        const hints =
            (await H.lsp.InlayHintProvider!.getInlayHints(document, {
                textDocument: { uri: document.uri.toString() },
                range: { start: { line, character: 0 }, end: { line: line + 1, character: 0 } }
            })) ?? [];
        expect(hints.map(h => h.label)).toEqual(['84 flows']);
    });
});

describe('import links and selection ranges', () => {
    it('link each import to the file it names', async () => {
        const documents = await checkFiles({
            'regions.hatopo': 'region a { host a1 10.1.0.1 }\n',
            'main.hatopo': 'import "regions.hatopo"\ngalera g { members a1 }\n'
        });
        const main = documents.get('main.hatopo')!;
        const links = await H.lsp.DocumentLinkProvider!.getDocumentLinks(main, {
            textDocument: { uri: main.uri.toString() }
        });
        expect(links).toEqual([
            {
                range: { start: { line: 0, character: 7 }, end: { line: 0, character: 23 } },
                target: documents.get('regions.hatopo')!.uri.toString(),
                tooltip: 'Open regions.hatopo'
            }
        ]);
    });

    it('grow from the name under the cursor to its statement, block and file', async () => {
        const { selectionRanges } = await import('../language/lsp/hatopo-selection-ranges.js');
        const text = 'region r {\n  host a 10.0.0.1\n}\n';
        const document = await check(text);
        const [range] = selectionRanges(document, [{ line: 1, character: 8 }]);
        const chain: string[] = [];
        for (let at: typeof range | undefined = range; at; at = at.parent)
            chain.push(document.textDocument.getText(at.range));
        expect(chain[0]).toBe('a');
        expect(chain).toContain('host a 10.0.0.1');
        expect(chain.at(-1)).toBe(text.trimEnd());
        expect(ast.isDocument(document.parseResult.value)).toBe(true);
    });
});

describe('code lenses', () => {
    it('show what each cluster survives and each service’s availability against its target', async () => {
        const document = await check(CATALYST);
        const lenses =
            (await H.lsp.CodeLensProvider!.provideCodeLens(document, {
                textDocument: { uri: document.uri.toString() }
            })) ?? [];
        const titles = lenses.map(lens => lens.command!.title);
        expect(titles[0]).toBe('Open Preview');
        expect(titles).toContain('survives: any 1 region · any 1 host (worst: 6 of 9)');
        expect(titles.filter(title => /^availability 99\.\d+ % · target 99\.95 %$/.test(title))).toHaveLength(3);
        const galera = lenses.find(lens => lens.command!.title.startsWith('survives'))!;
        // The lens opens the preview with the worst failure preselected.
        expect(galera.command).toMatchObject({
            command: 'hatopo.openPreview',
            arguments: [document.uri.toString(), { failures: ['region:wlg'] }]
        });
    });

    it('warn when a loss leaves a cluster non-primary', async () => {
        const document = await check(
            'region a { host a1 10.1.0.1 host a2 10.1.0.2 }\nregion b { host b1 10.2.0.1 }\ngalera g { members a1, a2, b1 }\n'
        );
        const lenses =
            (await H.lsp.CodeLensProvider!.provideCodeLens(document, {
                textDocument: { uri: document.uri.toString() }
            })) ?? [];
        expect(lenses.map(lens => lens.command!.title)).toContain('⚠ non-primary after losing region:a');
    });
});
