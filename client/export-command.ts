// "HA Topology: Export Configs": pick a folder, let the server write the files with progress shown,
// then say what was written with a way to open the folder. A folder may be passed (tests do).

import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import type { ExportResult } from '../protocol/messages.js';
import { ExportRequest } from '../protocol/requests.js';

export async function exportConfigs(
    client: LanguageClient,
    target: vscode.Uri | undefined,
    folder: vscode.Uri | undefined
): Promise<ExportResult | undefined> {
    const document = target
        ? await vscode.workspace.openTextDocument(target)
        : vscode.window.activeTextEditor?.document;
    if (!document || document.languageId !== 'hatopo') {
        void vscode.window.showWarningMessage('Open a .hatopo file to export its configs.');
        return undefined;
    }
    const chosen =
        folder ??
        (
            await vscode.window.showOpenDialog({
                canSelectFolders: true,
                canSelectFiles: false,
                canSelectMany: false,
                openLabel: 'Export here',
                defaultUri: vscode.Uri.joinPath(document.uri, '..', 'export')
            })
        )?.[0];
    if (!chosen) return undefined;
    const run = (force: boolean) =>
        vscode.window.withProgress(
            { location: vscode.ProgressLocation.Notification, title: `Exporting configs to ${chosen.fsPath}` },
            () => client.sendRequest(ExportRequest, { uri: document.uri.toString(), folder: chosen.fsPath, force })
        );
    let result = await run(false);
    if (!result.ok && result.edited && !folder) {
        const answer = await vscode.window.showWarningMessage(result.message, { modal: true }, 'Overwrite');
        if (answer === 'Overwrite') result = await run(true);
    }
    if (!result.ok) {
        void vscode.window.showErrorMessage(`Export failed: ${result.message}`);
        return result;
    }
    void vscode.window
        .showInformationMessage(
            `Exported ${result.written.length} files (${result.unchanged.length} unchanged) to ${chosen.fsPath}`,
            'Open Folder'
        )
        .then(choice => {
            if (choice === 'Open Folder') void vscode.commands.executeCommand('revealFileInOS', chosen);
        });
    return result;
}
