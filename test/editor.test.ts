// What a user sees in the editor besides squiggles: hovers with the computed figures, quick fixes
// that remove the diagnostic they are offered for, and the code lens that opens the preview.

import type { LangiumDocument } from 'langium';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { CodeAction } from 'vscode-languageserver-protocol';
import { describe, expect, it } from 'vitest';
import { check, checkFiles, rules, services } from './helpers.js';

async function hover(text: string, marker: string): Promise<string> {
    const document = await check(text);
    const offset = text.indexOf(marker);
    const result = await services.Hatopo.lsp.HoverProvider!.getHoverContent(document, {
        textDocument: { uri: document.uri.toString() },
        position: document.textDocument.positionAt(offset)
    });
    return (result?.contents as { value: string } | undefined)?.value ?? '';
}

/** Applies the first quick fix offered for `rule` and returns the fixed text. */
async function applyFix(
    text: string,
    rule: string,
    title?: RegExp
): Promise<{ fixed: string; after: LangiumDocument }> {
    const document = await check(text);
    const diagnostic = (document.diagnostics ?? []).find(d => d.code === rule);
    expect(diagnostic, `${rule} should fire before the fix`).toBeDefined();
    const actions = (await services.Hatopo.lsp.CodeActionProvider!.getCodeActions(document, {
        textDocument: { uri: document.uri.toString() },
        range: diagnostic!.range,
        context: { diagnostics: [diagnostic!] }
    })) as CodeAction[];
    const action = actions.find(a => !title || title.test(a.title));
    expect(action, `a quick fix for ${rule}`).toBeDefined();
    const edits = action!.edit!.changes![document.uri.toString()];
    const fixed = TextDocument.applyEdits(document.textDocument, edits);
    return { fixed, after: await check(fixed) };
}

const REGIONS = `
region a { host a1 10.1.0.1  host a2 10.1.0.2  host lb1 10.1.0.5  host lb2 10.1.0.6  host api 10.1.0.9 }
region b { host b1 10.2.0.1 }
region c { host c1 10.3.0.1 }
`;

describe('hover', () => {
    it("shows a Galera cluster's quorum table", async () => {
        const text = `${REGIONS}galera db {\n  members a1, a2, b1\n}\n`;
        const shown = await hover(text, 'db {');
        expect(shown).toContain('total weight 3');
        expect(shown).toContain('| region:a | 1 of 3 | **non-primary** |');
        expect(shown).toContain('| host:b1 | 2 of 3 | Primary |');
    });

    it('shows the token size against each hop of a service', async () => {
        const text = `${REGIONS}service keystone port 5000 {\n  nodes api, a1\n  token fernet\n  path nginx -> uwsgi buffer-size 8192\n}\n`;
        const shown = await hover(text, 'keystone port');
        expect(shown).toMatch(/fernet token 18\d B/);
        expect(shown).toContain('| 1. nginx | 8192 B per line (large_client_header_buffers, default)');
        expect(shown).toContain('| 2. uwsgi | 8192 B all headers (buffer-size)');
        expect(shown).toMatch(/availability 99\.99/);
    });

    it("shows a host's roles and a VIP's election", async () => {
        const text = `${REGIONS}vip v 10.1.0.100 vrid 7 {\n  master lb1 priority 150\n  backup lb2 priority 100\n}\n`;
        expect(await hover(text, 'lb1 10.1')).toContain('roles: VRRP master of vip v (priority 150)');
        expect(await hover(text, 'v 10.1.0.100')).toContain('| lb1 | master | 150 |');
    });
});

describe('hover across files', () => {
    it("shows the hovered file's link, never another file's link on the same line", async () => {
        const documents = await checkFiles({
            'regions.hatopo':
                'region a { host a1 10.1.0.1 }\nregion b { host b1 10.2.0.1 }\nregion c { host c1 10.3.0.1 }\n',
            'ab.hatopo': 'import "regions.hatopo"\nlink ab: a <-> b { latency 5ms }\n',
            'main.hatopo': 'import "ab.hatopo"\nlink ac: a <-> c { latency 40ms }\n'
        });
        const main = documents.get('main.hatopo')!;
        const result = await services.Hatopo.lsp.HoverProvider!.getHoverContent(main, {
            textDocument: { uri: main.uri.toString() },
            position: { line: 1, character: 6 }
        });
        const shown = (result?.contents as { value: string } | undefined)?.value ?? '';
        expect(shown).toContain('**link a <-> c**, latency 40 ms');
        expect(shown).not.toContain('a <-> b');
    });
});

