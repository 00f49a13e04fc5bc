// The bundled language server, driven over stdio like an editor drives it: open a file, receive
// diagnostics with rule ids, edit, get them updated; hover, symbols and formatting answer.

import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
    createMessageConnection,
    StreamMessageReader,
    StreamMessageWriter,
    type MessageConnection
} from 'vscode-jsonrpc/node';
import { DiagramRequest, ExportRequest, LabRequest } from '../protocol/requests.js';

const root = path.resolve(import.meta.dirname, '..');
const uri = 'file:///virtual/demo.hatopo';
const TEXT = `region r 10.0.0.0/24 {
  host a 10.0.0.1
  host b 10.0.0.1
  host c 10.0.0.3
}
galera g { members a, b, d }
`;

interface Diagnostic {
    code?: string;
    message: string;
    range: { start: { line: number } };
}

let server: ChildProcess;
let connection: MessageConnection;
let capabilities: Record<string, unknown>;
const published: Array<{ uri: string; version?: number; diagnostics: Diagnostic[] }> = [];

function nextDiagnostics(predicate: (diagnostics: Diagnostic[]) => boolean): Promise<Diagnostic[]> {
    return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('no matching publishDiagnostics within 15 s')), 15_000);
        const poll = setInterval(() => {
            const match = published.find(entry => entry.uri === uri && predicate(entry.diagnostics));
            if (match) {
                clearInterval(poll);
                clearTimeout(timer);
                resolve(match.diagnostics);
            }
        }, 20);
    });
}

