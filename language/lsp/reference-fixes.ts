// Quick fix for an unresolved reference: replace the misspelt name with one of the nearest names
// in scope, which the linker put in the diagnostic (hatopo-linker.ts, `data.suggestions`).

import type { LangiumDocument } from 'langium';
import type { CodeAction, Diagnostic } from 'vscode-languageserver-protocol';

export function referenceFixes(diagnostic: Diagnostic, document: LangiumDocument): CodeAction[] {
    if (diagnostic.code !== 'unresolved-reference') return [];
    const suggestions = (diagnostic.data as { suggestions?: unknown } | undefined)?.suggestions;
    if (!Array.isArray(suggestions)) return [];
    return suggestions
        .filter((name): name is string => typeof name === 'string')
        .map((name, index) => ({
            title: `Change to '${name}'`,
            kind: 'quickfix',
            diagnostics: [diagnostic],
            isPreferred: index === 0,
            edit: { changes: { [document.uri.toString()]: [{ range: diagnostic.range, newText: name }] } }
        }));
}
