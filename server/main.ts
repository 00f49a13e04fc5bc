// The language server: Langium's LSP over the hatopo services (diagnostics as you type, completion,
// hover, definition, references, rename, outline, folding, formatting, quick fixes) plus the
// preview's diagram request.

import { startLanguageServer } from 'langium/lsp';
import { NodeFileSystem } from 'langium/node';
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { DIAGRAM_REQUEST, type DiagramParams } from '../client/protocol.js';
import { createHatopoServices } from '../language/hatopo-module.js';
import { DiagramRequestHandler } from './diagram-request.js';

const connection = createConnection(ProposedFeatures.all);
const { shared, Hatopo } = createHatopoServices({ connection, ...NodeFileSystem });
const diagrams = new DiagramRequestHandler(shared, Hatopo);
connection.onRequest(DIAGRAM_REQUEST, (params: DiagramParams, token) => diagrams.handle(params, token));
startLanguageServer(shared);
