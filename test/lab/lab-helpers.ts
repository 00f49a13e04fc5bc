// Shared by the lab's tests: run `lab` on a topology written in the test, and prove that nothing
// it started is left behind (namespaces, their /etc/netns files, processes, the scratch folder).

import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { expect } from 'vitest';
import { buildModel } from '../../language/model/build-model.js';
import type { TopologyModel } from '../../language/model/model.js';
import { parseFailure, type Failure } from '../../protocol/failure.js';
import { aptCommand, missingPrograms, PROGRAMS } from '../../lab/programs.js';
import { runLab, type LabReport } from '../../lab/run.js';
import { check } from '../helpers.js';

/** Fails (never skips) when the machine cannot run the lab, naming the one apt command to run. */
export function requireLab(): void {
    if (process.getuid?.() !== 0) throw new Error('the lab tests need root (network namespaces)');
    const missing = missingPrograms(Object.keys(PROGRAMS));
    if (missing.length > 0)
        throw new Error(
            `missing ${missing.map(p => p.command).join(', ')}: run ${aptCommand(missing.flatMap(p => p.packages))}`
        );
}

export async function modelOf(text: string): Promise<TopologyModel> {
    const document = await check(text, 'lab.hatopo');
    const errors = (document.diagnostics ?? []).filter(
        d => d.code === 'syntax-error' || d.code === 'unresolved-reference'
    );
    if (errors.length > 0) throw new Error(`test topology does not parse: ${errors[0].message}`);
    return buildModel([document]);
}

export function failures(...texts: string[]): Failure[] {
    return texts.map(text => parseFailure(text)!);
}

/** Runs the lab, logs its progress and lines (so a failing test shows them), asserts the teardown. */
export async function lab(text: string, scenarios: Failure[][]): Promise<LabReport> {
    const started = Date.now();
    const report = await runLab(await modelOf(text), {
        scenarios,
        progress: line => process.stderr.write(`lab [${((Date.now() - started) / 1000).toFixed(1)} s] ${line}\n`)
    });
    process.stderr.write(
        report.results
            .map(
                r =>
                    `${r.agrees ? 'agrees     ' : 'CONTRADICTS'} ${r.subject}: ${r.claim}\n    predicted ${r.predicted}\n    observed  ${r.observed}\n`
            )
            .join('') +
            `lab ${report.topology}: ${report.summary.predictions} predictions, ${report.summary.contradicted} contradicted, boot ${report.seconds.boot.toFixed(1)} s, total ${report.seconds.total.toFixed(1)} s\n`
    );
    expectTornDown(report);
    return report;
}

export function expectTornDown(report: Pick<LabReport, 'prefix' | 'pids' | 'scratch'>): void {
    const namespaces = spawnSync('ip', ['netns', 'list'], { encoding: 'utf8' }).stdout;
    expect(namespaces.split('\n').filter(line => line.startsWith(`${report.prefix}-`))).toEqual([]);
    expect(existsSync(report.scratch)).toBe(false);
    const alive = report.pids.filter(pid => {
        try {
            process.kill(pid, 0);
            return true;
        } catch {
            return false;
        }
    });
    expect(alive).toEqual([]);
    const etc = spawnSync('sh', ['-c', `ls -d /etc/netns/${report.prefix}-* 2>/dev/null`], { encoding: 'utf8' }).stdout;
    expect(etc.trim()).toBe('');
}

/** The one result about a subject whose claim contains `claim`. */
export function result(report: LabReport, subject: string, claim = '') {
    const found = report.results.filter(r => r.subject === subject && r.claim.includes(claim));
    expect(
        found,
        `no result for ${subject} ${claim} in ${report.results.map(r => `${r.subject}: ${r.claim}`).join('; ')}`
    ).toHaveLength(1);
    return found[0];
}

export function expectAllAgree(report: LabReport): void {
    expect(report.results.filter(r => !r.agrees)).toEqual([]);
    expect(report.summary.contradicted).toBe(0);
    expect(report.summary.predictions).toBeGreaterThan(0);
}
