// Findings are plain data: the CLI formats them, the server turns them into diagnostics, hovers and
// code actions, the diagram puts them on elements. Typed by rule: `finding.data` is that rule's data.

import type { ModelElement, SourceRange } from '../model/model.js';
import type { RuleData } from './rule-data.js';
import type { RuleId } from './rules.js';

export type Severity = 'error' | 'warning' | 'info';

interface FindingOf<R extends RuleId> {
    rule: R;
    severity: Severity;
    message: string;
    /** The element the finding is about, when there is one (its id names it in every output). */
    element?: ModelElement;
    range: SourceRange;
    /** The figures behind the message, for hovers, quick fixes and JSON output. */
    data: RuleData[R];
}

/** A finding of one rule (`Finding<'spof'>`), or of any rule, discriminated by `rule`. */
export type Finding<R extends RuleId = RuleId> = { [K in R]: FindingOf<K> }[R];

export function isFindingOf<R extends RuleId>(finding: Finding, rule: R): finding is Extract<Finding, { rule: R }> {
    return finding.rule === rule;
}

/** The id a finding is shown under: its element's, or the element that element is part of. */
export function findingElementId(finding: Finding): string | undefined {
    const element = finding.element;
    return element && (element.owner ?? element).id;
}
