// The one rule for when an export is refused, for `hatopo export` and the editor's "Export Configs":
// - a syntax or reference error anywhere in the topology (the file or what it imports) means the
//   model is missing parts, so the files would be wrong without saying so;
// - an invalid value (a port over 65535, a line break in a health-check path …) would be written into
//   a config file: the model's own problems, which hatopo.json and hatopo-ignore cannot silence.
// The design's other errors do not block: the exported files are how an operator tries a fix.

import { URI, type LangiumDocument } from 'langium';
import { exportBlockers } from '../language/export/export-all.js';
import type { SourceRange, TopologyModel } from '../language/model/model.js';

const BLOCKING_RULES: ReadonlySet<unknown> = new Set(['syntax-error', 'unresolved-reference']);

export interface ExportBlock {
    /** How many blocking problems the topology has, of the first one's kind. */
    count: number;
    kind: 'syntax or reference error' | 'invalid value';
    /** The first of them, to point at. */
    uri: URI;
    start: SourceRange['start'];
    message: string;
}

/** Why one topology (its documents and their model) cannot be exported, or undefined when it can. */
export function exportBlock(documents: readonly LangiumDocument[], model: TopologyModel): ExportBlock | undefined {
    let block: ExportBlock | undefined;
    for (const document of documents) {
        for (const diagnostic of document.diagnostics ?? []) {
            if (!BLOCKING_RULES.has(diagnostic.code)) continue;
            block ??= {
                count: 0,
                kind: 'syntax or reference error',
                uri: document.uri,
                start: diagnostic.range.start,
                message: typeof diagnostic.message === 'string' ? diagnostic.message : ''
            };
            block.count++;
        }
    }
    if (block) return block;
    const invalid = exportBlockers(model);
    if (invalid.length === 0) return undefined;
    const [first] = invalid;
    return {
        count: invalid.length,
        kind: 'invalid value',
        uri: URI.parse(first.source.uri),
        start: first.source.start,
        message: first.message
    };
}

/** `FILE:LINE:COL: N invalid values, nothing exported: …`, with the host's way of naming the file. */
export function exportBlockMessage(block: ExportBlock, file: string): string {
    const { line, character } = block.start;
    const what = `${block.count} ${block.kind}${block.count === 1 ? '' : 's'}`;
    const why = block.kind === 'invalid value' ? `nothing exported: ${block.message}` : 'fix them before exporting';
    return `${file}:${line + 1}:${character + 1}: ${what}: ${why}`;
}
