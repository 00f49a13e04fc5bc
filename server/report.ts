// The CLI's output formats (LANGUAGE.md, "Outputs"): text, JSON and SARIF 2.1.0.

import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { LangiumDocument, URI } from 'langium';
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
        const file = relativeFile(document, cwd);
        for (const diagnostic of document.diagnostics ?? []) problems.push(toProblem(file, diagnostic));
    }
    return problems.sort(
        (a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column || a.rule.localeCompare(b.rule)
    );
}

/** The document's file as the CLI prints it: relative to the working folder. */
export function relativeFile(of: LangiumDocument | URI, cwd = process.cwd()): string {
    const uri = 'uri' in of ? of.uri : of;
    return path.relative(cwd, uri.fsPath) || uri.fsPath;
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

// C0 and C1 controls, DEL, and the Unicode line and paragraph separators: anything that could start a
// new line, move the cursor or recolour a terminal.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;
const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/**
 * Text for a terminal or a log that a reader (or a CI parser) takes line by line: a file name or a
 * message with a newline or an escape sequence in it cannot fake a finding line. Controls are written
 * as `\n`, `\r`, `\t`, `\xHH` or `\uHHHH`.
 */
export function safeText(text: string): string {
    return text.replace(CONTROL, char => NAMED[char] ?? escapeCode(char.charCodeAt(0)));
}

function escapeCode(code: number): string {
    return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

export function formatText(problems: readonly Problem[], fileCount: number): string {
    // One problem per line: the parser's multi-line messages are folded, then whatever is left escaped.
    const lines = problems.map(
        p =>
            `${safeText(p.file)}:${p.line}:${p.column} ${p.severity} ${safeText(p.rule)} ${safeText(p.message.replace(/\s*\n\s*/g, ' '))}`
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
                                artifactLocation: { uri: fileUriReference(problem.file) },
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

/**
 * A file as a SARIF `artifactLocation.uri`: a relative URI reference with each path segment
 * percent-encoded (spaces, `#`, `%`, `?`, `:`, non-ASCII), or a `file:` URI for an absolute path.
 */
export function fileUriReference(file: string): string {
    if (path.isAbsolute(file)) return pathToFileURL(file).href;
    return file.split(path.sep).map(encodeURIComponent).join('/');
}
