// Which documents an edit rebuilds, and in which order. A file's diagnostics come from its whole
// topology (it and the files it imports), so an edit of a region file changes the diagnostics of
// every file that imports it, directly or not, even one with no reference into it (the estate's
// `topology.hatopo`, which only imports): Langium relinks only files that refer into the changed
// one, so the others are validated again here. Nothing else is rebuilt: a file that does not import
// the edited one keeps its diagnostics and its analysed topology (hatopo-model-cache.ts). The edited
// files are validated first, so their diagnostics are published before their importers' are, the
// importers after a short pause in the typing, and the edited files let go of their old syntax trees
// before the new ones are built.

import { DefaultDocumentBuilder, DocumentState, OperationCancelled, URI, type LangiumDocument } from 'langium';
import type { CancellationToken } from 'vscode-languageserver-protocol';
import { isDocument } from './generated/ast.js';
import { releaseParseResult } from './hatopo-document-factory.js';
import { importUri } from './hatopo-imports.js';

/**
 * How long after an edit's own diagnostics the files that import it wait before they are validated:
 * the next keystroke within this time cancels the wait (they are validated with the next edit's
 * build instead), so a user typing in a region file does not wait for the whole estate's rules on
 * every key, and the estate's diagnostics follow when the typing pauses.
 */
export const IMPORTERS_DELAY_MS = 150;

export class HatopoDocumentBuilder extends DefaultDocumentBuilder {
    importersDelayMs = IMPORTERS_DELAY_MS;
    /** The files the update in progress changed, once it has said so. */
    private changedNow?: ReadonlySet<string>;
    private updating = false;
    private waited = false;
    private relinkFor?: { changed: Set<string>; importers: Set<string> };

    override async update(...args: Parameters<DefaultDocumentBuilder['update']>): Promise<void> {
        this.updating = true;
        this.waited = false;
        try {
            await super.update(...args);
        } finally {
            this.updating = false;
            this.changedNow = undefined;
        }
    }

    /** In an edit's build, the first file that was not edited waits for the typing to pause. */
    protected override async validate(document: LangiumDocument, cancelToken: CancellationToken): Promise<void> {
        const changed = this.changedNow;
        if (this.updating && changed && changed.size > 0 && !this.waited && !changed.has(document.uri.toString())) {
            this.waited = true;
            await pause(this.importersDelayMs, cancelToken);
        }
        await super.validate(document, cancelToken);
    }

    /**
     * Langium relinks a file when its reference index points into a changed file; a file linked in a
     * build that was cancelled before its references were indexed has no index, so it would keep
     * pointing at the changed file's old tree: relinked when it imports a changed file.
     */
    protected override shouldRelink(document: LangiumDocument, changedUris: Set<string>): boolean {
        if (super.shouldRelink(document, changedUris)) return true;
        if (document.state !== DocumentState.Linked) return false;
        if (this.relinkFor?.changed !== changedUris)
            this.relinkFor = {
                changed: changedUris,
                importers: new Set(
                    this.importersOf([...changedUris].map(uri => URI.parse(uri))).map(d => d.uri.toString())
                )
            };
        return this.relinkFor.importers.has(document.uri.toString());
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

/** Waits, or stops waiting as soon as the token is cancelled (then throws, as Langium's builds do). */
function pause(ms: number, cancelToken: CancellationToken): Promise<void> {
    if (cancelToken.isCancellationRequested) return Promise.reject(OperationCancelled);
    return new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => {
            listener.dispose();
            resolve();
        }, ms);
        const listener = cancelToken.onCancellationRequested(() => {
            clearTimeout(timer);
            listener.dispose();
            reject(OperationCancelled);
        });
    });
}
