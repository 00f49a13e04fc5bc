// Rule settings: a severity per rule (or "off") from hatopo.json, and `// hatopo-ignore RULE`
// comments that silence one rule on one line. Pure: reading the file is the host's business.

import type { Finding, Severity } from './finding.js';
import { isRuleId, type RuleId } from './rules.js';

export type RuleSetting = Severity | 'off';
export interface RuleSettings {
    rules: ReadonlyMap<RuleId, RuleSetting>;
}

export const NO_SETTINGS: RuleSettings = { rules: new Map() };
const SETTINGS = new Set<RuleSetting>(['error', 'warning', 'info', 'off']);

/** Parses `{"rules": {"galera-even-weight": "off", "spof": "error"}}`; throws a readable message. */
export function parseSettings(text: string): RuleSettings {
    let json: unknown;
    try {
        json = JSON.parse(text);
    } catch (error) {
        throw new Error(`not valid JSON: ${(error as Error).message}`);
    }
    const rules = (json as { rules?: unknown } | null)?.rules ?? {};
    if (typeof rules !== 'object' || rules === null || Array.isArray(rules))
        throw new Error('"rules" must be an object of rule id → severity');
    const parsed = new Map<RuleId, RuleSetting>();
    for (const [rule, setting] of Object.entries(rules)) {
        if (!isRuleId(rule)) throw new Error(`unknown rule '${rule}'`);
        if (!SETTINGS.has(setting as RuleSetting))
            throw new Error(`rule '${rule}': "${String(setting)}" is not error, warning, info or off`);
        parsed.set(rule, setting as RuleSetting);
    }
    return { rules: parsed };
}

const IGNORE = /\/\/\s*hatopo-ignore\s+([\w-]+(?:\s*,\s*[\w-]+)*)/;

/**
 * Lines (0-based) and the rules silenced on them: a comment alone on its line silences the next
 * line, a comment after code silences its own line.
 */
export function suppressions(text: string): Map<number, Set<string>> {
    const result = new Map<number, Set<string>>();
    text.split(/\r?\n/).forEach((line, index) => {
        const match = IGNORE.exec(line);
        if (!match) return;
        const target = line.slice(0, match.index).trim() === '' ? index + 1 : index;
        const rules = result.get(target) ?? new Set<string>();
        for (const rule of match[1].split(',')) rules.add(rule.trim());
        result.set(target, rules);
    });
    return result;
}

export function applySettings(
    findings: readonly Finding[],
    settings: RuleSettings,
    silenced: Map<number, Set<string>>
): Finding[] {
    const result: Finding[] = [];
    for (const finding of findings) {
        if (silenced.get(finding.range.start.line)?.has(finding.rule)) continue;
        const setting = settings.rules.get(finding.rule);
        if (setting === 'off') continue;
        result.push(setting ? { ...finding, severity: setting } : finding);
    }
    return result;
}
