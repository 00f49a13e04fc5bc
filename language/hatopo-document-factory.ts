// A changed document lets go of its old syntax tree before the new one is parsed, not after: at
// 20,000 hosts the tree is about 100 MB, and Langium otherwise holds both while it parses, which is
// the server's peak memory. Until the parse finishes the document reads as an empty file.

import { DefaultLangiumDocumentFactory, type LangiumDocument, type ParseResult } from 'langium';
import type { CancellationToken } from 'vscode-languageserver-protocol';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Document } from './generated/ast.js';

export class HatopoDocumentFactory extends DefaultLangiumDocumentFactory {
    protected override async getUpdatedText(
        document: LangiumDocument,
        textDocument: TextDocument | undefined,
        cancellationToken: CancellationToken
    ): Promise<string> {
        const text = await super.getUpdatedText(document, textDocument, cancellationToken);
        const root = document.parseResult.value;
        if (root.$cstNode !== undefined && root.$cstNode.root.fullText !== text) releaseParseResult(document);
        return text;
    }
}

/** Replaces a document's syntax tree by an empty file's until it is parsed again. */
export function releaseParseResult(document: LangiumDocument): void {
    const empty = { $type: 'Document', imports: [], elements: [], $document: document } as unknown as Document;
    (document as { parseResult: ParseResult }).parseResult = { value: empty, lexerErrors: [], parserErrors: [] };
}
