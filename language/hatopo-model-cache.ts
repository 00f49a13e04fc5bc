// The model of a document's topology, built once per workspace state and shared by validation,
// hovers and quick fixes (rebuilt after any change, as Langium's WorkspaceCache is cleared). It
// keeps the trace from AST nodes to model elements, so the editor never matches by name or line.

import { URI, WorkspaceCache, type AstNode, type LangiumDocument } from 'langium';
import type { LangiumSharedServices } from 'langium/lsp';
import { analyse } from './analysis/analyse.js';
import type { Finding } from './analysis/finding.js';
import { applySettings, suppressions, type RuleSettings } from './analysis/settings.js';
import { settingsFor } from './hatopo-settings.js';
import { importClosure } from './hatopo-imports.js';
import { buildTracedModel } from './model/build-model.js';
import type { ModelElement, TopologyModel } from './model/model.js';

export interface AnalysedTopology {
    model: TopologyModel;
    findings: Finding[];
    /** The model element an AST node became, if any. */
    elementOf(node: AstNode): ModelElement | undefined;
    /** The AST node an element was built from, in whichever file of the topology defines it. */
    nodeOf(element: ModelElement): AstNode | undefined;
}

export class HatopoModelCache {
    private readonly cache: WorkspaceCache<string, AnalysedTopology>;

    constructor(private readonly shared: LangiumSharedServices) {
        this.cache = new WorkspaceCache(shared);
    }

    /**
     * The findings a user sees: every file's findings after that file's hatopo.json and
     * `hatopo-ignore` comments. The diagram and `render` draw these, the same set as the diagnostics.
     */
    visibleFindings(document: LangiumDocument): Finding[] {
        const { findings } = this.get(document);
        const documents = this.shared.workspace.LangiumDocuments;
        const perFile = new Map<string, { settings: RuleSettings; silenced: Map<number, Set<string>> } | undefined>();
        const rulesOf = (uri: string) => {
            if (!perFile.has(uri)) {
                const source = documents.getDocument(URI.parse(uri));
                perFile.set(
                    uri,
                    source && {
                        settings: settingsFor(source, this.shared.workspace.FileSystemProvider).settings,
                        silenced: suppressions(source.textDocument.getText())
                    }
                );
            }
            return perFile.get(uri);
        };
        return findings.flatMap(finding => {
            const rules = rulesOf(finding.range.uri);
            return rules ? applySettings([finding], rules.settings, rules.silenced) : [finding];
        });
    }

    get(document: LangiumDocument): AnalysedTopology {
        return this.cache.get(document.uri.toString(), () => {
            const traced = buildTracedModel(importClosure(document, this.shared.workspace.LangiumDocuments));
            return { ...traced, findings: analyse(traced.model) };
        });
    }
}
