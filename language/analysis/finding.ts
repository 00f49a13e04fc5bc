// Findings are plain data: the CLI formats them, the server turns them into diagnostics,
// the diagram puts them on elements.

import type { ModelElement, SourceRange } from '../model/model.js';

export type Severity = 'error' | 'warning' | 'info';

export interface Finding {
    rule: string;
    severity: Severity;
    message: string;
    /** The element the finding is about, when there is one (its id names it in every output). */
    element?: ModelElement;
    range: SourceRange;
    /** The figures behind the message, for hovers, quick fixes and JSON output. */
    data?: Record<string, unknown>;
}

/** The id a finding is shown under: its element's, or the element that element is part of. */
export function findingElementId(finding: Finding): string | undefined {
    const element = finding.element;
    return element && (element.owner ?? element).id;
}
