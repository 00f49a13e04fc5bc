// Hovers: for an element (where it is declared or referred to) the figures the engine computed for
// it; for a keyword, an option, a hop or a hop setting its documentation with the figures of this
// place; for a rule id in `hatopo-ignore` the rule. All markdown comes from hatopo-describe.ts and
// the LanguageDocs; this file only finds what is under the cursor.

import {
    AstUtils,
    CstUtils,
    GrammarAST,
    GrammarUtils,
    type AstNode,
    type CstNode,
    type LangiumDocument
} from 'langium';
import { MultilineCommentHoverProvider } from 'langium/lsp';
import type { Hover, HoverParams } from 'vscode-languageserver-protocol';
import { isRuleId, ruleInfo } from '../analysis/rules.js';
import * as ast from '../generated/ast.js';
import type { HatopoServices } from '../hatopo-module.js';
import type { Service } from '../model/model.js';
import { describeElement, describeHop } from './hatopo-describe.js';
import { ruleIdAt } from './hatopo-ignore-comments.js';

export class HatopoHoverProvider extends MultilineCommentHoverProvider {
    constructor(private readonly hatopo: HatopoServices) {
        super(hatopo);
    }

    override async getHoverContent(document: LangiumDocument, params: HoverParams): Promise<Hover | undefined> {
        const offset = document.textDocument.offsetAt(params.position);
        const rule = ruleIdAt(document.textDocument.getText(), offset);
        if (rule) {
            return markdown(
                isRuleId(rule.id)
                    ? `**${rule.id}** (${ruleInfo(rule.id).severity} by default): ${ruleInfo(rule.id).description}`
                    : `**${rule.id}** is not a hatopo rule id`
            );
        }
        const root = document.parseResult.value.$cstNode;
        const leaf = root && CstUtils.findLeafNodeAtOffset(root, offset);
        const local = leaf && this.settingHover(leaf);
        if (local) return markdown(local);
        const found = await super.getHoverContent(document, params);
        if (found) return found;
        if (leaf && GrammarAST.isKeyword(leaf.grammarSource))
            return this.keywordHover(leaf.grammarSource, leaf.astNode);
        return undefined;
    }

    protected override async getAstNodeHoverContent(node: AstNode): Promise<string | undefined> {
        const comment = await super.getAstNodeHoverContent(node);
        const document = AstUtils.getDocument(node);
        const figures = this.hatopo.analysis.Figures.get(document);
        const element = figures.topology.elementOf(node);
        const described = element && describeElement(element, figures);
        return [described, comment].filter(Boolean).join('\n\n---\n\n') || undefined;
    }

    private keywordHover(keyword: GrammarAST.Keyword, node: AstNode): Hover | undefined {
        const rule = AstUtils.getContainerOfType(keyword, GrammarAST.isParserRule)?.name;
        const doc = this.hatopo.docs.Language.keywordDoc(keyword.value, rule);
        if (!doc) return undefined;
        // Keywords of an element's block also show the element's figures.
        const document = AstUtils.getDocument(node);
        const figures = this.hatopo.analysis.Figures.get(document);
        let element;
        for (let at: AstNode | undefined = node; at && !element; at = at.$container)
            element = figures.topology.elementOf(at);
        const about = element && element.kind !== 'topology' ? describeElement(element, figures) : undefined;
        return markdown([`**${keyword.value}** — ${doc}`, about].filter(Boolean).join('\n\n---\n\n'));
    }

    /** Option names, hop kinds and hop settings: names that are no declarations. */
    private settingHover(leaf: CstNode): string | undefined {
        const node = leaf.astNode;
        const docs = this.hatopo.docs.Language;
        const within = (property: string) => {
            const cst = node.$cstNode && GrammarUtils.findNodeForProperty(node.$cstNode, property);
            return cst !== undefined && leaf.offset >= cst.offset && leaf.end <= cst.end;
        };
        if (ast.isOption(node) && within('name')) {
            const rule = node.$container.$type;
            return `**option ${node.name}** = ${node.value} — ${docs.optionDoc(node.name, rule) ?? 'not an option hatopo checks; written to the configuration as is.'}`;
        }
        if (ast.isHop(node) && within('kind')) {
            const kind = docs.hopKinds().find(hop => hop.kind === node.kind);
            const service = node.$container;
            const figures = this.hatopo.analysis.Figures.get(AstUtils.getDocument(node));
            const element = figures.topology.elementOf(service) as Service | undefined;
            const row = element && describeHop(element, service.hops.indexOf(node), figures);
            return [kind?.doc ?? `**${node.kind}**: a proxy hatopo does not know the header limit of`, row]
                .filter(Boolean)
                .join('\n\n');
        }
        if (ast.isHopSetting(node) && within('name')) {
            const hop = node.$container;
            const setting = docs
                .hopKinds()
                .find(kind => kind.kind === hop.kind)
                ?.settings.find(candidate => candidate.name === node.name);
            return setting
                ? `**${node.name}** — ${setting.doc}`
                : `**${node.name}** is not the header-limit setting of ${hop.kind}; hatopo reads ${
                      docs
                          .hopKinds()
                          .find(kind => kind.kind === hop.kind)
                          ?.settings.map(candidate => `\`${candidate.name}\``)
                          .join(', ') || 'none'
                  }`;
        }
        return undefined;
    }
}

function markdown(value: string): Hover {
    return { contents: { kind: 'markdown', value } };
}
