// The CLI's output formats (LANGUAGE.md, "Outputs"): text, JSON and SARIF 2.1.0.

import * as path from 'node:path';
import type { LangiumDocument } from 'langium';
import type { Diagnostic } from 'vscode-languageserver-types';
import { RULES, type RuleId } from '../language/analysis/rules.js';

export interface Problem {
    file: string;
    line: number;
    column: number;
    endLine: number;
    endColumn: number;
    severity: 'error' | 'warning' | 'info';
    rule: string;
    message: string;
    /** The element the problem is about, as `<kind>:<name>` (the diagram's and the lab's id). */
    element?: string;
}

const SEVERITY: Record<number, Problem['severity']> = { 1: 'error', 2: 'warning', 3: 'info', 4: 'info' };

/** Diagnostics of all documents as 1-based problems, sorted by file and position. */
export function collectProblems(documents: readonly LangiumDocument[], cwd = process.cwd()): Problem[] {
    const problems: Problem[] = [];
    for (const document of documents) {
        const file = path.relative(cwd, document.uri.fsPath) || document.uri.fsPath;
        for (const diagnostic of document.diagnostics ?? []) problems.push(toProblem(file, diagnostic));
    }
    return problems.sort(
        (a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column || a.rule.localeCompare(b.rule)
    );
}

function toProblem(file: string, diagnostic: Diagnostic): Problem {
    return {
        file,
        line: diagnostic.range.start.line + 1,
        column: diagnostic.range.start.character + 1,
        endLine: diagnostic.range.end.line + 1,
        endColumn: diagnostic.range.end.character + 1,
        severity: SEVERITY[diagnostic.severity ?? 1],
        rule: String(diagnostic.code ?? 'internal-error'),
        message: typeof diagnostic.message === 'string' ? diagnostic.message : diagnostic.message.value,
        ...elementOf(diagnostic)
    };
}

function elementOf(diagnostic: Diagnostic): { element?: string } {
    const element = (diagnostic.data as { element?: unknown } | undefined)?.element;
    return typeof element === 'string' ? { element } : {};
}

export function formatText(problems: readonly Problem[], fileCount: number): string {
    // One problem per line: the parser's multi-line messages are folded.
    const lines = problems.map(
        p => `${p.file}:${p.line}:${p.column} ${p.severity} ${p.rule} ${p.message.replace(/\s*\n\s*/g, ' ')}`
    );
    const count = (severity: Problem['severity']) => problems.filter(p => p.severity === severity).length;
    lines.push(
        `${fileCount} file${fileCount === 1 ? '' : 's'} checked: ${count('error')} errors, ${count('warning')} warnings, ${count('info')} notes`
    );
    return lines.join('\n') + '\n';
}

export function formatJson(problems: readonly Problem[]): string {
    return JSON.stringify(problems, null, 2) + '\n';
}

export function formatSarif(problems: readonly Problem[], version: string): string {
    const rules = [...RULES.values()];
    const index = new Map(rules.map((rule, i) => [rule.id, i]));
    const level = { error: 'error', warning: 'warning', info: 'note' } as const;
    const sarif = {
        $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
        version: '2.1.0',
        runs: [
            {
                tool: {
                    driver: {
                        name: 'hatopo',
                        version,
                        informationUri: 'https://hatopo.invalid/',
                        rules: rules.map(rule => ({
                            id: rule.id,
                            shortDescription: { text: rule.description },
                            help: {
                                text: `${rule.description} See docs/rules.md#${rule.id} for why, an example and its fix.`
                            },
                            defaultConfiguration: { level: level[rule.severity] }
                        }))
                    }
                },
                results: problems.map(problem => ({
                    ruleId: problem.rule,
                    ...(index.has(problem.rule as RuleId) ? { ruleIndex: index.get(problem.rule as RuleId) } : {}),
                    level: level[problem.severity],
                    message: { text: problem.message },
                    locations: [
                        {
                            physicalLocation: {
                                artifactLocation: { uri: problem.file.split(path.sep).join('/') },
                                region: {
                                    startLine: problem.line,
                                    startColumn: problem.column,
                                    endLine: problem.endLine,
                                    endColumn: problem.endColumn
                                }
                            }
                        }
                    ]
                }))
            }
        ]
    };
    return JSON.stringify(sarif, null, 2) + '\n';
}