describe('quick fixes', () => {
    it('adds a garbd in a region without voters', async () => {
        const { fixed, after } = await applyFix(`${REGIONS}galera db {\n  members a1, b1\n}\n`, 'galera-min-members');
        expect(fixed).toContain('  garbd c1\n}');
        expect(rules(after)).not.toContain('galera-min-members');
        expect(rules(after)).not.toContain('galera-region-loss');
    });

    it('sets wsrep_sync_wait to 0 for dirty reads', async () => {
        const text = `${REGIONS}galera db {\n  members a1, a2, b1\n  option wsrep_dirty_reads = on\n  option wsrep_sync_wait = 3\n}\n`;
        const { after } = await applyFix(text, 'galera-dirty-reads');
        expect(rules(after)).not.toContain('galera-dirty-reads');
    });

    it('marks the other Galera writers backup', async () => {
        const text = `${REGIONS}galera db { members a1, a2, b1 }\nhaproxy h {\n  nodes lb1\n  backend g mode tcp {\n    server a1 port 3306\n    server a2 port 3306\n  }\n}\n`;
        const { fixed, after } = await applyFix(text, 'galera-multi-writer');
        expect(fixed).toContain('server a2 port 3306 backup');
        expect(rules(after)).not.toContain('galera-multi-writer');
    });

    it('gives the master a clear lead in VRRP priority', async () => {
        const text = `${REGIONS}vip v 10.1.0.100 vrid 7 {\n  master lb1 priority 100\n  backup lb2 priority 100\n}\n`;
        const { fixed, after } = await applyFix(text, 'vrrp-priority');
        expect(fixed).toContain('master lb1 priority 150');
        expect(rules(after)).not.toContain('vrrp-priority');
    });

    it('offers no VRRP or backup fix, and does not fail, while a host name is still missing', async () => {
        // Found by test/lsp-fuzz.test.ts: the parser keeps `master priority 150` as a member without a host.
        const texts = [
            `${REGIONS}vip v 10.1.0.100 vrid 7 {\n  master priority 150\n  backup lb2 priority 100\n}\n`,
            `${REGIONS}galera db { members a1, a2, b1 }\nhaproxy h {\n  nodes lb1\n  backend g mode tcp {\n    server a1 port 3306\n    server port 3306\n  }\n}\n`
        ];
        for (const text of texts) {
            const document = await check(text);
            for (const diagnostic of document.diagnostics ?? []) {
                const actions = await services.Hatopo.lsp.CodeActionProvider!.getCodeActions(document, {
                    textDocument: { uri: document.uri.toString() },
                    range: diagnostic.range,
                    context: { diagnostics: [diagnostic] }
                });
                expect(Array.isArray(actions), `code actions for ${diagnostic.code}`).toBe(true);
            }
            expect(rules(document)).toContain('syntax-error');
        }
    });

    it('allows the blocked port on the link', async () => {
        const text = `${REGIONS}galera db { members a1, a2, b1 }\nlink a <-> b {\n  allow tcp 3306, 4567, 4444\n}\n`;
        const { fixed, after } = await applyFix(text, 'port-unreachable');
        expect(fixed).toContain('  allow tcp 4568\n}');
        expect(rules(after)).not.toContain('port-unreachable');
    });

    it('raises the hop limit or switches to Fernet', async () => {
        const services = Array.from(
            { length: 8 },
            (_, i) => `service s${i} kind nova port ${8000 + i} { nodes a1, b1, c1 }`
        ).join('\n');
        const text = `${REGIONS}${services}\nservice keystone port 5000 {\n  nodes api, b1, c1\n  token pki\n  path apache -> uwsgi\n}\n`;
        const raised = await applyFix(text, 'header-budget', /Raise/);
        expect(raised.fixed).toMatch(/apache LimitRequestFieldSize \d+|uwsgi buffer-size \d+/);
        const fernet = await applyFix(text, 'header-budget', /Fernet/);
        expect(fernet.fixed).toContain('token fernet');
        expect(rules(fernet.after)).not.toContain('header-budget');
    });
});

describe('code lens', () => {
    it('offers Open Preview as a code lens above the first statement', async () => {
        const document = await check('\n\nregion r { host a 10.0.0.1 }');
        const lenses = await services.Hatopo.lsp.CodeLensProvider!.provideCodeLens(document, {
            textDocument: { uri: document.uri.toString() }
        });
        expect(lenses).toEqual([
            {
                range: { start: { line: 2, character: 0 }, end: { line: 2, character: 0 } },
                command: { title: 'Open Preview', command: 'hatopo.openPreview', arguments: [document.uri.toString()] }
            }
        ]);
    });
});
