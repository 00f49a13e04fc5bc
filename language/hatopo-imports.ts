// `import "other.hatopo"`: which documents one topology is made of.

import { UriUtils, type LangiumDocument, type LangiumDocuments, URI } from 'langium';
import { isDocument, type Import } from './generated/ast.js';

/** The file an import names, or undefined while its path is not written yet (`import` alone). */
export function importUri(document: LangiumDocument, importNode: Import): URI | undefined {
    if (typeof importNode.path !== 'string') return undefined;
    return UriUtils.resolvePath(UriUtils.dirname(document.uri), importNode.path);
}

/**
 * The document and every loaded document it imports, directly or not: imported files first, the
 * document itself last, so that a clash between two files is reported in the file that imports.
 */
export function importClosure(document: LangiumDocument, documents: LangiumDocuments): LangiumDocument[] {
    const seen = new Map<string, LangiumDocument>([[document.uri.toString(), document]]);
    const queue = [document];
    while (queue.length > 0) {
        const current = queue.shift()!;
        const root = current.parseResult.value;
        if (!isDocument(root)) continue;
        for (const importNode of root.imports) {
            const uri = importUri(current, importNode);
            if (!uri) continue;
            const key = uri.toString();
            if (seen.has(key) || !documents.hasDocument(uri)) continue;
            const imported = documents.getDocument(uri)!;
            seen.set(key, imported);
            queue.push(imported);
        }
    }
    return [...seen.values()].reverse();
}
