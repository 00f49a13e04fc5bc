// The VS Code extension: starts the hatopo language server for .hatopo files and owns the preview
// panel. Thin on purpose: every answer and every drawing comes from the server.

import * as path from 'node:path';
import * as vscode from 'vscode';
import {
    LanguageClient,
    TransportKind,
    type LanguageClientOptions,
    type ServerOptions
} from 'vscode-languageclient/node';
import { isFailures, OPEN_PREVIEW_COMMAND, RUN_LAB_COMMAND, type OpenPreviewOptions } from '../protocol/messages.js';
import { exportConfigs } from './export-command.js';
import { runLab } from './lab-command.js';
import { PREVIEW_VIEW_TYPE, PreviewPanel } from './preview-panel.js';

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
    const module = context.asAbsolutePath(path.join('out', 'server.cjs'));
    const serverOptions: ServerOptions = {
        run: { module, transport: TransportKind.ipc },
        debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6009'] } }
    };
    const clientOptions: LanguageClientOptions = { documentSelector: [{ language: 'hatopo' }] };
    const languageClient = new LanguageClient('hatopo', 'HA Topology', serverOptions, clientOptions);
    client = languageClient;

    context.subscriptions.push(
        // From the title bar VS Code passes a Uri; the server's code lenses a string and, for a
        // cluster, the what-if to show (`{ failures: ['region:wlg'] }`).
        vscode.commands.registerCommand(
            OPEN_PREVIEW_COMMAND,
            async (target?: vscode.Uri | string, options?: OpenPreviewOptions) => {
                const uri = typeof target === 'string' ? vscode.Uri.parse(target) : target;
                const document = uri
                    ? await vscode.workspace.openTextDocument(uri)
                    : vscode.window.activeTextEditor?.document;
                if (!document || document.languageId !== 'hatopo') {
                    void vscode.window.showWarningMessage('Open a .hatopo file to preview its topology.');
                    return;
                }
                // Arguments of a command can come from anywhere: only failures of the protocol's shape.
                const failures = isFailures(options?.failures) ? options.failures : undefined;
                PreviewPanel.show(context, languageClient, document, failures);
            }
        ),
        // From the palette: the active file and its preview's what-if; from the preview: both given.
        vscode.commands.registerCommand(RUN_LAB_COMMAND, (target?: vscode.Uri | string, failures?: unknown) => {
            const uri =
                typeof target === 'string'
                    ? vscode.Uri.parse(target)
                    : (target ?? vscode.window.activeTextEditor?.document.uri);
            const chosen = isFailures(failures) ? failures : uri ? (PreviewPanel.failuresOf(uri) ?? []) : [];
            return runLab(languageClient, uri, chosen);
        }),
        vscode.commands.registerCommand('hatopo.exportConfigs', (target?: vscode.Uri | string, folder?: vscode.Uri) =>
            exportConfigs(languageClient, typeof target === 'string' ? vscode.Uri.parse(target) : target, folder)
        ),
        vscode.window.registerWebviewPanelSerializer(PREVIEW_VIEW_TYPE, {
            deserializeWebviewPanel: async (panel, state) =>
                PreviewPanel.revive(context, languageClient, panel, state as { uri?: string } | undefined)
        })
    );
    await languageClient.start();
}

export async function deactivate(): Promise<void> {
    await client?.stop();
}
