// Formatting: one statement per line, two-space indentation per block, one blank line between
// top-level elements. Only whitespace between tokens changes, so comments are kept.

import { AstUtils, GrammarAST, GrammarUtils, type AstNode, type CstNode, CstUtils } from 'langium';
import { AbstractFormatter, Formatting } from 'langium/lsp';
import * as ast from './generated/ast.js';

/** Keywords that open a statement inside a block. */
const STATEMENT_KEYWORDS = new Set([
    'members',
    'garbd',
    'sst',
    'segments',
    'partition_handling',
    'queues',
    'servers',
    'port',
    'memory',
    'threads',
    'ttl',
    'sasl',
    'tls',
    'interface',
    'advert',
    'unicast',
    'nopreempt',
    'preempt',
    'nodes',
    'bufsize',
    'maxrewrite',
    'timeout',
    'frontend',
    'database',
    'cache',
    'queue',
    'hsm',
    'catalog',
    'endpoints',
    'path',
    'availability',
    'haonly',
    'capacity',
    'plugin',
    'latency',
    'redundant',
    'vpn',
    'standby',
    'mode',
    'devices',
    'fencing',
    'clone',
    'active-passive',
    'points-to',
    'round-robin'
]);
/** Child nodes that are statements of their block. */
const STATEMENT_NODES = new Set<string>([
    ast.Zone.$type,
    ast.Host.$type,
    ast.Option.$type,
    ast.VipMember.$type,
    ast.Frontend.$type,
    ast.Backend.$type,
    ast.BackendServer.$type,
    ast.Rule.$type,
    ast.Token.$type,
    ast.Target.$type,
    ast.Vip.$type,
    ast.RegionOverride.$type,
    ast.HostOverride.$type,
    ast.VipOverride.$type,
    ast.HsmOverride.$type,
    ast.MemcachedOverride.$type,
    ast.HAProxyOverride.$type
]);

export class HatopoFormatter extends AbstractFormatter {
    protected format(node: AstNode): void {
        const formatter = this.getNodeFormatter(node);
        if (ast.isDocument(node)) {
            const [first, ...rest] = [...node.imports, ...(node.topology ? [node.topology] : []), ...node.elements];
            if (first) formatter.nodes(first).prepend(Formatting.noIndent());
            for (const element of rest) {
                const lines = ast.isImport(element) ? 1 : 2;
                // A comment just above an element belongs to it; Langium keeps the author's spacing
                // before a comment, so only the element moves right under it.
                const comment =
                    element.$cstNode && CstUtils.findCommentNode(element.$cstNode, ['ML_COMMENT', 'SL_COMMENT']);
                if (comment) {
                    formatter.nodes(element).prepend(Formatting.newLine({ allowMore: false }));
                } else {
                    formatter.nodes(element).prepend(Formatting.newLines(lines, { allowMore: false }));
                }
            }
            return;
        }
        if (ast.isTopology(node)) {
            for (const target of node.targets) this.getNodeFormatter(target).node(target).prepend(Formatting.newLine());
            return;
        }
        const open = formatter.keywords('{');
        const close = formatter.keywords('}');
        if (open.nodes.length !== 1 || close.nodes.length !== 1) return;
        open.prepend(Formatting.oneSpace());
        const statements = this.statementStarts(node, open.nodes[0], close.nodes[0]);
        if (statements.length === 0) {
            close.prepend(Formatting.oneSpace());
            return;
        }
        formatter.cst(statements).prepend(Formatting.indent());
        close.prepend(Formatting.newLine());
    }

    /** The first token of every statement between the braces of a block. */
    private statementStarts(node: AstNode, open: CstNode, close: CstNode): CstNode[] {
        const starts: CstNode[] = [];
        for (const child of CstUtils.streamCst(node.$cstNode!)) {
            if (child.offset <= open.offset || child.offset >= close.offset || child === node.$cstNode) continue;
            const owner = child.astNode;
            if (owner !== node) {
                // A nested statement node: its first token, once.
                if (STATEMENT_NODES.has(owner.$type) && owner.$container === node && child === owner.$cstNode)
                    starts.push(child);
                continue;
            }
            // A keyword of the block's own rule; the same word as a name (`nodes port`) or a value
            // (`mode active-passive`) comes from a data-type rule.
            const rule =
                child.grammarSource && AstUtils.getContainerOfType(child.grammarSource, GrammarAST.isParserRule);
            const own = rule !== undefined && !GrammarUtils.isDataTypeRule(rule);
            if (own && isLeafKeyword(child) && STATEMENT_KEYWORDS.has(child.text) && !child.hidden) starts.push(child);
        }
        return starts;
    }
}

function isLeafKeyword(node: CstNode): boolean {
    return 'tokenType' in node && /^[a-z_-]+$/.test(node.text);
}
