// The `hatopo/export` request: the editor's "Export Configs" command, written by the same pure
// exporters and the same writer as `hatopo export`.

import { DocumentState, URI, type LangiumSharedCoreServices } from 'langium';
import type { CancellationToken } from 'vscode-languageserver';
import type { ExportParams, ExportResult } from '../protocol/messages.js';
import { exportAll, exportBlockers } from '../language/export/export-all.js';
import type { HatopoServices } from '../language/hatopo-module.js';
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
    const broken = (document.diagnostics ?? []).filter(
        d => d.code === 'syntax-error' || d.code === 'unresolved-reference'
    );
    if (broken.length > 0) {
        return {
            ok: false,
            message: `fix ${broken.length} syntax or reference error${broken.length > 1 ? 's' : ''} first (line ${broken[0].range.start.line + 1})`,
            edited: false
        };
    }
    const model = hatopo.analysis.ModelCache.get(document).model;
    const blockers = exportBlockers(model);
    if (blockers.length > 0) {
        return {
            ok: false,
            message: `fix ${blockers.length} invalid value${blockers.length > 1 ? 's' : ''} first (line ${blockers[0].source.start.line + 1}: ${blockers[0].message})`,
            edited: false
        };
    }
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
