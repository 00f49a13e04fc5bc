// The `hatopo/export` request: the editor's "Export Configs" command, written by the same pure
// exporters and the same writer as `hatopo export`.

import { DocumentState, URI, type LangiumSharedCoreServices } from 'langium';
import type { CancellationToken } from 'vscode-languageserver';
import type { ExportParams, ExportResult } from '../protocol/messages.js';
import { exportAll } from '../language/export/export-all.js';
import type { HatopoServices } from '../language/hatopo-module.js';
import { importClosure } from '../language/hatopo-imports.js';
import { exportBlock, exportBlockMessage } from './export-gate.js';
import { ExportError, writeExport } from './export-writer.js';

export async function handleExport(
    shared: LangiumSharedCoreServices,
    hatopo: HatopoServices,
    params: ExportParams,
    token: CancellationToken
): Promise<ExportResult> {
    const uri = URI.parse(params.uri);
    await shared.workspace.DocumentBuilder.waitUntil(DocumentState.Validated, uri, token);
    const document = shared.workspace.LangiumDocuments.getDocument(uri);
    if (!document) return { ok: false, message: `${params.uri} is not open`, edited: false };
    const model = hatopo.analysis.ModelCache.get(document).model;
    const block = exportBlock(importClosure(document, shared.workspace.LangiumDocuments), model);
    if (block) return { ok: false, message: exportBlockMessage(block, block.uri.fsPath), edited: false };
    try {
        const result = await writeExport(params.folder, exportAll(model), {
            force: params.force
        });
        return { ok: true, ...result };
    } catch (error) {
        if (error instanceof ExportError)
            return { ok: false, message: error.message, edited: error.message.includes('--force') };
        throw error;
    }
}