beforeAll(async () => {
    const bundle = path.join(root, 'out/server.cjs');
    if (!existsSync(bundle)) throw new Error('out/server.cjs is missing: npm test builds it first');
    server = spawn(process.execPath, [bundle, '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
    connection = createMessageConnection(
        new StreamMessageReader(server.stdout!),
        new StreamMessageWriter(server.stdin!)
    );
    connection.onNotification('textDocument/publishDiagnostics', (params: (typeof published)[number]) => {
        published.push(params);
    });
    connection.onRequest(() => null); // workspace/configuration, client/registerCapability …
    connection.listen();
    const initialized = (await connection.sendRequest('initialize', {
        processId: process.pid,
        rootUri: null,
        capabilities: {},
        workspaceFolders: null
    })) as { capabilities: Record<string, unknown> };
    capabilities = initialized.capabilities;
    connection.sendNotification('initialized', {});
    connection.sendNotification('textDocument/didOpen', {
        textDocument: { uri, languageId: 'hatopo', version: 1, text: TEXT }
    });
});

afterAll(async () => {
    const exited = new Promise(resolve => server.once('exit', resolve));
    try {
        await connection.sendRequest('shutdown');
        await connection.sendNotification('exit');
        await Promise.race([exited, new Promise(resolve => setTimeout(resolve, 3000))]);
    } finally {
        connection.dispose();
        if (server.exitCode === null) server.kill();
    }
});

describe('language server over stdio', () => {
    it('publishes diagnostics with rule ids when a file is opened', async () => {
        const diagnostics = await nextDiagnostics(list => list.length > 0);
        const codes = diagnostics.map(d => d.code);
        expect(codes).toContain('duplicate-address');
        expect(codes).toContain('unresolved-reference');
        expect(diagnostics.find(d => d.code === 'duplicate-address')!.message).toContain('10.0.0.1');
    });

    it('updates them as the user types', async () => {
        connection.sendNotification('textDocument/didChange', {
            textDocument: { uri, version: 2 },
            contentChanges: [{ text: TEXT.replace('host b 10.0.0.1', 'host b 10.0.0.2').replace('a, b, d', 'a, b, c') }]
        });
        const diagnostics = await nextDiagnostics(list => list.length === 0);
        expect(diagnostics).toEqual([]);
    });

    it('answers document symbols (outline) and formatting', async () => {
        const symbols = (await connection.sendRequest('textDocument/documentSymbol', {
            textDocument: { uri }
        })) as Array<{ name: string; children?: Array<{ name: string }> }>;
        expect(symbols.map(s => s.name)).toEqual(['r', 'g']);
        expect(symbols[0].children!.map(s => s.name)).toEqual(['a', 'b', 'c']);
        const edits = (await connection.sendRequest('textDocument/formatting', {
            textDocument: { uri },
            options: { tabSize: 2, insertSpaces: true }
        })) as unknown[];
        expect(edits.length).toBeGreaterThan(0); // `galera g { members a, b }` becomes a block
    });

    it('goes to the definition of a referenced host', async () => {
        const locations = (await connection.sendRequest('textDocument/definition', {
            textDocument: { uri },
            position: { line: 5, character: 20 }
        })) as Array<{ targetRange?: { start: { line: number } }; range?: { start: { line: number } } }>;
        const target = locations[0].targetRange ?? locations[0].range;
        expect(target!.start.line).toBe(1);
    });

    it('completes keywords and host names', async () => {
        // Inside `galera g { members a, b, c }`, right after "members ".
        const result = (await connection.sendRequest('textDocument/completion', {
            textDocument: { uri },
            position: { line: 5, character: 19 }
        })) as { items: Array<{ label: string }> } | Array<{ label: string }>;
        const labels = (Array.isArray(result) ? result : result.items).map(item => item.label);
        expect(labels).toEqual(expect.arrayContaining(['a', 'b', 'c']));
    });

    it('finds references and renames a host everywhere', async () => {
        const references = (await connection.sendRequest('textDocument/references', {
            textDocument: { uri },
            position: { line: 1, character: 8 },
            context: { includeDeclaration: true }
        })) as unknown[];
        expect(references).toHaveLength(2); // the declaration and `members a`
        const rename = (await connection.sendRequest('textDocument/rename', {
            textDocument: { uri },
            position: { line: 1, character: 8 },
            newName: 'db-a'
        })) as { changes: Record<string, Array<{ newText: string }>> };
        expect(rename.changes[uri].map(edit => edit.newText)).toEqual(['db-a', 'db-a']);
    });

    it('ignores documents of other languages, as other editors send them, and keeps running', async () => {
        // Neovim, Helix … may send didOpen for every buffer; the server used to die on the first one
        // ("The service registry contains no services for the extension '.txt'").
        const others = [
            { uri: 'file:///virtual/notes.txt', languageId: 'plaintext' },
            { uri: 'file:///virtual/README.md', languageId: 'markdown' },
            { uri: 'untitled:Untitled-1', languageId: 'plaintext' }
        ];
        for (const [i, other] of others.entries()) {
            connection.sendNotification('textDocument/didOpen', {
                textDocument: { ...other, version: 1, text: 'host x 10.0.0.1\n' }
            });
            connection.sendNotification('textDocument/didChange', {
                textDocument: { uri: other.uri, version: 2 },
                contentChanges: [{ text: `region r { host y${i} 10.0.0.2 }\n` }]
            });
            // Langium answers a request about a document it does not build with ServerCancelled
            // ("No document found"): as an error response, not as a result `{code: -32802}` that a
            // client would take for a hover (one copy of vscode-jsonrpc in the bundle, so its
            // ResponseError is the connection's).
            const hover = await connection
                .sendRequest('textDocument/hover', {
                    textDocument: { uri: other.uri },
                    position: { line: 0, character: 1 }
                })
                .catch((error: { code: number }) => error.code);
            expect([null, -32802]).toContain(hover);
            connection.sendNotification('textDocument/didClose', { textDocument: { uri: other.uri } });
        }
        const symbols = (await connection.sendRequest('textDocument/documentSymbol', {
            textDocument: { uri }
        })) as Array<{ name: string }>;
        expect(symbols.map(s => s.name)).toEqual(['r', 'g']);
        expect(server.exitCode).toBeNull();
        expect(published.filter(entry => others.some(other => other.uri === entry.uri))).toEqual([]);
    });

    it('forgets a closed document that is not on disk, and reads one that is back from disk', async () => {
        const latest = (of: string) => () =>
            (published.findLast(entry => entry.uri === of)?.diagnostics ?? []).map(d => d.code ?? '');
        const folder = mkdtempSync(path.join(tmpdir(), 'hatopo-server-close-'));
        try {
            const scratch = 'file:///virtual/scratch.hatopo';
            const onDisk = pathToFileURL(path.join(folder, 'disk.hatopo')).href;
            writeFileSync(new URL(onDisk), 'region d 10.8.0.0/16 { host saved 10.8.0.1 }\n');
            const open = (at: string, text: string) =>
                connection.sendNotification('textDocument/didOpen', {
                    textDocument: { uri: at, languageId: 'hatopo', version: 1, text }
                });
            open(scratch, 'region far 10.9.0.0/16 { host zz 10.9.0.1 }\n');
            open(onDisk, 'region d 10.8.0.0/16 { host typed 10.8.0.1 }\n');
            const user = 'file:///virtual/user.hatopo';
            const diskUser = pathToFileURL(path.join(folder, 'user.hatopo')).href;
            open(user, 'import "scratch.hatopo"\nrabbitmq mq { members zz }\n');
            open(diskUser, 'import "disk.hatopo"\nrabbitmq mq { members typed }\n');
            await expect.poll(latest(user), { timeout: 15_000 }).not.toContain('unresolved-reference');
            await expect.poll(latest(diskUser), { timeout: 15_000 }).not.toContain('unresolved-reference');
            connection.sendNotification('textDocument/didClose', { textDocument: { uri: scratch } });
            connection.sendNotification('textDocument/didClose', { textDocument: { uri: onDisk } });
            // scratch.hatopo is gone: its import and its host no longer resolve.
            await expect.poll(latest(user), { timeout: 15_000 }).toContain('unresolved-reference');
            // disk.hatopo is what was saved: `typed` was never saved, `saved` is there.
            await expect.poll(latest(diskUser), { timeout: 15_000 }).toContain('unresolved-reference');
            connection.sendNotification('textDocument/didChange', {
                textDocument: { uri: diskUser, version: 2 },
                contentChanges: [{ text: 'import "disk.hatopo"\nrabbitmq mq { members saved }\n' }]
            });
            await expect.poll(latest(diskUser), { timeout: 15_000 }).not.toContain('unresolved-reference');
            for (const at of [user, diskUser])
                connection.sendNotification('textDocument/didClose', { textDocument: { uri: at } });
        } finally {
            rmSync(folder, { recursive: true, force: true });
        }
    });

    it('draws the diagram and exports the configs on request', async () => {
        // The typed requests of protocol/requests.ts (vscode-jsonrpc's RequestType), as the client sends them.
        const diagram = await connection.sendRequest(DiagramRequest, { uri, failures: ['host:a'] });
        expect(diagram.svg).toContain('<svg');
        expect(diagram.regions).toEqual(['r']);
        expect(diagram.whatIf.join('\n')).toContain('galera g: weight 2 of 3');
        const folder = mkdtempSync(path.join(tmpdir(), 'hatopo-server-export-'));
        try {
            const result = await connection.sendRequest(ExportRequest, { uri, folder, force: false });
            expect(result.ok).toBe(true);
            expect(result.ok && result.written).toEqual(
                expect.arrayContaining(['a/galera.cnf', 'b/galera.cnf', 'c/galera.cnf', 'inventory/multinode'])
            );
            expect(readFileSync(path.join(folder, 'a/galera.cnf'), 'utf8')).toContain(
                'wsrep_cluster_address = gcomm://10.0.0.1,10.0.0.2,10.0.0.3'
            );
        } finally {
            rmSync(folder, { recursive: true, force: true });
        }
    });

    it('answers the lab request (a malformed what-if is refused before anything starts)', async () => {
        // A well-formed one would boot a real lab on this machine: test/lab/lab-request.test.ts does.
        const result = await connection.sendRequest(LabRequest, {
            uri: 'file:///nowhere/x.hatopo',
            failures: ['moon:x'],
            progressId: 'p'
        });
        expect(result).toEqual({
            ok: false,
            reason: 'input',
            message: "'moon:x' is not region:NAME, host:NAME or link:NAME"
        });
    });

    describe('on examples/keystone-catalyst.hatopo', () => {
        const catalyst = 'file:///virtual/keystone-catalyst.hatopo';
        const text = readFileSync(path.join(root, 'examples/keystone-catalyst.hatopo'), 'utf8');
        const whole = { start: { line: 0, character: 0 }, end: { line: text.split('\n').length, character: 0 } };

        beforeAll(() => {
            connection.sendNotification('textDocument/didOpen', {
                textDocument: { uri: catalyst, languageId: 'hatopo', version: 1, text }
            });
        });

        it('advertises semantic tokens, inlay hints, document links and selection ranges', () => {
            expect(capabilities.semanticTokensProvider).toMatchObject({
                legend: { tokenTypes: expect.arrayContaining(['namespace', 'variable', 'keyword', 'type']) },
                full: expect.anything()
            });
            expect(capabilities.inlayHintProvider).toBeTruthy();
            expect(capabilities.documentLinkProvider).toBeTruthy();
            expect(capabilities.selectionRangeProvider).toBe(true);
            expect(capabilities.completionProvider).toBeTruthy();
            expect(capabilities.codeLensProvider).toBeTruthy();
        });

        it('answers semantic tokens and inlay hints, both non-empty', async () => {
            const tokens = (await connection.sendRequest('textDocument/semanticTokens/full', {
                textDocument: { uri: catalyst }
            })) as { data: number[] };
            expect(tokens.data.length / 5).toBeGreaterThan(500);
            const hints = (await connection.sendRequest('textDocument/inlayHint', {
                textDocument: { uri: catalyst },
                range: whole
            })) as Array<{ label: string }>;
            expect(hints.map(hint => hint.label)).toContain('worst loss region:wlg: 6 of 9, Primary');
        });

        it('offers the checked galera-wan-settings quick fix for the published diagnostic', async () => {
            const diagnostics = await new Promise<Diagnostic[]>((resolve, reject) => {
                const timer = setTimeout(() => reject(new Error('no diagnostics for the Catalyst example')), 15_000);
                const poll = setInterval(() => {
                    const entry = published.find(p => p.uri === catalyst && p.diagnostics.length > 0);
                    if (entry) {
                        clearInterval(poll);
                        clearTimeout(timer);
                        resolve(entry.diagnostics);
                    }
                }, 20);
            });
            const wan = diagnostics.find(d => d.code === 'galera-wan-settings')!;
            expect(wan).toBeDefined();
            const actions = (await connection.sendRequest('textDocument/codeAction', {
                textDocument: { uri: catalyst },
                range: wan.range,
                context: { diagnostics: [wan] }
            })) as Array<{ title: string; edit: { changes: Record<string, unknown[]> } }>;
            expect(actions.map(a => a.title)).toEqual([expect.stringMatching(/^Use WAN settings: segments by region/)]);
            expect(Object.keys(actions[0].edit.changes)).toEqual([catalyst]);
        });

        it('answers code lenses with figures, selection ranges and import links', async () => {
            const lenses = (await connection.sendRequest('textDocument/codeLens', {
                textDocument: { uri: catalyst }
            })) as Array<{
                command: { title: string };
            }>;
            expect(lenses.map(lens => lens.command.title)).toContain(
                'survives: any 1 region · any 1 host (worst: 6 of 9)'
            );
            const line = text.split('\n').findIndex(l => l.startsWith('galera keystone-db'));
            const [selection] = (await connection.sendRequest('textDocument/selectionRange', {
                textDocument: { uri: catalyst },
                positions: [{ line, character: 9 }]
            })) as Array<{ range: { start: { character: number }; end: { character: number } }; parent?: unknown }>;
            expect(selection.range).toMatchObject({ start: { character: 7 }, end: { character: 18 } });
            expect(selection.parent).toBeDefined();
            const importer = 'file:///virtual/importer.hatopo';
            connection.sendNotification('textDocument/didOpen', {
                textDocument: {
                    uri: importer,
                    languageId: 'hatopo',
                    version: 1,
                    text: 'import "keystone-catalyst.hatopo"\n'
                }
            });
            const links = (await connection.sendRequest('textDocument/documentLink', {
                textDocument: { uri: importer }
            })) as Array<{
                target: string;
            }>;
            expect(links.map(link => link.target)).toEqual([catalyst]);
        });
    });
});
