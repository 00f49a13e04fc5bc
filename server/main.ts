// The language server: Langium's LSP over the hatopo services (diagnostics as you type, completion,
// hover, definition, references, rename, outline, folding, formatting).

import { startLanguageServer } from 'langium/lsp';
import { NodeFileSystem } from 'langium/node';
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { createHatopoServices } from '../language/hatopo-module.js';

const connection = createConnection(ProposedFeatures.all);
const { shared } = createHatopoServices({ connection, ...NodeFileSystem });
startLanguageServer(shared);
