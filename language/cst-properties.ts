// Which CST nodes wrote a property of an AST node: what Langium's `GrammarUtils.findNodesForProperty`
// answers, without its cost at 20,000 hosts (it walks the node's whole text once per property asked
// and builds arrays on the way): the first node stops at the first match, and all properties at once
// take one walk.

import { AstUtils, GrammarAST, isCompositeCstNode, type CstNode } from 'langium';

/** `GrammarUtils.findNodeForProperty(cst, property)`: the first node, in the same order. */
export function firstNodeForProperty(root: CstNode | undefined, property: string): CstNode | undefined {
    if (!root) return undefined;
    const element = root.astNode;
    const search = (node: CstNode): CstNode | undefined => {
        if (node !== root && featureOf(node.grammarSource) === property) return node;
        if (!isCompositeCstNode(node) || node.astNode !== element) return undefined;
        for (const child of node.content) {
            const found = search(child);
            if (found) return found;
        }
        return undefined;
    };
    return search(root);
}

/**
 * `GrammarUtils.findNodesForProperty(cst, property)` for every property at once, in one walk: a
 * node written for a property is not searched for that property again.
 */
export function assignedNodes(root: CstNode): Map<string, CstNode[]> {
    const found = new Map<string, CstNode[]>();
    const element = root.astNode;
    const walk = (node: CstNode, above: readonly string[]) => {
        const feature = node === root ? undefined : featureOf(node.grammarSource);
        if (feature !== undefined && !above.includes(feature)) {
            const nodes = found.get(feature);
            if (nodes) nodes.push(node);
            else found.set(feature, [node]);
        }
        if (!isCompositeCstNode(node) || node.astNode !== element) return;
        const inside = feature === undefined || above.includes(feature) ? above : [...above, feature];
        for (const child of node.content) walk(child, inside);
    };
    walk(root, []);
    return found;
}

const features = new Map<GrammarAST.AbstractElement, string | undefined>();

/** The property a grammar element assigns to, if it is (inside) an assignment; grammars do not change. */
function featureOf(source: GrammarAST.AbstractElement | undefined): string | undefined {
    if (!source) return undefined;
    let feature = features.get(source);
    if (feature === undefined && !features.has(source)) {
        feature = AstUtils.getContainerOfType(source, GrammarAST.isAssignment)?.feature;
        features.set(source, feature);
    }
    return feature;
}
