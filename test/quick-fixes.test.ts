// Quick fixes are offered only when the engine has checked them (issues 12 and 14): applied in
// memory and re-analysed, the finding they are for is gone and nothing new is reported. Here every
// offered fix is applied for real (a fresh document, validated like any other) and compared.

import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { EmptyFileSystem, URI, type LangiumDocument } from 'langium';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { CodeAction, Diagnostic } from 'vscode-languageserver-protocol';
import { describe, expect, it } from 'vitest';
import { createHatopoServices } from '../language/hatopo-module.js';
import { check, checkFiles, rules, services } from './helpers.js';

const H = services.Hatopo;

/**
 * Validates a fixed text in a workspace of its own and removes it again, so that hundreds of
 * applied fixes do not pile up in the workspace the fixes are asked of.
 */
const verifier = createHatopoServices(EmptyFileSystem).shared.workspace;
let verified = 0;
async function verify(text: string, name: string): Promise<LangiumDocument> {
    const uri = URI.parse(`file:///verify/${++verified}/${name}`);
    const document = verifier.LangiumDocumentFactory.fromString(text, uri);
    verifier.LangiumDocuments.addDocument(document);
    await verifier.DocumentBuilder.build([document], { validation: true });
    await verifier.DocumentBuilder.update([], [uri]);
    return document;
}
const EXAMPLES = path.resolve(import.meta.dirname, '../examples');
const example = (name: string) => readFileSync(path.join(EXAMPLES, name), 'utf8');

async function fixesFor(document: LangiumDocument, diagnostic: Diagnostic): Promise<CodeAction[]> {
    return (await H.lsp.CodeActionProvider!.getCodeActions(document, {
        textDocument: { uri: document.uri.toString() },
        range: diagnostic.range,
        context: { diagnostics: [diagnostic] }
    })) as CodeAction[];
}

/** The text of `document` after the action's edits to it. */
function applied(document: LangiumDocument, action: CodeAction): string {
    const edits = action.edit!.changes![document.uri.toString()] ?? [];
    return TextDocument.applyEdits(document.textDocument as TextDocument, edits);
}

const errors = (document: LangiumDocument) => (document.diagnostics ?? []).filter(d => d.severity === 1).length;
const warnings = (document: LangiumDocument) => (document.diagnostics ?? []).filter(d => d.severity === 2).length;

/** Fixes for the first diagnostic of `rule`; fails when it does not fire. */
async function fixesOf(
    text: string,
    rule: string,
    message = /./
): Promise<{ document: LangiumDocument; actions: CodeAction[] }> {
    const document = await check(text);
    const diagnostic = (document.diagnostics ?? []).find(d => d.code === rule && message.test(String(d.message)));
    expect(diagnostic, `${rule} should fire: ${rules(document).join(', ')}`).toBeDefined();
    return { document, actions: await fixesFor(document, diagnostic!) };
}

async function applyOnly(
    text: string,
    rule: string,
    title?: RegExp,
    message?: RegExp
): Promise<{ fixed: string; after: LangiumDocument }> {
    const { document, actions } = await fixesOf(text, rule, message);
    const action = actions.find(a => !title || title.test(a.title));
    expect(action, `a fix for ${rule} among: ${actions.map(a => a.title).join(' | ')}`).toBeDefined();
    const fixed = applied(document, action!);
    return { fixed, after: await check(fixed) };
}

describe('every offered fix on every example', () => {
    for (const file of readdirSync(EXAMPLES).filter(name => name.endsWith('.hatopo'))) {
        it(`${file}: removes its finding and never adds an error or a warning`, async () => {
            const document = await check(example(file), file);
            for (const diagnostic of document.diagnostics ?? []) {
                for (const action of await fixesFor(document, diagnostic)) {
                    expect(Object.keys(action.edit!.changes!)).toEqual([document.uri.toString()]);
                    const after = await verify(applied(document, action), file);
                    const what = `${String(diagnostic.code)}: ${action.title}`;
                    expect(errors(after), what).toBeLessThanOrEqual(errors(document));
                    expect(warnings(after), what).toBeLessThanOrEqual(warnings(document));
                    const same = (d: Diagnostic) => d.code === diagnostic.code && d.message === diagnostic.message;
                    expect((after.diagnostics ?? []).filter(same).length, what).toBeLessThan(
                        (document.diagnostics ?? []).filter(same).length
                    );
                }
            }
        }, 180_000);
    }
});

