// The model of a document's topology, built once per workspace state and shared by validation,
// hovers and quick fixes (rebuilt after any change, as Langium's WorkspaceCache is cleared).

import { WorkspaceCache, type LangiumDocument } from 'langium';
import type { LangiumSharedServices } from 'langium/lsp';
import { analyse } from './analysis/analyse.js';
import type { Finding } from './analysis/finding.js';
import { importClosure } from './hatopo-imports.js';
import { buildModel } from './model/build-model.js';
import type { TopologyModel } from './model/model.js';

export interface AnalysedTopology {
    model: TopologyModel;
    findings: Finding[];
}

export class HatopoModelCache {
    private readonly cache: WorkspaceCache<string, AnalysedTopology>;

    constructor(private readonly shared: LangiumSharedServices) {
        this.cache = new WorkspaceCache(shared);
    }

    get(document: LangiumDocument): AnalysedTopology {
        return this.cache.get(document.uri.toString(), () => {
            const model = buildModel(importClosure(document, this.shared.workspace.LangiumDocuments));
            return { model, findings: analyse(model) };
        });
    }
}
