// Langium's language server plus what it does not offer: selection ranges (expand selection),
// advertised in the capabilities and answered from the syntax tree.

import { DocumentState } from 'langium';
import { createServerRequestHandler, DefaultLanguageServer, type LangiumSharedServices } from 'langium/lsp';
import type { InitializeParams, InitializeResult, SelectionRange, SelectionRangeParams } from 'vscode-languageserver';
import { selectionRanges } from './hatopo-selection-ranges.js';

export class HatopoLanguageServer extends DefaultLanguageServer {
    constructor(services: LangiumSharedServices) {
        super(services);
        services.lsp.Connection?.onSelectionRanges(
            createServerRequestHandler<SelectionRangeParams, SelectionRange[], SelectionRange[]>(
                (_language, document, params) => selectionRanges(document, params.positions),
                services,
                DocumentState.Parsed
            )
        );
    }

    protected override buildInitializeResult(params: InitializeParams): InitializeResult {
        const result = super.buildInitializeResult(params);
        return { ...result, capabilities: { ...result.capabilities, selectionRangeProvider: true } };
    }
}
