// Langium reports lexer, parser and linker problems with its own codes; hatopo names them by the
// stable rule ids that the CLI, SARIF and settings use.

import {
    DefaultDocumentValidator,
    DocumentValidator,
    type AstNode,
    type LangiumDocument,
    type ValidationOptions
} from 'langium';
import type { Diagnostic } from 'vscode-languageserver-types';
import type { CancellationToken } from 'vscode-languageserver-protocol';

const RULE_OF_CODE: Record<string, string> = {
    [DocumentValidator.LexingError]: 'syntax-error',
    [DocumentValidator.ParsingError]: 'syntax-error',
    [DocumentValidator.LinkingError]: 'unresolved-reference'
};

export class HatopoDocumentValidator extends DefaultDocumentValidator {
    // Langium appends the checks' diagnostics with `push(...list)`, which overflows the stack past about
    // 120,000 of them (a generated file with one mistake per line) and loses them all: they are handed
    // over here instead and appended one by one.
    private readonly fromChecks = new WeakMap<AstNode, Diagnostic[]>();

    protected override async validateAst(
        rootNode: AstNode,
        options: ValidationOptions,
        cancelToken?: CancellationToken
    ): Promise<Diagnostic[]> {
        this.fromChecks.set(rootNode, await super.validateAst(rootNode, options, cancelToken));
        return [];
    }

    override async validateDocument(
        document: LangiumDocument,
        options?: ValidationOptions,
        cancelToken?: CancellationToken
    ): Promise<Diagnostic[]> {
        const diagnostics = await super.validateDocument(document, options, cancelToken);
        const root = document.parseResult.value;
        for (const diagnostic of this.fromChecks.get(root) ?? []) diagnostics.push(diagnostic);
        this.fromChecks.delete(root);
        for (const diagnostic of diagnostics) {
            const langiumCode = (diagnostic.data as { code?: string } | undefined)?.code;
            const rule = langiumCode ? RULE_OF_CODE[langiumCode] : undefined;
            if (rule) diagnostic.code = rule;
            // Langium's report of a check that threw: named, so the CLI and the editor agree.
            else if (diagnostic.code === undefined) diagnostic.code = 'internal-error';
        }
        return diagnostics;
    }
}
