// Langium reports lexer, parser and linker problems with its own codes; hatopo names them by the
// stable rule ids that the CLI, SARIF and settings use.

import {
    AstUtils,
    DefaultDocumentValidator,
    DocumentValidator,
    GrammarAST,
    interruptAndCheck,
    type AstNode,
    type LangiumDocument,
    type ValidationAcceptor,
    type ValidationCheck,
    type ValidationOptions
} from 'langium';
import { forEachAstNode } from './ast-walk.js';
import { HatopoGrammar } from './generated/grammar.js';
import type { Diagnostic } from 'vscode-languageserver-types';
import { CancellationToken } from 'vscode-languageserver-protocol';
import type { SuggestingLinkingError } from './hatopo-linker.js';

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

    /**
     * Langium's loop, which awaits twice for each of the 100,000 nodes of a big file, most of which
     * have no check: the same checks on the same nodes in the same order, awaiting only checks.
     */
    protected override async validateAstNodes(
        rootNode: AstNode,
        options: ValidationOptions,
        acceptor: ValidationAcceptor,
        cancelToken = CancellationToken.None
    ): Promise<void> {
        const checksOf = new Map<string, ValidationCheck[]>();
        const checked: Array<[AstNode, ValidationCheck[]]> = [];
        forEachAstNode(rootNode, node => {
            let checks = checksOf.get(node.$type);
            if (!checks) {
                checks = this.validationRegistry.getChecks(node.$type, options.categories).toArray();
                checksOf.set(node.$type, checks);
            }
            if (checks.length > 0) checked.push([node, checks]);
        });
        for (const [node, checks] of checked) {
            await interruptAndCheck(cancelToken);
            for (const check of checks) await check(node, acceptor, cancelToken);
        }
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

    /** Unresolved references carry the nearest names in scope, for the quick fix (lsp/reference-fixes.ts). */
    protected override processLinkingErrors(
        document: LangiumDocument,
        diagnostics: Diagnostic[],
        options: ValidationOptions
    ): void {
        const before = diagnostics.length;
        super.processLinkingErrors(document, diagnostics, options);
        const errors = document.references.flatMap(reference => (reference.error ? [reference.error] : []));
        const linking = diagnostics.splice(before);
        linking.forEach((diagnostic, index) => {
            const error = errors[index] as Partial<SuggestingLinkingError> | undefined;
            if (error?.suggestions)
                diagnostic.data = { ...(diagnostic.data as object), suggestions: error.suggestions };
        });
        // In the order of the text: Langium lists them in the order the references were resolved,
        // which after an edit of another file (resolving some of this file's references early) is
        // not the order of a fresh build.
        linking.sort(
            (a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character
        );
        diagnostics.push(...linking.filter(diagnostic => !beforeSyntaxError(document, diagnostic)));
    }
}

/**
 * A keyword taken as a name just before a syntax error is the typo's echo, not a second mistake:
 * `members a, b,` then `sst mariabackup` reads `sst` as a member. One typo, one error.
 */
function beforeSyntaxError(document: LangiumDocument, diagnostic: Diagnostic): boolean {
    const refText = (diagnostic.data as { refText?: string } | undefined)?.refText;
    if (!refText || !/^[A-Za-z_][\w-]*$/.test(refText) || !KEYWORDS.has(refText)) return false;
    const text = document.textDocument.getText();
    const end = document.textDocument.offsetAt(diagnostic.range.end);
    return document.parseResult.parserErrors.some(error => {
        const start = error.token.startOffset;
        return Number.isFinite(start) && start >= end && text.slice(end, start).trim() === '';
    });
}

const KEYWORDS = new Set(
    HatopoGrammar()
        .rules.flatMap(rule => AstUtils.streamAllContents(rule).filter(GrammarAST.isKeyword).toArray())
        .map(keyword => keyword.value)
);
