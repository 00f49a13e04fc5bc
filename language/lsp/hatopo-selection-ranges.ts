// Selection ranges (expand selection): from the token under the cursor out through each enclosing
// syntax node (a value, a member, a statement, the block, the file). Langium has no provider for
// this, so the language server registers it (hatopo-language-server.ts).

import { CstUtils, type CstNode, type LangiumDocument } from 'langium';
import type { Position, Range, SelectionRange } from 'vscode-languageserver';

export function selectionRanges(document: LangiumDocument, positions: readonly Position[]): SelectionRange[] {
    const root = document.parseResult.value.$cstNode;
    return positions.map(position => {
        const offset = document.textDocument.offsetAt(position);
        // A cursor just after a word selects that word.
        const leaf =
            root && (CstUtils.findLeafNodeAtOffset(root, offset) ?? CstUtils.findLeafNodeAtOffset(root, offset - 1));
        const ranges: Range[] = [];
        for (let node: CstNode | undefined = leaf; node; node = node.container) {
            const range = node.range;
            const last = ranges.at(-1);
            if (!last || !sameRange(last, range)) ranges.push(range);
        }
        if (ranges.length === 0) return { range: { start: position, end: position } };
        let selection: SelectionRange | undefined;
        for (const range of ranges.reverse()) selection = { range, parent: selection };
        return selection!;
    });
}

function sameRange(a: Range, b: Range): boolean {
    return (
        a.start.line === b.start.line &&
        a.start.character === b.start.character &&
        a.end.line === b.end.line &&
        a.end.character === b.end.character
    );
}
