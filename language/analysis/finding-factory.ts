// One way to make a finding about an element, with the rule's default severity.

import type { ModelElement, SourceRange } from '../model/model.js';
import type { Finding, Severity } from './finding.js';
import { ruleInfo } from './rules.js';

export function findingAt(
    rule: string,
    element: ModelElement,
    message: string,
    data?: Record<string, unknown>,
    options: { range?: SourceRange; severity?: Severity } = {}
): Finding {
    return {
        rule,
        severity: options.severity ?? ruleInfo(rule).severity,
        message,
        element,
        range: options.range ?? element.nameSource,
        ...(data ? { data } : {})
    };
}
