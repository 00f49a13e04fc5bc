// Findings are plain data: the CLI formats them, the server turns them into diagnostics,
// the diagram puts them on elements.

import type { SourceRange } from '../model/model.js';

export type Severity = 'error' | 'warning' | 'info';

export interface Finding {
    rule: string;
    severity: Severity;
    message: string;
    /** Name of the element the finding is about, when there is one. */
    element?: string;
    range: SourceRange;
    /** The figures behind the message, for hovers, quick fixes and JSON output. */
    data?: Record<string, unknown>;
}
