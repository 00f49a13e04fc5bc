// The lab's report as the output channel shows it: a header naming what ran, a table of predictions
// (agrees, subject, claim, predicted, observed; long cells wrap inside their column, so the columns
// stay straight in the editor's monospace font) and the summary line the CLI prints. No `vscode`
// import: the unit tests format tables without an editor.

import type { LabLine, LabResult } from '../protocol/messages.js';

type Report = Extract<LabResult, { ok: true }>;

const COLUMNS: Array<{ title: string; cell: (line: LabLine) => string; max: number }> = [
    { title: 'AGREES', cell: line => (line.agrees ? 'yes' : 'NO'), max: 6 },
    { title: 'SUBJECT', cell: line => line.subject, max: 28 },
    { title: 'CLAIM', cell: line => line.claim, max: 44 },
    { title: 'PREDICTED', cell: line => line.predicted, max: 44 },
    { title: 'OBSERVED', cell: line => line.observed, max: 52 }
];

/** The command line the lab ran, as an operator would type it. */
export function labCommandLine(file: string, failures: readonly string[]): string {
    return ['hatopo lab', file, ...failures.map(failure => `--fail ${failure}`)].join(' ');
}

export function formatLabTable(report: Report, file: string): string {
    const rows = report.results.map(line => COLUMNS.map(column => column.cell(line)));
    const widths = COLUMNS.map((column, index) =>
        Math.min(column.max, Math.max(column.title.length, ...rows.map(row => row[index].length)))
    );
    const render = (cells: string[]) => {
        const wrapped = cells.map((cell, index) => wrap(cell, widths[index]));
        const height = Math.max(...wrapped.map(lines => lines.length));
        return Array.from({ length: height }, (_, row) =>
            wrapped
                .map((lines, index) => (lines[row] ?? '').padEnd(widths[index]))
                .join('  ')
                .trimEnd()
        );
    };
    const { predictions, confirmed, contradicted } = report.summary;
    return [
        `${labCommandLine(file, report.failures)}   (${report.seconds.toFixed(1)} s)`,
        '',
        ...render(COLUMNS.map(column => column.title)),
        widths.map(width => '-'.repeat(width)).join('  '),
        ...rows.flatMap(render),
        '',
        `lab: ${predictions} predictions, ${confirmed} confirmed, ${contradicted} contradicted`,
        ''
    ].join('\n');
}

/** The one line a notification shows when the lab is done. */
export function labSummaryLine(report: Report): string {
    const { predictions, confirmed, contradicted } = report.summary;
    return contradicted > 0
        ? `Lab: ${contradicted} of ${predictions} predictions contradicted by the real programs`
        : `Lab: all ${confirmed} predictions confirmed by the real programs`;
}

/** Breaks a cell into lines of at most `width` characters, at spaces where it can. */
function wrap(text: string, width: number): string[] {
    const lines: string[] = [];
    let rest = text;
    while ([...rest].length > width) {
        const chars = [...rest];
        const space = chars.slice(0, width + 1).lastIndexOf(' ');
        const cut = space > width / 3 ? space : width;
        lines.push(chars.slice(0, cut).join('').trimEnd());
        rest = chars.slice(cut).join('').trimStart();
    }
    lines.push(rest);
    return lines;
}