describe('the checked garbd (issue 12)', () => {
    // Two voters in regions a and b, a third region c that a reaches but b does not.
    const TWO_VOTERS = `region a { host a1 10.1.0.1 host a2 10.1.0.2 }
region b { host b1 10.2.0.1 }
region c { host c1 10.3.0.1 }
link ab: a <-> b { }
link ac: a <-> c { }
galera db {
  members a1, b1
}
`;

    it('is not offered where it cannot fix the cluster: b cannot reach a garbd in c', async () => {
        const { document, actions } = await fixesOf(TWO_VOTERS, 'galera-min-members');
        expect(actions.map(a => a.title)).toEqual([]);
        // What the unchecked fix did: a third voter in c that b cannot reach, a new error.
        const unchecked = await check(TWO_VOTERS.replace('  members a1, b1\n', '  members a1, b1\n  garbd c1\n'));
        expect(rules(unchecked)).toContain('port-unreachable');
        expect(rules(document)).not.toContain('port-unreachable');
    });

    it('is offered, and fixes the arithmetic, once c is linked to b', async () => {
        const linked = TWO_VOTERS.replace('link ac: a <-> c { }', 'link ac: a <-> c { }\nlink bc: b <-> c { }');
        const { fixed, after } = await applyOnly(linked, 'galera-min-members', /garbd on c1/);
        expect(fixed).toContain('  garbd c1\n}');
        expect(rules(after)).not.toContain('galera-min-members');
        expect(rules(after)).not.toContain('galera-region-loss');
        expect(errors(after)).toBe(0);
    });

    it('on Platform9, no garbd is offered for the one-node cluster: every place for one adds errors', async () => {
        const document = await check(example('keystone-platform9.hatopo'));
        const before = errors(document);
        const diagnostic = (document.diagnostics ?? []).find(d => d.code === 'galera-min-members')!;
        const actions = await fixesFor(document, diagnostic);
        for (const action of actions) expect(errors(await check(applied(document, action)))).toBeLessThan(before);
        expect(actions.map(a => a.title).filter(title => /garbd/.test(title))).toEqual([]);
        // The fix that used to be offered: a garbd in region2 takes the errors from 71 to 73.
        const old = await check(
            example('keystone-platform9.hatopo').replace(
                '  members region1-db\n',
                '  members region1-db\n  garbd region2-ctl\n'
            )
        );
        expect(errors(old)).toBeGreaterThan(before);
    });

    it('adds a weighted garbd where a plain one would leave a region holding half', async () => {
        const text = `region a { host a1 10.1.0.1 host a2 10.1.0.2 }\nregion b { host b1 10.2.0.1 }\nregion c { host c1 10.3.0.1 }\ngalera db {\n  members a1, a2, b1\n}\n`;
        const { fixed, after } = await applyOnly(text, 'galera-region-loss', /weight 2/);
        expect(fixed).toContain('garbd c1 weight 2');
        expect(rules(after)).not.toContain('galera-region-loss');
    });

    it('moves a garbd that shares a region with data nodes to a third site', async () => {
        const text = `region a { host a1 10.1.0.1 host a2 10.1.0.2 }\nregion b { host b1 10.2.0.1 host b2 10.2.0.2 }\nregion c { host c1 10.3.0.1 }\ngalera db {\n  members a1, b1, b2\n  garbd a2\n}\n`;
        const { fixed, after } = await applyOnly(text, 'galera-arbitrator');
        expect(fixed).toContain('garbd c1');
        expect(rules(after)).not.toContain('galera-arbitrator');
    });
});

