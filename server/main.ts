// The language server: Langium's LSP over the hatopo services (diagnostics as you type, completion,
// hover, definition, references, rename, outline, folding, formatting, quick fixes) plus the
// preview's diagram request and the export command.

import { startLanguageServer } from 'langium/lsp';
import { NodeFileSystem } from 'langium/node';
import { createConnection, ProposedFeatures, type CancellationToken } from 'vscode-languageserver/node';
import { EXPORT_REQUEST, type ExportParams } from '../protocol/messages.js';
import { DiagramRequest, onRequest } from '../protocol/requests.js';
import { createHatopoServices } from '../language/hatopo-module.js';
import { enableCompileCache } from './compile-cache.js';
import { DiagramRequestHandler } from './diagram-request.js';
import { handleExport } from './export-request.js';
import { keepHeapNearLive } from './heap-keeper.js';

// For what loads later (ELK, out/elk.cjs, with the first drawing), and the CLI's bundles.
enableCompileCache();

const connection = createConnection(ProposedFeatures.all);
const { shared, Hatopo } = createHatopoServices({ connection, ...NodeFileSystem });
const diagrams = new DiagramRequestHandler(shared, Hatopo);
onRequest(connection, DiagramRequest, (params, token: CancellationToken) => diagrams.handle(params, token));
connection.onRequest(EXPORT_REQUEST, (params: ExportParams, token) => handleExport(shared, Hatopo, params, token));
keepHeapNearLive(shared);
startLanguageServer(shared);
