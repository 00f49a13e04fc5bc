// The model of a document's topology (the document and the files it imports), analysed, shared by
// validation, hovers, code lenses, quick fixes and the diagram. It keeps the trace from AST nodes to
// model elements, so the editor never matches by name or line.
//
// An analysed topology is a function of its files' syntax trees and how they are linked, nothing
// else: it is kept as long as every file of the topology still has the same tree, linked the same
// time. An edit of one region file therefore leaves the topologies that do not import it as they
// were (their hovers, lenses and drawing stay), and only what imports it is built again. Kept only
// for open documents (in the language server; everything in the CLI): a closed file's topology is
// built for its diagnostics and dropped, so the old trees of a big estate are not held.

import { DocumentState, interruptAndCheck, URI, type AstNode, type LangiumDocument } from 'langium';
import type { LangiumSharedServices } from 'langium/lsp';
import { CancellationToken } from 'vscode-languageserver-protocol';
import { analyse, RULE_FAMILIES } from './analysis/analyse.js';
import { withoutCutShort } from './analysis/cut-short.js';
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

/** What an analysed topology was built from: each file's syntax tree and the time it was linked. */
type Inputs = Array<{ root: AstNode; linked: number }>;

interface Entry {
    inputs: Inputs;
    analysed: AnalysedTopology;
}

export class HatopoModelCache {
    private readonly entries = new Map<string, Entry>();
    /** Which linking of a document the model saw: a document linked again may point elsewhere. */
    private readonly linked = new WeakMap<LangiumDocument, number>();
    private linkings = 0;
    /** Everything is kept in the CLI; in the language server only open documents' topologies are. */
    private readonly keepAll: boolean;

    constructor(private readonly shared: LangiumSharedServices) {
        this.keepAll = !shared.lsp.Connection;
        const builder = shared.workspace.DocumentBuilder;
        builder.onDocumentPhase(DocumentState.Linked, document => {
            this.linked.set(document, ++this.linkings);
        });
        // A changed or deleted file's old tree goes as soon as it changes, not when its topology is next read.
        builder.onUpdate((changed, deleted) => {
            const gone = new Set([...changed, ...deleted].map(uri => uri.toString()));
            for (const [uri, entry] of this.entries)
                if (gone.has(uri) || this.readsAny(entry, gone)) this.entries.delete(uri);
        });
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
        const closure = importClosure(document, this.shared.workspace.LangiumDocuments);
        const inputs = this.inputsOf(closure);
        const kept = this.entries.get(document.uri.toString());
        if (kept && sameInputs(kept.inputs, inputs)) return kept.analysed;
        const traced = buildTracedModel(closure);
        return this.keep(document, closure, inputs, { ...traced, findings: analyse(traced.model) });
    }

    /**
     * The same as `get`, for validation: the rule families run one at a time with a chance to cancel
     * between two, so the next keystroke does not wait for the whole estate's rules to finish.
     */
    async getCancellable(
        document: LangiumDocument,
        cancelToken: CancellationToken = CancellationToken.None
    ): Promise<AnalysedTopology> {
        const closure = importClosure(document, this.shared.workspace.LangiumDocuments);
        const inputs = this.inputsOf(closure);
        const kept = this.entries.get(document.uri.toString());
        if (kept && sameInputs(kept.inputs, inputs)) return kept.analysed;
        const traced = buildTracedModel(closure);
        const findings: Finding[] = [];
        for (const family of RULE_FAMILIES) {
            await interruptAndCheck(cancelToken);
            for (const finding of family.check(traced.model)) findings.push(finding);
        }
        return this.keep(document, closure, inputs, { ...traced, findings: withoutCutShort(traced.model, findings) });
    }

    private keep(
        document: LangiumDocument,
        closure: readonly LangiumDocument[],
        inputs: Inputs,
        analysed: AnalysedTopology
    ): AnalysedTopology {
        const uri = document.uri.toString();
        // Half-built files (parsed, not linked yet) make a model that is right for the moment only.
        const settled = closure.every(file => file.state >= DocumentState.Linked);
        if (settled && (this.keepAll || this.shared.workspace.TextDocuments?.get(uri)))
            this.entries.set(uri, { inputs, analysed });
        else this.entries.delete(uri);
        return analysed;
    }

    private inputsOf(closure: readonly LangiumDocument[]): Inputs {
        return closure.map(file => ({ root: file.parseResult.value, linked: this.linked.get(file) ?? 0 }));
    }

    /** Whether the topology was built from one of these files. */
    private readsAny(entry: Entry, uris: ReadonlySet<string>): boolean {
        return entry.inputs.some(input => {
            const document = input.root.$document;
            return document !== undefined && uris.has(document.uri.toString());
        });
    }
}

function sameInputs(a: Inputs, b: Inputs): boolean {
    return a.length === b.length && a.every((input, i) => input.root === b[i].root && input.linked === b[i].linked);
}
