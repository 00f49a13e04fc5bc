// One way to make a finding about an element, with the rule's default severity and its typed data.

import type { ModelElement, SourceRange } from '../model/model.js';
import type { Finding, Severity } from './finding.js';
import type { RuleData } from './rule-data.js';
import { ruleInfo, type RuleId } from './rules.js';

export function findingAt<R extends RuleId>(
    rule: R,
    element: ModelElement | undefined,
    message: string,
    data: RuleData[R],
    options: { range?: SourceRange; severity?: Severity } = {}
): Finding<R> {
    const range = options.range ?? element?.nameSource;
    if (!range) throw new Error(`a ${rule} finding needs an element or a range`);
    return { rule, severity: options.severity ?? ruleInfo(rule).severity, message, element, range, data } as Finding<R>;
}
