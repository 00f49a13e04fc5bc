// A failure to simulate: `region:NAME`, `host:NAME` or `link:NAME`. One parser for the CLI's `--fail`,
// the preview's "Lose …" and the lab, so they accept the same strings.

export type FailureKind = 'region' | 'host' | 'link';

export interface Failure {
    kind: FailureKind;
    name: string;
}

export const FAILURE_FORMAT = 'region:NAME, host:NAME or link:NAME';

/** Names as the grammar writes them, plus `<->` / `->` for a link given by its ends. */
const FAILURE = /^(region|host|link):([\w.-]+(?:<->|->)?[\w.-]*)$/;

export function parseFailure(text: string): Failure | undefined {
    const match = FAILURE.exec(text);
    return match ? { kind: match[1] as FailureKind, name: match[2] } : undefined;
}

export function formatFailure(failure: Failure): string {
    return `${failure.kind}:${failure.name}`;
}
