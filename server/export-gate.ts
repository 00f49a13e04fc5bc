// The one rule for when an export is refused, for `hatopo export` and the editor's "Export Configs":
// a syntax or reference error anywhere in the topology (the file or what it imports) means the model
// is missing parts, so the files would be wrong without saying so. The design's own errors do not
// block: the exported files are how an operator tries a fix.

import type { LangiumDocument } from 'langium';
import type { Diagnostic } from 'vscode-languageserver-types';

const BLOCKING_RULES: ReadonlySet<unknown> = new Set(['syntax-error', 'unresolved-reference']);

export interface ExportBlock {
    /** How many blocking errors the documents have. */
    count: number;
    /** The first of them, to point at. */
    document: LangiumDocument;
    diagnostic: Diagnostic;
}

/** Why `documents` (one topology) cannot be exported, or undefined when it can. */
export function exportBlock(documents: readonly LangiumDocument[]): ExportBlock | undefined {
    let block: ExportBlock | undefined;
    for (const document of documents) {
        for (const diagnostic of document.diagnostics ?? []) {
            if (!BLOCKING_RULES.has(diagnostic.code)) continue;
            block ??= { count: 0, document, diagnostic };
            block.count++;
        }
    }
    return block;
}

/** `FILE:LINE:COL: N syntax or reference errors: fix them before exporting`, with the host's file name. */
export function exportBlockMessage(block: ExportBlock, file: string): string {
    const { line, character } = block.diagnostic.range.start;
    const errors = `${block.count} syntax or reference error${block.count === 1 ? '' : 's'}`;
    return `${file}:${line + 1}:${character + 1}: ${errors}: fix them before exporting`;
}
