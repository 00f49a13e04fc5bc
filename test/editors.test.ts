// docs/editors.md is tested as written: Neovim runs headless with the documented Lua (the real
// built-in LSP client), and the documented Helix command gets the LSP handshake, a file and
// returns its diagnostics. Both start out/server.cjs exactly as the configs say.

import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';

const root = path.resolve(import.meta.dirname, '..');
const doc = readFileSync(path.join(root, 'docs/editors.md'), 'utf8');
const scratch = mkdtempSync(path.join(tmpdir(), 'hatopo-editors-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** The first fenced block of a language in the doc, with the clone's path filled in. */
function block(language: string): string {
    const match = new RegExp('```' + language + '\\n([\\s\\S]*?)```').exec(doc);
    if (!match) throw new Error(`docs/editors.md has no ${language} block`);
    return match[1].replaceAll('/path/to/hatopo', root);
}

/** `node` on PATH must be 22+: the repository's own Node comes first, as under `npm test`. */
const env = { ...process.env, PATH: `${path.dirname(process.execPath)}${path.delimiter}${process.env.PATH ?? ''}` };

describe('docs/editors.md', () => {
    it('Neovim: the documented init.lua starts the server and receives diagnostics with rule ids', async () => {
        const nvim = spawnSync('nvim', ['--version'], { encoding: 'utf8' });
        if (nvim.error) throw new Error('nvim is not installed: apt-get install neovim (.ci/run installs it)');
        if (!existsSync(path.join(root, 'out/server.cjs')))
            throw new Error('out/server.cjs is missing: npm test builds it');
        const config = path.join(scratch, 'init.lua');
        writeFileSync(config, block('lua'));
        const result = path.join(scratch, 'nvim-result.json');
        const driver = path.join(scratch, 'driver.lua');
        // Waits for the diagnostics, asks for a hover on the cluster, writes what it saw, quits.
        writeFileSync(
            driver,
            `
local done = vim.wait(30000, function() return #vim.diagnostic.get(0) > 0 end, 50)
local seen = {}
for _, d in ipairs(vim.diagnostic.get(0)) do
  local code = d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code)
  table.insert(seen, { code = code, message = d.message, line = d.lnum })
end
local line = vim.fn.search('^galera keystone-db') - 1
local hover = vim.lsp.buf_request_sync(0, 'textDocument/hover', {
  textDocument = { uri = vim.uri_from_bufnr(0) },
  position = { line = line, character = 8 },
}, 10000)
local text = ''
for _, response in pairs(hover or {}) do
  if response.result and response.result.contents then text = text .. (response.result.contents.value or '') end
end
local clients = vim.lsp.get_active_clients()
local file = io.open(${JSON.stringify(result)}, 'w')
file:write(vim.fn.json_encode({ done = done, filetype = vim.bo.filetype, clients = #clients,
  name = clients[1] and clients[1].name or '', diagnostics = seen, hover = text }))
file:close()
vim.cmd('qa!')
`
        );
        const example = path.join(root, 'examples/keystone-catalyst.hatopo');
        const child = spawn(
            'nvim',
            ['--headless', '-n', '-i', 'NONE', '-u', config, '-c', `luafile ${driver}`, example],
            {
                cwd: scratch,
                env: { ...env, XDG_CONFIG_HOME: scratch, XDG_DATA_HOME: scratch, XDG_STATE_HOME: scratch },
                stdio: ['ignore', 'pipe', 'pipe'],
                detached: true
            }
        );
        let output = '';
        child.stdout!.on('data', chunk => (output += chunk));
        child.stderr!.on('data', chunk => (output += chunk));
        try {
            const code = await new Promise<number | null>((resolve, reject) => {
                const timer = setTimeout(() => reject(new Error(`nvim did not finish in 60 s: ${output}`)), 60_000);
                child.once('exit', code => {
                    clearTimeout(timer);
                    resolve(code);
                });
            });
            expect(code, output).toBe(0);
        } finally {
            // nvim stops its language server on exit; whatever of that process group is left goes too.
            try {
                process.kill(-child.pid!, 'SIGKILL');
            } catch {
                // already gone
            }
        }
        const seen = JSON.parse(readFileSync(result, 'utf8')) as {
            done: boolean;
            filetype: string;
            clients: number;
            name: string;
            diagnostics: Array<{ code: string; message: string }>;
            hover: string;
        };
        expect(seen).toMatchObject({ done: true, filetype: 'hatopo', clients: 1, name: 'hatopo' });
        expect(seen.diagnostics.map(d => d.code)).toContain('galera-wan-settings');
        expect(seen.hover).toContain('total weight 9');
    }, 90_000);

    it('Helix: the documented language server command answers initialize, didOpen and publishes diagnostics', async () => {
        const toml = block('toml');
        const command = /^command = "([^"]+)"$/m.exec(toml)![1];
        const args = JSON.parse(/^args = (\[.*\])$/m.exec(toml)![1]) as string[];
        expect(toml).toMatch(/^file-types = \["hatopo"\]$/m);
        expect(toml).toMatch(/^language-servers = \["hatopo"\]$/m);
        const server = spawn(command, args, { env, stdio: ['pipe', 'pipe', 'inherit'] });
        const connection = createMessageConnection(
            new StreamMessageReader(server.stdout!),
            new StreamMessageWriter(server.stdin!)
        );
        const uri = pathToFileURL(path.join(root, 'examples/keystone-catalyst.hatopo')).toString();
        const diagnostics = new Promise<Array<{ code?: string }>>((resolve, reject) => {
            const timer = setTimeout(() => reject(new Error('no diagnostics within 30 s')), 30_000);
            connection.onNotification(
                'textDocument/publishDiagnostics',
                (params: { uri: string; diagnostics: Array<{ code?: string }> }) => {
                    if (params.uri !== uri || params.diagnostics.length === 0) return;
                    clearTimeout(timer);
                    resolve(params.diagnostics);
                }
            );
        });
        connection.onRequest(() => null);
        connection.listen();
        try {
            // Helix sends the root it found (here the examples folder, it holds no hatopo.json or .git of its own).
            const init = (await connection.sendRequest('initialize', {
                processId: process.pid,
                rootUri: pathToFileURL(path.join(root, 'examples')).toString(),
                capabilities: { textDocument: { publishDiagnostics: {} } },
                workspaceFolders: [{ uri: pathToFileURL(path.join(root, 'examples')).toString(), name: 'examples' }]
            })) as { capabilities: Record<string, unknown> };
            expect(init.capabilities.hoverProvider).toBe(true);
            connection.sendNotification('initialized', {});
            connection.sendNotification('textDocument/didOpen', {
                textDocument: {
                    uri,
                    languageId: 'hatopo',
                    version: 1,
                    text: readFileSync(path.join(root, 'examples/keystone-catalyst.hatopo'), 'utf8')
                }
            });
            expect((await diagnostics).map(d => d.code)).toContain('galera-wan-settings');
            await connection.sendRequest('shutdown');
            connection.sendNotification('exit');
            await new Promise(resolve =>
                server.exitCode !== null ? resolve(undefined) : server.once('exit', resolve)
            );
        } finally {
            connection.dispose();
            if (server.exitCode === null) server.kill();
        }
    }, 60_000);
});
