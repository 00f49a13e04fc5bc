// Loads .hatopo files for the CLI: the named files, every *.hatopo under named folders, and the
// files they import, then builds and validates them together.

import { promises as fs, type Stats } from 'node:fs';
import * as path from 'node:path';
import { URI, type LangiumDocument } from 'langium';
import { isDocument } from '../language/generated/ast.js';
import { createHatopoServices, type HatopoServices } from '../language/hatopo-module.js';
import { importClosure, importUri } from '../language/hatopo-imports.js';
import { buildModel } from '../language/model/build-model.js';
import type { TopologyModel } from '../language/model/model.js';
import { InputError } from './cli-command.js';
import { checkInputStat, InputFileError, InputFileSystem } from './input-file.js';

export { InputError };

export interface LoadedTopology {
    services: HatopoServices;
    documents: LangiumDocument[];
}

export async function findHatopoFiles(paths: readonly string[]): Promise<string[]> {
    const files = new Set<string>();
    for (const given of paths) {
        const absolute = path.resolve(given);
        const stat = await fs.stat(absolute).catch((error: NodeJS.ErrnoException) => {
            throw new InputError(`${given}: ${error.code === 'ENOENT' ? 'no such file or directory' : error.message}`);
        });
        if (stat.isDirectory()) {
            for (const entry of await fs.readdir(absolute, { recursive: true, withFileTypes: true })) {
                const full = path.join(entry.parentPath, entry.name);
                if (
                    entry.isFile() &&
                    entry.name.endsWith('.hatopo') &&
                    !full.includes(`${path.sep}node_modules${path.sep}`)
                )
                    files.add(full);
            }
        } else {
            checkOrRefuse(given, stat);
            files.add(absolute);
        }
    }
    return [...files].sort();
}

function checkOrRefuse(file: string, stat: Stats): void {
    try {
        checkInputStat(file, stat);
    } catch (error) {
        throw error instanceof InputFileError ? new InputError(error.message) : error;
    }
}

const shown = (file: string) => path.relative(process.cwd(), file) || file;

export async function loadTopology(files: readonly string[]): Promise<LoadedTopology> {
    const services = createHatopoServices(InputFileSystem).Hatopo;
    const langiumDocuments = services.shared.workspace.LangiumDocuments;
    const documents: LangiumDocument[] = [];
    // Each file with the import line that brought it in, to say where a refused import comes from.
    const queue: Array<{ uri: URI; importedAt?: string }> = files.map(file => ({ uri: URI.file(file) }));
    const seen = new Set<string>();
    while (queue.length > 0) {
        const { uri, importedAt } = queue.shift()!;
        if (seen.has(uri.toString())) continue;
        seen.add(uri.toString());
        let document: LangiumDocument;
        try {
            document = await langiumDocuments.getOrCreateDocument(uri);
        } catch (error) {
            const reason = error instanceof InputFileError ? error.reason : (error as Error).message;
            if (!importedAt) throw new InputError(`${shown(uri.fsPath)}: ${reason}`);
            // A FIFO or a huge file behind an import is refused like a named one; a missing import
            // is the validator's to report at the import line.
            if (error instanceof InputFileError)
                throw new InputError(`${shown(uri.fsPath)} (imported at ${importedAt}): ${reason}`);
            continue;
        }
        documents.push(document);
        const root = document.parseResult.value;
        if (!isDocument(root)) continue;
        for (const importNode of root.imports) {
            const line = (importNode.$cstNode?.range.start.line ?? 0) + 1;
            const imported = importUri(document, importNode);
            if (imported) queue.push({ uri: imported, importedAt: `${shown(uri.fsPath)}:${line}` });
        }
    }
    await services.shared.workspace.DocumentBuilder.build(documents, { validation: true });
    return { services, documents };
}

/** One model per topology: each loaded file that no other loaded file imports, with its imports. */
export function topologies(
    services: HatopoServices,
    documents: readonly LangiumDocument[]
): Array<{ name: string; model: TopologyModel }> {
    const langiumDocuments = services.shared.workspace.LangiumDocuments;
    const imported = new Set<string>();
    for (const document of documents) {
        for (const dependency of importClosure(document, langiumDocuments))
            if (dependency !== document) imported.add(dependency.uri.toString());
    }
    return documents
        .filter(document => !imported.has(document.uri.toString()))
        .map(document => ({
            name: path.relative(process.cwd(), document.uri.fsPath) || document.uri.fsPath,
            model: buildModel(importClosure(document, langiumDocuments))
        }));
}
