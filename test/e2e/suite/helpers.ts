// Shared by the e2e scenarios: paths from run.mjs, waiting, the CLI's findings, the control
// endpoint of the launcher (webview DOM, clicks, screenshots).

import { spawnSync } from 'node:child_process';
import * as vscode from 'vscode';

export const EXTENSION_ID = 'hatopo.hatopo';

export function env(name: string): string {
    const value = process.env[name];
    if (!value) throw new Error(`${name} is not set: run the suite through test/e2e/run.mjs`);
    return value;
}

export function workspaceUri(): vscode.Uri {
    const folder = vscode.workspace.workspaceFolders?.[0];
    if (!folder) throw new Error('no workspace folder is open');
    return folder.uri;
}

export const exampleUri = (name: string): vscode.Uri => vscode.Uri.joinPath(workspaceUri(), name);

export async function openEditor(uri: vscode.Uri): Promise<vscode.TextEditor> {
    const document = await vscode.workspace.openTextDocument(uri);
    return vscode.window.showTextDocument(document, {
        viewColumn: vscode.ViewColumn.One,
        preview: false,
        preserveFocus: false
    });
}

export const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

/** Polls `probe` until it returns something other than undefined/false. */
export async function waitFor<T>(
    what: string,
    probe: () => T | undefined | false | Promise<T | undefined | false>,
    timeoutMs = 20_000
): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    let lastError: unknown;
    while (Date.now() < deadline) {
        try {
            const value = await probe();
            if (value !== undefined && value !== false) return value;
        } catch (error) {
            lastError = error;
        }
        await sleep(100);
    }
    throw new Error(
        `timed out after ${timeoutMs} ms waiting for ${what}${lastError ? ` (last error: ${(lastError as Error).message})` : ''}`
    );
}

/** The preview's tab, once the editor shows it. */
export function previewTab(): Promise<vscode.Tab> {
    return waitFor(
        'the preview tab',
        () =>
            vscode.window.tabGroups.all
                .flatMap(group => group.tabs)
                .find(t => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith('hatopo.preview')),
        20_000
    );
}

/** A diagnostic as one comparable line: range (0-based, end exclusive) severity rule message. */
export function describeDiagnostic(diagnostic: vscode.Diagnostic): string {
    const { start, end } = diagnostic.range;
    const code = typeof diagnostic.code === 'object' ? diagnostic.code.value : diagnostic.code;
    const severity = ['error', 'warning', 'info', 'hint'][diagnostic.severity];
    return `${start.line}:${start.character}-${end.line}:${end.character} ${severity} ${code ?? '(no rule)'} ${diagnostic.message}`;
}

export function diagnosticsOf(uri: vscode.Uri): string[] {
    return vscode.languages.getDiagnostics(uri).map(describeDiagnostic).sort();
}

interface CliProblem {
    file: string;
    line: number;
    column: number;
    endLine: number;
    endColumn: number;
    severity: string;
    rule: string;
    message: string;
}

/** What `node bin/hatopo.cjs check FILE --format json` reports, in describeDiagnostic's form. */
export function cliDiagnostics(fsPath: string): string[] {
    const result = spawnSync(
        env('HATOPO_E2E_NODE'),
        [env('HATOPO_E2E_CLI'), 'check', fsPath, '--format', 'json', '--exit-zero'],
        { encoding: 'utf8', maxBuffer: 64 << 20 }
    );
    if (result.status !== 0)
        throw new Error(`hatopo check ${fsPath} exited ${result.status ?? result.signal}: ${result.stderr}`);
    const problems = JSON.parse(result.stdout) as CliProblem[];
    if (!Array.isArray(problems)) throw new Error(`hatopo check printed no JSON array: ${result.stdout.slice(0, 300)}`);
    return problems
        .map(
            p =>
                `${p.line - 1}:${p.column - 1}-${p.endLine - 1}:${p.endColumn - 1} ${p.severity} ${p.rule} ${p.message}`
        )
        .sort();
}

/** Calls the launcher's control endpoint (only under code-server: it drives the browser). */
export async function control<T>(route: string, body: Record<string, unknown> = {}): Promise<T> {
    const base = env('HATOPO_E2E_CONTROL');
    const response = await fetch(base + route, {
        method: 'POST',
        body: JSON.stringify(body),
        headers: { 'content-type': 'application/json' }
    });
    const answer = (await response.json()) as { result?: T; error?: string };
    if (!response.ok || answer.error) throw new Error(`control ${route}: ${answer.error ?? response.status}`);
    return answer.result as T;
}

export function lineOf(document: vscode.TextDocument, pattern: RegExp): number {
    for (let line = 0; line < document.lineCount; line++) if (pattern.test(document.lineAt(line).text)) return line;
    throw new Error(`no line matches ${pattern} in ${document.uri.fsPath}`);
}

export function hoverText(hovers: vscode.Hover[]): string {
    return hovers
        .flatMap(hover => hover.contents.map(content => (typeof content === 'string' ? content : content.value)))
        .join('\n');
}
