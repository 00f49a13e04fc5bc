// A plain pre-order walk of an AST: the nodes Langium's `AstUtils.streamAst` yields, in the same
// order (properties in key order, arrays in order, `$` properties skipped), without a stream
// object and an iterator result per node, which is most of the cost of walking 100,000 nodes.

import { isAstNode, type AstNode } from 'langium';

export function forEachAstNode(root: AstNode, visit: (node: AstNode) => void): void {
    visit(root);
    for (const property of Object.keys(root)) {
        if (property.startsWith('$')) continue;
        const value = (root as unknown as Record<string, unknown>)[property];
        if (isAstNode(value)) forEachAstNode(value, visit);
        else if (Array.isArray(value))
            for (const element of value) if (isAstNode(element)) forEachAstNode(element, visit);
    }
}
