// Quick fixes: for each diagnostic, the engine's own finding behind it (typed data and element, no
// casts), the candidate repairs of hatopo-fixes.ts, and of those only the ones the engine has
// checked: applied in memory to every file they touch and re-analysed, the finding is gone and
// nothing new is reported (hatopo-fix-checker.ts).

import { CstUtils, OperationCancelled, type AstNode, type LangiumDocument } from 'langium';
import type { CodeActionProvider } from 'langium/lsp';
import type {
    CancellationToken,
    CodeAction,
    CodeActionParams,
    Command,
    Position
} from 'vscode-languageserver-protocol';
import type { HatopoServices } from '../hatopo-module.js';
import { candidateFixes } from './hatopo-fixes.js';
import { referenceFixes } from './reference-fixes.js';

/** Candidates checked per diagnostic, and fixes offered: each check is a scratch build. */
const MAX_CHECKED = 4;
const MAX_OFFERED = 2;

export class HatopoCodeActionProvider implements CodeActionProvider {
    constructor(private readonly services: HatopoServices) {}

    async getCodeActions(
        document: LangiumDocument,
        params: CodeActionParams,
        cancelToken?: CancellationToken
    ): Promise<Array<Command | CodeAction>> {
        const actions: CodeAction[] = [];
        const topology = this.services.analysis.ModelCache.get(document);
        const figures = this.services.analysis.Figures.get(document);
        const checker = this.services.lsp.FixChecker;
        for (const diagnostic of params.context.diagnostics) {
            // A misspelt name: the linker's nearest names in scope (reference-fixes.ts).
            actions.push(...referenceFixes(diagnostic, document));
            const finding = topology.findings.find(
                candidate =>
                    candidate.rule === diagnostic.code &&
                    candidate.message === diagnostic.message &&
                    candidate.range.uri === document.uri.toString() &&
                    samePosition(candidate.range.start, diagnostic.range.start)
            );
            const node = nodeAt(document, diagnostic.range.start);
            if (!finding || !node) continue;
            let offered = 0;
            for (const fix of candidateFixes({ finding, node, topology, document, figures }).slice(0, MAX_CHECKED)) {
                if (offered >= MAX_OFFERED) break;
                if (cancelToken?.isCancellationRequested) throw OperationCancelled;
                const verdict = await checker.check(document, finding, fix.changes, cancelToken);
                if (!verdict.ok) continue;
                actions.push({
                    title: fix.title,
                    kind: 'quickfix',
                    diagnostics: [diagnostic],
                    isPreferred: offered === 0,
                    edit: { changes: fix.changes }
                });
                offered++;
            }
        }
        return actions;
    }
}

function samePosition(a: Position, b: Position): boolean {
    return a.line === b.line && a.character === b.character;
}

function nodeAt(document: LangiumDocument, position: Position): AstNode | undefined {
    const root = document.parseResult.value.$cstNode;
    const leaf = root && CstUtils.findLeafNodeAtOffset(root, document.textDocument.offsetAt(position));
    return leaf?.astNode;
}
