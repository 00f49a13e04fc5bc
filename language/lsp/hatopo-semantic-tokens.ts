// Semantic tokens, in one pass over the AST (names: declarations and references, typed by what they
// name) and one over the tokens (keywords, numbers with their units split off, ports, addresses,
// strings, comments with the rule ids of `hatopo-ignore`). Linear in the file, no model needed:
// clients without the TextMate grammar (Neovim) get the whole file coloured from this alone.

import {
    AstUtils,
    CstUtils,
    GrammarAST,
    GrammarUtils,
    isCompositeCstNode,
    type AstNode,
    type CstNode,
    type LangiumDocument
} from 'langium';
import { AbstractSemanticTokenProvider, type SemanticTokenAcceptor } from 'langium/lsp';
import { SemanticTokenModifiers, SemanticTokenTypes, type Range } from 'vscode-languageserver';
import type { CancellationToken } from 'vscode-languageserver-protocol';
import { isRuleId } from '../analysis/rules.js';
import * as ast from '../generated/ast.js';
import { ignoreComments } from './hatopo-ignore-comments.js';

/** What a name is coloured as, by the kind of element it names. */
const NAME_TYPES: Record<string, string> = {
    [ast.Topology.$type]: SemanticTokenTypes.namespace,
    [ast.Region.$type]: SemanticTokenTypes.namespace,
    [ast.Zone.$type]: SemanticTokenTypes.namespace,
    [ast.Host.$type]: SemanticTokenTypes.variable,
    [ast.Galera.$type]: SemanticTokenTypes.struct,
    [ast.RabbitMQ.$type]: SemanticTokenTypes.struct,
    [ast.Memcached.$type]: SemanticTokenTypes.struct,
    [ast.HsmGroup.$type]: SemanticTokenTypes.struct,
    [ast.HAProxy.$type]: SemanticTokenTypes.struct,
    [ast.Vip.$type]: SemanticTokenTypes.variable,
    [ast.Frontend.$type]: SemanticTokenTypes.property,
    [ast.Backend.$type]: SemanticTokenTypes.property,
    [ast.Service.$type]: SemanticTokenTypes.class,
    [ast.Link.$type]: SemanticTokenTypes.interface,
    [ast.Firewall.$type]: SemanticTokenTypes.interface
};
/** Integers that are ports (or the VRID): coloured apart from other numbers. */
const PORT_PROPERTIES = new Set(['port', 'first', 'last', 'vrid', 'ipProtocol']);
const OPERATORS = new Set(['->', '<->', '=']);
const UNIT = /(%|ms|MiB|KiB|GiB|\/s|[smhdkMGB])$/;

