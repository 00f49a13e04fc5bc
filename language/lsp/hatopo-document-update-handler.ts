// Which editor documents the workspace builds. Clients other than VS Code (Neovim, Helix, Emacs …)
// send didOpen and didChange for every buffer, whatever its language; Langium would try to parse a
// `.txt` as hatopo, fail to find its services and take the whole server down. And Langium keeps a
// closed document as it was last typed: one that is not on disk (untitled, virtual) stays in scope
// and in memory forever, one that is on disk keeps the unsaved text the user threw away.

import { DefaultDocumentUpdateHandler, type LangiumSharedServices } from 'langium/lsp';
import { URI, type FileSystemProvider } from 'langium';
import type { TextDocument, TextDocumentChangeEvent } from 'vscode-languageserver';

export class HatopoDocumentUpdateHandler extends DefaultDocumentUpdateHandler {
    private readonly fileSystem: FileSystemProvider;
    private readonly textDocuments: LangiumSharedServices['workspace']['TextDocuments'];

    constructor(services: LangiumSharedServices) {
        super(services);
        this.fileSystem = services.workspace.FileSystemProvider;
        this.textDocuments = services.workspace.TextDocuments;
    }

    /** Open documents of another language are not ours to build, whatever reports them changed. */
    protected override fireDocumentUpdate(changed: URI[], deleted: URI[]): void {
        const ours = changed.filter(uri => this.serviceRegistry.hasServices(uri) || !this.textDocuments.get(uri));
        if (ours.length > 0 || deleted.length > 0) super.fireDocumentUpdate(ours, deleted);
    }

    /** A closed document is read back from disk, or forgotten when it has no file. */
    didCloseDocument(event: TextDocumentChangeEvent<TextDocument>): void {
        const uri = URI.parse(event.document.uri);
        if (!this.serviceRegistry.hasServices(uri)) return;
        const onDisk = uri.scheme === 'file' && this.fileSystem.existsSync(uri);
        this.fireDocumentUpdate(onDisk ? [uri] : [], onDisk ? [] : [uri]);
    }
}
