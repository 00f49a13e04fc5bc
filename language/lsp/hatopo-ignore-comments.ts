// Rule ids inside `// hatopo-ignore RULE[, RULE…]` comments, where the editor colours, completes and
// explains them. The comment's syntax is settings.ts's (`suppressions`); this finds the ids' places.

export interface RuleIdInComment {
    id: string;
    /** Offsets in the document text. */
    start: number;
    end: number;
}

export interface IgnoreComment {
    /** Offset of `//` and of the end of the line. */
    start: number;
    end: number;
    /** Offset of `hatopo-ignore` in it. */
    directive: number;
    ids: RuleIdInComment[];
}

const COMMENT = /\/\/\s*(hatopo-ignore)\b([^\r\n]*)/g;
const ID = /[\w-]+/g;

/** Every `hatopo-ignore` comment of the text, in order: one pass over the text. */
export function ignoreComments(text: string): IgnoreComment[] {
    const comments: IgnoreComment[] = [];
    for (const match of text.matchAll(COMMENT)) {
        const start = match.index;
        const directive = start + match[0].indexOf('hatopo-ignore');
        const listStart = directive + 'hatopo-ignore'.length;
        const ids: RuleIdInComment[] = [];
        for (const id of match[2].matchAll(ID))
            ids.push({ id: id[0], start: listStart + id.index, end: listStart + id.index + id[0].length });
        comments.push({ start, end: start + match[0].length, directive, ids });
    }
    return comments;
}

function lineAround(text: string, offset: number): { start: number; line: string } {
    const start = text.lastIndexOf('\n', offset - 1) + 1;
    const end = text.indexOf('\n', offset);
    return { start, line: text.slice(start, end < 0 ? text.length : end) };
}

/** The rule id under the cursor, if the cursor is in a `hatopo-ignore` comment. */
export function ruleIdAt(text: string, offset: number): RuleIdInComment | undefined {
    const { start, line } = lineAround(text, offset);
    for (const comment of ignoreComments(line)) {
        const id = comment.ids.find(candidate => offset >= start + candidate.start && offset <= start + candidate.end);
        if (id) return { id: id.id, start: start + id.start, end: start + id.end };
    }
    return undefined;
}

/**
 * Where a rule id is being typed: the cursor is after `hatopo-ignore ` (or after a comma in its list).
 * Gives the offset the id being typed starts at and the ids already listed.
 */
export function ruleIdSlot(text: string, offset: number): { start: number; listed: string[] } | undefined {
    const { start, line } = lineAround(text, offset);
    const before = line.slice(0, offset - start);
    const match = /\/\/\s*hatopo-ignore\s+((?:[\w-]+\s*,\s*)*)([\w-]*)$/.exec(before);
    if (!match) return undefined;
    const listed = match[1]
        .split(',')
        .map(id => id.trim())
        .filter(Boolean);
    return { start: offset - match[2].length, listed };
}