describe('fixes the messages name', () => {
    it('galera-wan-settings on Catalyst: segments by region and the WAN evs timeouts', async () => {
        const { fixed, after } = await applyOnly(example('keystone-catalyst.hatopo'), 'galera-wan-settings');
        expect(fixed).toContain('  segments by region\n  option evs.suspect_timeout = PT30S\n');
        expect(fixed).toContain('option evs.install_timeout = PT1M\n}');
        expect(rules(after)).not.toContain('galera-wan-settings');
    });

    it('galera-wan-settings replaces a timeout written at its LAN value instead of writing it twice', async () => {
        const text = `region a { host a1 10.1.0.1 }\nregion b { host b1 10.2.0.1 }\nregion c { host c1 10.3.0.1 }\ngalera db {\n  members a1, b1, c1\n  segments by region\n  option evs.suspect_timeout = PT5S\n}\n`;
        const { fixed, after } = await applyOnly(text, 'galera-wan-settings');
        expect(fixed.match(/evs\.suspect_timeout/g)).toHaveLength(1);
        expect(fixed).toContain('option evs.suspect_timeout = PT30S');
        expect(rules(after)).not.toContain('galera-wan-settings');
    });

    it('hsm-pair on Barbican: haonly', async () => {
        const { fixed, after } = await applyOnly(example('barbican-rackspace.hatopo'), 'hsm-pair');
        expect(fixed).toMatch(/\n {2}haonly\n\}/);
        expect(rules(after)).not.toContain('hsm-pair');
    });

    it('port-exposed on Catalyst: a firewall in front of the cache zone that denies the port from the edge', async () => {
        const { fixed, after } = await applyOnly(
            example('keystone-catalyst.hatopo'),
            'port-exposed',
            /11211/,
            /memcached wlg-cache/
        );
        expect(fixed).toContain(
            'firewall wlg-app-guard protects wlg-app {\n  deny tcp 11211 from wlg-edge\n  allow all\n}'
        );
        expect(
            (after.diagnostics ?? []).filter(
                d => d.code === 'port-exposed' && /memcached wlg-cache/.test(String(d.message))
            )
        ).toEqual([]);
    });

    it('port-exposed: a deny rule goes first in a firewall that already protects the place', async () => {
        const text = `region r {\n  zone edge 10.0.0.0/24 trust public { host lb 10.0.0.1 }\n  zone app 10.0.1.0/24 { host mc 10.0.1.1 host api 10.0.1.2 }\n}\nmemcached cache { servers mc }\nfirewall app-fw protects app {\n  allow tcp 22\n  allow all\n}\n`;
        const { fixed, after } = await applyOnly(text, 'port-exposed', /11211/);
        expect(fixed).toContain('firewall app-fw protects app {\n  deny tcp 11211 from edge\n  allow tcp 22\n');
        expect(rules(after)).not.toContain('port-exposed');
    });

    it('spof: a second API node, declared beside the first and added to the service', async () => {
        const text = `region r 10.0.0.0/24 {\n  host api1 10.0.0.10\n  host db 10.0.0.20\n}\nservice s port 5000 {\n  nodes api1\n}\n`;
        const { fixed, after } = await applyOnly(text, 'spof');
        expect(fixed).toContain('  host api1 10.0.0.10\n  host api2 10.0.0.11\n');
        expect(fixed).toContain('nodes api1, api2');
        expect(rules(after)).not.toContain('spof');
    });

    it('spof: a VIP held by one load balancer gets a backup holder that runs its haproxy', async () => {
        const text = `region r {\n  zone edge 10.0.0.0/24 { host lb1 10.0.0.5 }\n  zone app 10.0.1.0/24 { host api1 10.0.1.1 host api2 10.0.1.2 }\n}\nvip v 10.0.0.100 vrid 9 {\n  master lb1 priority 150\n}\nhaproxy h {\n  nodes lb1\n  frontend fe bind v port 5000 backend be\n  backend be { server api1 port 5000 server api2 port 5000 }\n}\nservice s port 5000 {\n  nodes api1, api2\n  frontend v\n}\n`;
        const { fixed, after } = await applyOnly(text, 'spof');
        expect(fixed).toContain('{ host lb1 10.0.0.5 host lb2 10.0.0.6 }');
        expect(fixed).toContain('backup lb2 priority 100');
        expect(fixed).toContain('nodes lb1, lb2');
        expect(rules(after)).not.toContain('spof');
    });

    it('fernet-keys: max_active_keys as the formula needs', async () => {
        const text = `region r { host a 10.0.0.1 host b 10.0.0.2 }\nservice keystone port 5000 {\n  nodes a, b\n  token fernet expiration 24h rotation 1h\n}\n`;
        const { fixed, after } = await applyOnly(text, 'fernet-keys');
        expect(fixed).toContain('token fernet expiration 24h rotation 1h max_active_keys 74');
        expect(rules(after)).not.toContain('fernet-keys');
    });

    it('rabbitmq-min-members: a third member from the same zone', async () => {
        const text = `region r {\n  zone z 10.0.0.0/24 { host q1 10.0.0.1 host q2 10.0.0.2 host spare 10.0.0.3 }\n}\nrabbitmq mq {\n  members q1, q2\n}\n`;
        const { fixed, after } = await applyOnly(text, 'rabbitmq-min-members');
        expect(fixed).toContain('members q1, q2, spare');
        expect(rules(after)).not.toContain('rabbitmq-min-members');
    });

    it('header-catalog: catalog omit', async () => {
        const text = `region r { host a 10.0.0.1 host b 10.0.0.2 }\nservice keystone port 5000 {\n  nodes a, b\n  token fernet\n}\n${Array.from({ length: 40 }, (_, i) => `service s${i} kind nova port ${8000 + i} { nodes a, b endpoints public, internal, admin }`).join('\n')}\nservice barbican port 9311 {\n  nodes a, b\n  path repose -> uwsgi\n}\n`;
        const { fixed, after } = await applyOnly(text, 'header-catalog');
        expect(fixed).toMatch(/path repose -> uwsgi\n {2}catalog omit\n\}/);
        expect(rules(after)).not.toContain('header-catalog');
    });

    it('vrrp-vrid-conflict: a VRID no other VIP uses', async () => {
        const text = `region r { host a 10.0.0.1 host b 10.0.0.2 }\nvip v1 10.0.0.100 vrid 1 {\n  master a priority 150\n  backup b priority 100\n}\nvip v2 10.0.0.101 vrid 1 {\n  master b priority 150\n  backup a priority 100\n}\n`;
        const { fixed, after } = await applyOnly(text, 'vrrp-vrid-conflict');
        expect(fixed).toContain('vip v2 10.0.0.101 vrid 2 {');
        expect(rules(after)).not.toContain('vrrp-vrid-conflict');
    });

    it('port-unreachable: allows the port from the zone that needs it, not from the public edge too', async () => {
        const text = `region a {
  zone a-edge 10.1.0.0/24 trust public { host lb 10.1.0.5 }
  zone a-db 10.1.1.0/24 { host a1 10.1.1.1 host a2 10.1.1.2 }
}
region b { zone b-db 10.2.1.0/24 { host b1 10.2.1.1 } }
firewall a-guard protects a-db {
  deny all from a-edge
  allow all
}
galera db { members a1, a2, b1 }
link ab: a <-> b {
  allow tcp 3306, 4567, 4444 from a-db
  allow tcp 3306, 4567, 4568, 4444 from b-db
}
`;
        const { document, actions } = await fixesOf(text, 'port-unreachable');
        // 'allow tcp 4568' alone would let the public edge reach b1's IST port (port-exposed): not offered.
        expect(actions.map(a => a.title)).toEqual(["Add 'allow tcp 4568 from a-db' to link ab"]);
        const after = await check(applied(document, actions[0]));
        expect(rules(after)).toEqual(rules(document).filter(rule => rule !== 'port-unreachable'));
    });

    it('edits the imported file that holds the blocking link', async () => {
        const documents = await checkFiles({
            'net.hatopo':
                'region a { host a1 10.1.0.1 host a2 10.1.0.2 }\nregion b { host b1 10.2.0.1 }\nlink ab: a <-> b {\n  allow tcp 3306, 4567, 4444\n}\n',
            'main.hatopo': 'import "net.hatopo"\ngalera db {\n  members a1, a2, b1\n}\n'
        });
        const main = documents.get('main.hatopo')!;
        const net = documents.get('net.hatopo')!;
        // The finding lies in main (the cluster); its fix edits net.hatopo.
        const diagnostic = (main.diagnostics ?? []).find(d => d.code === 'port-unreachable')!;
        expect(diagnostic).toBeDefined();
        const [action] = await fixesFor(main, diagnostic);
        expect(action.title).toBe("Add 'allow tcp 4568' to link ab");
        expect(Object.keys(action.edit!.changes!)).toEqual([net.uri.toString()]);
    });
});

