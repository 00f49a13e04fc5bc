// Loads .hatopo files for the CLI: the named files, every *.hatopo under named folders, and the
// files they import, then builds and validates them together.

import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { URI, type LangiumDocument } from 'langium';
import { NodeFileSystem } from 'langium/node';
import { isDocument } from '../language/generated/ast.js';
import { createHatopoServices, type HatopoServices } from '../language/hatopo-module.js';
import { importClosure, importUri } from '../language/hatopo-imports.js';
import { buildModel } from '../language/model/build-model.js';
import type { TopologyModel } from '../language/model/model.js';

/** A problem with the command's input itself (a missing path), reported as one line, exit 2. */
export class InputError extends Error {}

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
            files.add(absolute);
        }
    }
    return [...files].sort();
}

export async function loadTopology(files: readonly string[]): Promise<LoadedTopology> {
    const services = createHatopoServices(NodeFileSystem).Hatopo;
    const langiumDocuments = services.shared.workspace.LangiumDocuments;
    const documents: LangiumDocument[] = [];
    const queue = files.map(file => URI.file(file));
    const seen = new Set<string>();
    while (queue.length > 0) {
        const uri = queue.shift()!;
        if (seen.has(uri.toString())) continue;
        seen.add(uri.toString());
        let document: LangiumDocument;
        try {
            document = await langiumDocuments.getOrCreateDocument(uri);
        } catch (error) {
            if (files.includes(uri.fsPath)) throw new InputError(`${uri.fsPath}: ${(error as Error).message}`);
            continue; // a missing import: the validator reports it at the import line
        }
        documents.push(document);
        const root = document.parseResult.value;
        if (isDocument(root)) for (const importNode of root.imports) queue.push(importUri(document, importNode));
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
