// The language server: Langium's LSP over the hatopo services (diagnostics as you type, completion,
// hover, definition, references, rename, outline, folding, formatting, quick fixes) plus the
// preview's diagram request, the export command and the lab (run as the bundled CLI beside this file).

import * as path from 'node:path';
import { startLanguageServer } from 'langium/lsp';
import { NodeFileSystem } from 'langium/node';
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { DiagramRequest, ExportRequest, LabProgressNotification, LabRequest } from '../protocol/requests.js';
import { createHatopoServices } from '../language/hatopo-module.js';
import { enableCompileCache } from './compile-cache.js';
import { DiagramRequestHandler } from './diagram-request.js';
import { handleExport } from './export-request.js';
import { keepHeapNearLive } from './heap-keeper.js';
import { cliLabRunner, LabRequestHandler } from './lab-request.js';

// For what loads later (ELK, out/elk.cjs, with the first drawing), and the CLI's bundles.
enableCompileCache();

const connection = createConnection(ProposedFeatures.all);
const { shared, Hatopo } = createHatopoServices({ connection, ...NodeFileSystem });
const diagrams = new DiagramRequestHandler(shared, Hatopo);
// out/server.cjs and out/cli.cjs are bundled side by side (the bundle is CommonJS: __dirname is its folder).
const here = typeof __dirname === 'string' ? __dirname : path.dirname(process.argv[1] ?? '.');
const lab = new LabRequestHandler({
    runner: cliLabRunner(path.join(here, 'cli.cjs')),
    notify: progress => void connection.sendNotification(LabProgressNotification, progress)
});
connection.onRequest(DiagramRequest, (params, token) => diagrams.handle(params, token));
connection.onRequest(ExportRequest, (params, token) => handleExport(shared, Hatopo, params, token));
connection.onRequest(LabRequest, (params, token) => lab.handle(params, token));
// A lab still running when the editor goes away tears down what it started.
process.on('exit', () => lab.stop());
keepHeapNearLive(shared);
startLanguageServer(shared);