describe('the checker', () => {
    it('rejects an edit that leaves the finding, and one that adds an error', async () => {
        const text = `region a { host a1 10.1.0.1 }\nregion b { host b1 10.2.0.1 }\nregion c { host c1 10.3.0.1 }\nlink ab: a <-> b { }\nlink ac: a <-> c { }\ngalera db {\n  members a1, b1\n}\n`;
        const document = await check(text);
        const finding = H.analysis.ModelCache.get(document).findings.find(f => f.rule === 'galera-min-members')!;
        const at = (needle: string, newText: string) => {
            const position = document.textDocument.positionAt(text.indexOf(needle));
            return { [document.uri.toString()]: [{ range: { start: position, end: position }, newText }] };
        };
        const nothing = await H.lsp.FixChecker.check(document, finding, at('}\n', '  sst rsync\n'));
        expect(nothing).toMatchObject({ ok: false, reason: 'the finding stays' });
        const blocked = await H.lsp.FixChecker.check(document, finding, at('  members', '  garbd c1\n'));
        expect(blocked.ok).toBe(false);
        expect(blocked.reason).toMatch(/adds error\|port-unreachable/);
        expect(blocked.after.errors).toBeLessThan(blocked.before.errors); // fewer errors, but a new one
        const broken = await H.lsp.FixChecker.check(document, finding, at('  members', '  garbd c1 {\n'));
        expect(broken).toMatchObject({ ok: false });
        // The user's workspace never saw those texts.
        expect(document.textDocument.getText()).toBe(text);
        expect(rules(document)).toEqual(rules(await check(text)));
    });
});