export class HatopoSemanticTokenProvider extends AbstractSemanticTokenProvider {
    protected override async computeHighlighting(
        document: LangiumDocument,
        acceptor: SemanticTokenAcceptor,
        cancelToken: CancellationToken
    ): Promise<void> {
        const root = document.parseResult.value;
        // Names first: they mark the leaves the token pass must leave alone.
        const named = new Set<CstNode>();
        const mark = (cst: CstNode | undefined, type: string, modifier: string[] = []) => {
            if (!cst) return;
            acceptor({ cst, type, modifier });
            named.add(cst);
            for (const leaf of CstUtils.flattenCst(cst)) named.add(leaf);
        };
        // A range request (the visible part of a big file) visits only what overlaps the range.
        const range = this.currentRange;
        const iterator = AstUtils.streamAst(root).iterator();
        for (let next = iterator.next(); !next.done; next = iterator.next()) {
            if (cancelToken.isCancellationRequested) return;
            const at = next.value.$cstNode?.range;
            if (range && at && !CstUtils.inRange(at, range)) iterator.prune();
            else this.names(next.value, mark);
        }
        if (!root.$cstNode) return;
        for (const leaf of leavesIn(root.$cstNode, range)) {
            if (leaf.hidden) {
                if (/^\/[/*]/.test(leaf.text)) this.comment(document, leaf, acceptor);
            } else if (!named.has(leaf)) this.token(leaf, acceptor);
        }
    }

    // Langium's per-node hook: everything is done in computeHighlighting above.
    protected highlightElement(): void {}

    private names(node: AstNode, mark: (cst: CstNode | undefined, type: string, modifier?: string[]) => void): void {
        const cst = node.$cstNode;
        if (!cst) return;
        const declared = NAME_TYPES[node.$type];
        if (declared)
            mark(GrammarUtils.findNodeForProperty(cst, 'name'), declared, [
                SemanticTokenModifiers.declaration,
                SemanticTokenModifiers.definition
            ]);
        for (const { reference } of AstUtils.streamReferences(node)) {
            const target = 'ref' in reference ? reference.ref : undefined;
            const type = target ? NAME_TYPES[target.$type] : undefined;
            if (type) mark(reference.$refNode, type);
        }
        if (ast.isHop(node)) mark(GrammarUtils.findNodeForProperty(cst, 'kind'), SemanticTokenTypes.function);
        if (ast.isHopSetting(node) || ast.isOption(node))
            mark(GrammarUtils.findNodeForProperty(cst, 'name'), SemanticTokenTypes.property);
    }

    private token(leaf: CstNode, acceptor: SemanticTokenAcceptor): void {
        const source = leaf.grammarSource;
        if (GrammarAST.isKeyword(source)) {
            // Words are keywords; of the punctuation only the arrows and `=` mean something.
            if (/\p{L}/u.test(source.value)) acceptor({ cst: leaf, type: SemanticTokenTypes.keyword });
            else if (OPERATORS.has(source.value)) acceptor({ cst: leaf, type: SemanticTokenTypes.operator });
            return;
        }
        const terminal = GrammarAST.isRuleCall(source) ? source.rule.ref?.name : undefined;
        const property = AstUtils.getContainerOfType(source, GrammarAST.isAssignment)?.feature;
        switch (terminal) {
            case 'STRING':
                acceptor({ cst: leaf, type: SemanticTokenTypes.string });
                return;
            case 'IPV4':
            case 'CIDR':
                acceptor({ cst: leaf, type: SemanticTokenTypes.number, modifier: [SemanticTokenModifiers.readonly] });
                return;
            case 'QUANTITY': {
                const unit = UNIT.exec(leaf.text)?.[0] ?? '';
                const start = leaf.range.start;
                const split = leaf.text.length - unit.length;
                acceptor({ line: start.line, char: start.character, length: split, type: SemanticTokenTypes.number });
                if (unit)
                    acceptor({
                        line: start.line,
                        char: start.character + split,
                        length: unit.length,
                        type: SemanticTokenTypes.type
                    });
                return;
            }
            case 'INT':
            case 'NUMBER':
                acceptor({
                    cst: leaf,
                    type:
                        property && PORT_PROPERTIES.has(property)
                            ? SemanticTokenTypes.enumMember
                            : SemanticTokenTypes.number
                });
        }
    }

    private comment(document: LangiumDocument, leaf: CstNode, acceptor: SemanticTokenAcceptor): void {
        const directive = leaf.text.startsWith('//') ? ignoreComments(leaf.text)[0] : undefined;
        if (!directive) {
            acceptor({ cst: leaf, type: SemanticTokenTypes.comment });
            return;
        }
        // `// hatopo-ignore a, b`: the directive a keyword, known rule ids macros, the rest comment.
        const at = (offset: number) => document.textDocument.positionAt(leaf.offset + offset);
        const pieces: Array<{ start: number; end: number; type: string }> = [
            {
                start: directive.directive,
                end: directive.directive + 'hatopo-ignore'.length,
                type: SemanticTokenTypes.keyword
            },
            ...directive.ids
                .filter(id => isRuleId(id.id))
                .map(id => ({ start: id.start, end: id.end, type: SemanticTokenTypes.macro }))
        ];
        let cursor = 0;
        for (const piece of [...pieces, { start: leaf.text.length, end: leaf.text.length, type: '' }]) {
            if (piece.start > cursor) this.span(at(cursor), piece.start - cursor, SemanticTokenTypes.comment, acceptor);
            if (piece.type) this.span(at(piece.start), piece.end - piece.start, piece.type, acceptor);
            cursor = piece.end;
        }
    }

    private span(
        start: { line: number; character: number },
        length: number,
        type: string,
        acceptor: SemanticTokenAcceptor
    ): void {
        if (length > 0) acceptor({ line: start.line, char: start.character, length, type });
    }
}

/** The leaves of a syntax node, or only those that overlap a range (children outside it are skipped whole). */
function* leavesIn(node: CstNode, range: Range | undefined): Generator<CstNode> {
    if (!range) {
        yield* CstUtils.flattenCst(node);
        return;
    }
    if (!isCompositeCstNode(node)) {
        if (CstUtils.inRange(node.range, range)) yield node;
        return;
    }
    for (const child of node.content) {
        const comparison = CstUtils.compareRange(child.range, range);
        if (comparison === CstUtils.RangeComparison.Before) continue;
        if (comparison === CstUtils.RangeComparison.After) break;
        yield* leavesIn(child, range);
    }
}
