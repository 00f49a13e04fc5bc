// Every editor request answers on text being typed: the Catalyst example cut short at many places
// (as a user types it from the top) never makes a provider throw.

import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { LangiumDocument } from 'langium';
import { describe, expect, it } from 'vitest';
import { check, services } from './helpers.js';

const H = services.Hatopo;
const CATALYST = readFileSync(path.resolve(import.meta.dirname, '../examples/keystone-catalyst.hatopo'), 'utf8');

async function everyRequest(document: LangiumDocument, offset: number): Promise<void> {
    const textDocument = { uri: document.uri.toString() };
    const position = document.textDocument.positionAt(offset);
    const middle = document.textDocument.positionAt(Math.floor(offset / 2));
    const range = { start: { line: 0, character: 0 }, end: position };
    await H.lsp.CompletionProvider!.getCompletion(document, { textDocument, position });
    await H.lsp.HoverProvider!.getHoverContent(document, { textDocument, position: middle });
    await H.lsp.SemanticTokenProvider!.semanticHighlight(document, { textDocument });
    await H.lsp.InlayHintProvider!.getInlayHints(document, { textDocument, range });
    await H.lsp.DocumentSymbolProvider!.getSymbols(document, { textDocument });
    await H.lsp.CodeLensProvider!.provideCodeLens(document, { textDocument });
    await H.lsp.DocumentLinkProvider!.getDocumentLinks(document, { textDocument });
    for (const diagnostic of (document.diagnostics ?? []).slice(0, 2))
        await H.lsp.CodeActionProvider!.getCodeActions(document, {
            textDocument,
            range: diagnostic.range,
            context: { diagnostics: [diagnostic] }
        });
}

describe('editor requests on a file being typed', () => {
    it('never throw, wherever the text stops', async () => {
        const start = CATALYST.indexOf('topology ');
        const cuts: number[] = [];
        for (let offset = start; offset < CATALYST.length; offset += 97) cuts.push(offset);
        for (const offset of cuts) {
            const text = CATALYST.slice(0, offset);
            const document = await check(text);
            await expect(everyRequest(document, text.length), `cut at ${offset}`).resolves.toBeUndefined();
        }
    }, 120_000);
});
