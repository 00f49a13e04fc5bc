// Which documents an edit rebuilds, and in which order. A file's diagnostics come from its whole
// topology (it and the files it imports), so an edit of a region file changes the diagnostics of
// every file that imports it, directly or not, even one with no reference into it (the estate's
// `topology.hatopo`, which only imports): Langium relinks only files that refer into the changed
// one, so the others are validated again here. Nothing else is rebuilt: a file that does not import
// the edited one keeps its diagnostics and its analysed topology (hatopo-model-cache.ts). The edited
// files are validated first, so their diagnostics are published before their importers' are, and
// they let go of their old syntax trees before the new ones are built.

import { DefaultDocumentBuilder, DocumentState, type LangiumDocument, type URI } from 'langium';
import { isDocument } from './generated/ast.js';
import { releaseParseResult } from './hatopo-document-factory.js';
import { importUri } from './hatopo-imports.js';

export class HatopoDocumentBuilder extends DefaultDocumentBuilder {
    /** The files the update in progress changed, once it has said so. */
    private changedNow?: ReadonlySet<string>;
    private updating = false;

    override async update(...args: Parameters<DefaultDocumentBuilder['update']>): Promise<void> {
        this.updating = true;
        try {
            await super.update(...args);
        } finally {
            this.updating = false;
            this.changedNow = undefined;
        }
    }

    /** Called by `update` after Langium has marked what to relink and before it collects what to build. */
    protected override async emitUpdate(changed: URI[], deleted: URI[]): Promise<void> {
        if (this.updating) {
            this.changedNow = new Set(changed.map(uri => uri.toString()));
            for (const document of this.importersOf([...changed, ...deleted]))
                this.resetToState(document, DocumentState.IndexedReferences);
            for (const uri of changed) this.releaseTree(uri);
        }
        await super.emitUpdate(changed, deleted);
    }

    /** Every loaded document that imports one of these files, directly or through other files. */
    importersOf(uris: readonly URI[]): LangiumDocument[] {
        const importers = new Map<string, LangiumDocument[]>();
        for (const document of this.langiumDocuments.all) {
            const root = document.parseResult.value;
            if (!isDocument(root)) continue;
            for (const importNode of root.imports) {
                const imported = importUri(document, importNode)?.toString();
                if (imported === undefined) continue;
                const list = importers.get(imported);
                if (list) list.push(document);
                else importers.set(imported, [document]);
            }
        }
        const seen = new Set(uris.map(uri => uri.toString()));
        const queue = [...seen];
        const found: LangiumDocument[] = [];
        while (queue.length > 0) {
            for (const importer of importers.get(queue.pop()!) ?? []) {
                const key = importer.uri.toString();
                if (seen.has(key)) continue;
                seen.add(key);
                queue.push(key);
                found.push(importer);
            }
        }
        return found;
    }

    /**
     * An edited open document lets go of its old syntax tree now, before the new one is parsed:
     * at 20,000 hosts the tree is about 100 MB, and Langium would hold both while parsing (the
     * server's peak memory). Until then the document reads as an empty file. (A closed document's
     * new text is read from disk when it is parsed: hatopo-document-factory.ts lets go of it then.)
     */
    private releaseTree(uri: URI): void {
        const document = this.langiumDocuments.getDocument(uri);
        const text = this.textDocuments?.get(uri.toString())?.getText();
        if (document && text !== undefined && document.parseResult.value.$cstNode?.root.fullText !== text)
            releaseParseResult(document);
    }

    /** Open documents first (Langium's order), the edited ones first of all. */
    protected override sortDocuments(documents: LangiumDocument[]): LangiumDocument[] {
        const sorted = super.sortDocuments(documents);
        const changed = this.changedNow;
        if (!changed || changed.size === 0) return sorted;
        const isChanged = (document: LangiumDocument) => changed.has(document.uri.toString());
        return [...sorted.filter(isChanged), ...sorted.filter(document => !isChanged(document))];
    }
}
