// Langium reports lexer, parser and linker problems with its own codes; hatopo names them by the
// stable rule ids that the CLI, SARIF and settings use.

import { DefaultDocumentValidator, DocumentValidator, type LangiumDocument, type ValidationOptions } from 'langium';
import type { Diagnostic } from 'vscode-languageserver-types';
import type { CancellationToken } from 'vscode-languageserver-protocol';
import type { SuggestingLinkingError } from './hatopo-linker.js';

const RULE_OF_CODE: Record<string, string> = {
    [DocumentValidator.LexingError]: 'syntax-error',
    [DocumentValidator.ParsingError]: 'syntax-error',
    [DocumentValidator.LinkingError]: 'unresolved-reference'
};

export class HatopoDocumentValidator extends DefaultDocumentValidator {
    override async validateDocument(
        document: LangiumDocument,
        options?: ValidationOptions,
        cancelToken?: CancellationToken
    ): Promise<Diagnostic[]> {
        const diagnostics = await super.validateDocument(document, options, cancelToken);
        for (const diagnostic of diagnostics) {
            const langiumCode = (diagnostic.data as { code?: string } | undefined)?.code;
            const rule = langiumCode ? RULE_OF_CODE[langiumCode] : undefined;
            if (rule) diagnostic.code = rule;
            // Langium's report of a check that threw: named, so the CLI and the editor agree.
            else if (diagnostic.code === undefined) diagnostic.code = 'internal-error';
        }
        return diagnostics;
    }

    /** Unresolved references carry the nearest names in scope, for the quick fix (lsp/reference-fixes.ts). */
    protected override processLinkingErrors(
        document: LangiumDocument,
        diagnostics: Diagnostic[],
        options: ValidationOptions
    ): void {
        const before = diagnostics.length;
        super.processLinkingErrors(document, diagnostics, options);
        const errors = document.references.flatMap(reference => (reference.error ? [reference.error] : []));
        diagnostics.slice(before).forEach((diagnostic, index) => {
            const suggestions = (errors[index] as Partial<SuggestingLinkingError> | undefined)?.suggestions;
            if (suggestions) diagnostic.data = { ...(diagnostic.data as object), suggestions };
        });
    }
}
