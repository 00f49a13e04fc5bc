// The lab's output: one line per prediction (predicted, observed, agrees) and the summary, or JSON.

import type { LabReport } from './run.js';

export function formatLabText(report: LabReport): string {
    const lines = report.results.map(
        result =>
            `${result.agrees ? 'agrees      ' : 'CONTRADICTS '} ${result.subject}: ${result.claim}\n` +
            `             predicted: ${result.predicted}\n             observed:  ${result.observed}`
    );
    const { predictions, confirmed, contradicted } = report.summary;
    lines.push(`lab: ${predictions} predictions, ${confirmed} confirmed, ${contradicted} contradicted`);
    return lines.join('\n') + '\n';
}

export function formatLabJson(report: LabReport): string {
    return JSON.stringify({ results: report.results, summary: report.summary }, null, 2) + '\n';
}

/** How to enter each host of a kept lab, and how to take it down by hand. */
export function formatKept(report: LabReport, prefix: string): string {
    const hosts = report.namespaces.filter(namespace => !/-(router|region-.*)$/.test(namespace));
    return [
        `lab: kept up (${report.namespaces.length} namespaces, files in ${report.scratch}); enter a host with:`,
        ...hosts.map(namespace => `  ip netns exec ${namespace} bash    # ${namespace.slice(prefix.length + 1)}`),
        'take it down with:',
        `  for n in ${report.namespaces.join(' ')}; do ip netns pids $n | xargs -r kill -9; ip netns del $n; rm -rf /etc/netns/$n; done; rm -rf ${report.scratch}`,
        ''
    ].join('\n');
}
