// The live preview: one webview panel per .hatopo document, beside the editor. It asks the language
// server for the drawing (debounced while typing, in the document or any file it imports), reveals
// the source of a clicked element in whichever file defines it, highlights the element under the
// cursor, switches views, shows a what-if (picked in the page, or given by a code lens), runs the lab
// with it, restores itself after a reload, and exports.

import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { previewHtml, makeNonce } from './preview-html.js';
import {
    parseFromWebview,
    revealTarget,
    RUN_LAB_COMMAND,
    type DiagramParams,
    type ToWebview,
    type ViewName
} from '../protocol/messages.js';
import { DiagramRequest } from '../protocol/requests.js';

export const PREVIEW_VIEW_TYPE = 'hatopo.preview';
const DEBOUNCE_MS = 300;

export class PreviewPanel {
    private static readonly panels = new Map<string, PreviewPanel>();
    private failures: string[] = [];
    private view: ViewName = 'architecture';
    /** The files the drawing comes from: the document and its imports (from the last drawing). */
    private documents: string[];
    private timer: NodeJS.Timeout | undefined;
    private svg = '';
    private readonly disposables: vscode.Disposable[] = [];
    /** Failures given when the panel opened (a code lens): they win over the page's first "ready". */
    private preset: string[] | undefined;

    /** Opens (or reveals) the document's preview; with failures, showing that what-if. */
    static show(
        context: vscode.ExtensionContext,
        client: LanguageClient,
        document: vscode.TextDocument,
        failures?: string[]
    ): PreviewPanel {
        const existing = PreviewPanel.panels.get(document.uri.toString());
        if (existing) {
            existing.panel.reveal(vscode.ViewColumn.Beside, true);
            if (failures) {
                existing.failures = failures;
                void existing.update();
            }
            return existing;
        }
        const panel = vscode.window.createWebviewPanel(
            PREVIEW_VIEW_TYPE,
            `Preview ${basename(document.uri)}`,
            { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
            PreviewPanel.options(context)
        );
        const preview = new PreviewPanel(context, client, panel, document.uri);
        if (failures) {
            preview.failures = failures;
            preview.preset = failures;
        }
        return preview;
    }

    /** The what-if the document's preview shows ("Lose …"), if it has one open. */
    static failuresOf(uri: vscode.Uri): string[] | undefined {
        return PreviewPanel.panels.get(uri.toString())?.failures;
    }

    /** A panel VS Code brings back after a reload (the webview's state holds the document). */
    static revive(
        context: vscode.ExtensionContext,
        client: LanguageClient,
        panel: vscode.WebviewPanel,
        state: { uri?: string } | undefined
    ): void {
        if (!state?.uri) {
            panel.dispose();
            return;
        }
        panel.webview.options = PreviewPanel.options(context);
        new PreviewPanel(context, client, panel, vscode.Uri.parse(state.uri));
    }

    private static options(context: vscode.ExtensionContext): vscode.WebviewOptions & vscode.WebviewPanelOptions {
        return {
            enableScripts: true,
            retainContextWhenHidden: false,
            localResourceRoots: [vscode.Uri.joinPath(context.extensionUri, 'media')]
        };
    }

    private constructor(
        private readonly context: vscode.ExtensionContext,
        private readonly client: LanguageClient,
        readonly panel: vscode.WebviewPanel,
        private readonly uri: vscode.Uri
    ) {
        PreviewPanel.panels.set(uri.toString(), this);
        this.documents = [uri.toString()];
        const webview = panel.webview;
        const media = (file: string) =>
            webview.asWebviewUri(vscode.Uri.joinPath(context.extensionUri, 'media', file)).toString();
        webview.html = previewHtml({
            cspSource: webview.cspSource,
            nonce: makeNonce(),
            scriptUri: media('preview.js'),
            styleUri: media('preview.css')
        });
        this.disposables.push(
            webview.onDidReceiveMessage(message => this.onMessage(message)),
            vscode.workspace.onDidChangeTextDocument(event => {
                if (this.documents.includes(event.document.uri.toString())) this.scheduleUpdate();
            }),
            vscode.window.onDidChangeTextEditorSelection(event => {
                const document = event.textEditor.document.uri.toString();
                if (this.documents.includes(document))
                    this.post({ type: 'highlight', uri: document, line: event.selections[0].active.line });
            }),
            panel.onDidDispose(() => this.dispose())
        );
    }

    private async onMessage(raw: unknown): Promise<void> {
        const message = parseFromWebview(raw);
        if (!message) return; // not one of ours: ignore
        switch (message.type) {
            case 'ready':
                this.view = message.view ?? this.view;
                this.failures = this.preset ?? message.failures ?? this.failures;
                this.preset = undefined;
                return this.update();
            case 'simulate':
                this.failures = message.failures;
                return this.update();
            case 'view':
                this.view = message.view;
                return this.update();
            case 'lab':
                await vscode.commands.executeCommand(RUN_LAB_COMMAND, this.uri, this.failures);
                return;
            case 'reveal': {
                const target = revealTarget(message, this.documents);
                if (!target) return; // not a file of this topology: a page does not pick what opens
                const position = new vscode.Position(target.line, target.character);
                const editor = await vscode.window.showTextDocument(vscode.Uri.parse(target.uri), {
                    viewColumn: vscode.ViewColumn.One,
                    preserveFocus: false
                });
                editor.selection = new vscode.Selection(position, position);
                editor.revealRange(
                    new vscode.Range(position, position),
                    vscode.TextEditorRevealType.InCenterIfOutsideViewport
                );
                return;
            }
            case 'export': {
                const extension = message.format;
                const target = await vscode.window.showSaveDialog({
                    defaultUri: vscode.Uri.file(this.uri.fsPath.replace(/\.hatopo$/, `.${extension}`)),
                    filters: { [extension.toUpperCase()]: [extension] }
                });
                if (!target) return;
                const bytes =
                    message.format === 'svg'
                        ? Buffer.from(this.svg, 'utf8')
                        : Buffer.from(message.dataUrl.slice('data:image/png;base64,'.length), 'base64');
                await vscode.workspace.fs.writeFile(target, bytes);
                vscode.window.showInformationMessage(`Exported ${target.fsPath}`);
            }
        }
    }

    private scheduleUpdate(): void {
        clearTimeout(this.timer);
        this.timer = setTimeout(() => void this.update(), DEBOUNCE_MS);
    }

    private async update(): Promise<void> {
        try {
            const params: DiagramParams = { uri: this.uri.toString(), view: this.view, failures: this.failures };
            const result = await this.client.sendRequest(DiagramRequest, params);
            this.svg = result.svg;
            this.documents = result.documents;
            const { svg, view, regions, hosts, links, whatIf } = result;
            this.post({
                type: 'diagram',
                uri: this.uri.toString(),
                failures: this.failures,
                svg,
                view,
                regions,
                hosts,
                links,
                whatIf
            });
        } catch (error) {
            this.post({ type: 'error', message: `The diagram could not be drawn: ${(error as Error).message}` });
        }
    }

    private post(message: ToWebview): void {
        void this.panel.webview.postMessage(message);
    }

    private dispose(): void {
        clearTimeout(this.timer);
        PreviewPanel.panels.delete(this.uri.toString());
        this.disposables.forEach(disposable => disposable.dispose());
    }
}

function basename(uri: vscode.Uri): string {
    return uri.path.split('/').pop() ?? uri.path;
}
