// The keywords of the grammar, read from the generated grammar (not from a list that could drift).

import { AstUtils, GrammarAST } from 'langium';
import { HatopoGrammar } from '../language/generated/grammar.js';

const rules = HatopoGrammar().rules.filter(GrammarAST.isParserRule);

export function keywordsOf(rule: GrammarAST.AbstractRule): string[] {
    return AstUtils.streamAllContents(rule)
        .filter(GrammarAST.isKeyword)
        .map(keyword => keyword.value)
        .toArray();
}

/** Every keyword of the grammar outside the `Keyword` rule (the rule that makes them names). */
export const GRAMMAR_KEYWORDS: string[] = [
    ...new Set(rules.filter(rule => rule.name !== 'Keyword').flatMap(keywordsOf))
].sort();

/** The keywords the `Keyword` rule admits as names. */
export const NAME_KEYWORDS: ReadonlySet<string> = new Set(keywordsOf(rules.find(rule => rule.name === 'Keyword')!));
