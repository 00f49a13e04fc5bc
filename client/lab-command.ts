// "HA Topology: Run Lab": runs `hatopo lab` on the document (saved first) with the preview's what-if
// (the failures its "Lose …" picker holds), or the failures passed in. The server runs the lab; here a
// cancellable notification shows its progress, the output channel its lines and then the table, and
// a message the summary. A machine that cannot run the lab (not Linux, not root) is told so once.

import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import type { LabResult } from '../protocol/messages.js';
import { LabProgressNotification, LabRequest } from '../protocol/requests.js';
import { formatLabTable, labCommandLine, labSummaryLine } from './lab-table.js';

let output: vscode.OutputChannel | undefined;
let runs = 0;

function channel(): vscode.OutputChannel {
    output ??= vscode.window.createOutputChannel('HA Topology Lab');
    return output;
}

export async function runLab(
    client: LanguageClient,
    target: vscode.Uri | undefined,
    failures: readonly string[]
): Promise<LabResult | undefined> {
    const document = target
        ? await vscode.workspace.openTextDocument(target)
        : vscode.window.activeTextEditor?.document;
    if (!document || document.languageId !== 'hatopo') {
        void vscode.window.showWarningMessage('Open a .hatopo file to run the lab on it.');
        return undefined;
    }
    // The lab reads the file from disk: what the editor shows is what it boots.
    if (document.isDirty && !(await document.save())) {
        void vscode.window.showWarningMessage('Save the file first: the lab boots what is on disk.');
        return undefined;
    }
    const name = vscode.workspace.asRelativePath(document.uri);
    const log = channel();
    const progressId = `lab-${process.pid}-${++runs}`;
    const title = `Lab: ${name}${failures.length > 0 ? `, losing ${failures.join(', ')}` : ''}`;
    const result = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title, cancellable: true },
        async (progress, token) => {
            log.appendLine(`$ ${labCommandLine(name, failures)}`);
            const listening = client.onNotification(LabProgressNotification, step => {
                if (step.progressId !== progressId) return;
                progress.report({ message: step.line });
                log.appendLine(`[${step.seconds?.toFixed(1) ?? '…'} s] ${step.line}`);
            });
            try {
                return await client.sendRequest(
                    LabRequest,
                    { uri: document.uri.toString(), failures: [...failures], progressId },
                    token
                );
            } finally {
                listening.dispose();
            }
        }
    );
    if (result.ok) {
        log.appendLine(formatLabTable(result, name));
        log.show(true);
        const summary = labSummaryLine(result);
        if (result.summary.contradicted > 0) void vscode.window.showWarningMessage(summary);
        else void vscode.window.showInformationMessage(summary);
        return result;
    }
    log.appendLine(`lab: ${result.message}`);
    if (result.reason === 'cancelled') void vscode.window.showInformationMessage(`Lab ${result.message}`);
    else if (result.reason === 'machine' || result.reason === 'busy') {
        const command = /sudo .*$/.exec(result.message)?.[0];
        void vscode.window.showWarningMessage(result.message, ...(command ? ['Copy Command'] : [])).then(choice => {
            if (choice === 'Copy Command' && command) void vscode.env.clipboard.writeText(command);
        });
    } else void vscode.window.showErrorMessage(`Lab: ${result.message}`);
    return result;
}
