// The `hatopo/diagram` request: the preview's drawing, laid out in the server so it is the same as
// `hatopo render`. Results are cached per view, failures and version of every file of the topology (the
// document and its imports: an edit to an imported file draws anew); a newer request for the same
// document cancels the older one before its layout starts.

import { DocumentState, URI, type LangiumSharedCoreServices } from 'langium';
import type { CancellationToken } from 'vscode-languageserver';
import type { DiagramParams, DiagramResult } from '../protocol/messages.js';
import { isView } from '../protocol/views.js';
import { whatIf, type WhatIfResult } from '../language/analysis/what-if.js';
import { diagramOf } from '../language/diagram/diagram-model.js';
import { renderSvg } from '../language/diagram/svg.js';
import type { AnalysedTopology } from '../language/hatopo-model-cache.js';
import { importClosure } from '../language/hatopo-imports.js';
import type { HatopoServices } from '../language/hatopo-module.js';

const CACHE_SIZE = 16;

export class DiagramRequestHandler {
    // The analysed topology is held weakly: a cached drawing must not keep a closed document's AST alive.
    private readonly cache = new Map<string, { analysed: WeakRef<AnalysedTopology>; result: DiagramResult }>();

    constructor(
        private readonly shared: LangiumSharedCoreServices,
        private readonly hatopo: HatopoServices
    ) {}

    /**
     * The document once it and the files it imports are validated. A tab closed and opened again
     * while the request waits is answered from the reopened document: the request waits for the
     * updates that bring it back, a short while each, before it says the document is not open.
     */
    private async built(uri: URI, token: CancellationToken) {
        const builder = this.shared.workspace.DocumentBuilder;
        const documents = this.shared.workspace.LangiumDocuments;
        for (let attempt = 0; ; attempt++) {
            if (documents.hasDocument(uri)) await builder.waitUntil(DocumentState.Validated, uri, token);
            // Imported files are built too: the drawing reads the whole topology.
            await builder.waitUntil(DocumentState.Validated, token);
            const document = documents.getDocument(uri);
            if (document || attempt === REOPEN_WAITS) return document;
            await nextUpdate(builder, REOPEN_WAIT_MS);
        }
    }

    async handle(params: DiagramParams, token: CancellationToken): Promise<DiagramResult> {
        const uri = URI.parse(params.uri);
        const document = await this.built(uri, token);
        const documents = this.shared.workspace.LangiumDocuments;
        if (!document) throw new Error(`${params.uri} is not open`);
        const view = isView(params.view) ? params.view : 'architecture';
        const failures = params.failures ?? [];
        const closure = importClosure(document, documents);
        const versions = closure.map(file => `${file.uri.toString()}@${file.textDocument.version}`).join(',');
        const key = `${versions}|${view}|${failures.join(',')}|${(params.expanded ?? []).join(',')}`;
        const analysed = this.hatopo.analysis.ModelCache.get(document);
        const cached = this.cache.get(key);
        // Same versions and the same analysed model: nothing in the topology changed since.
        if (cached && cached.analysed.deref() === analysed) return cached.result;

        const { model } = analysed;
        const findings = this.hatopo.analysis.ModelCache.visibleFindings(document);
        let outcome: WhatIfResult | undefined;
        let whatIfLines: string[] = [];
        if (failures.length > 0) {
            try {
                outcome = whatIf(model, failures);
                whatIfLines = summary(outcome);
            } catch (error) {
                whatIfLines = [(error as Error).message]; // an element renamed since it was picked
            }
        }
        const graph = diagramOf(model, findings, {
            view,
            expanded: new Set(params.expanded ?? []),
            whatIf: outcome
        });
        if (token.isCancellationRequested) throw new Error('cancelled');
        // The layout (and ELK, out/elk.cjs) is loaded with the first drawing, not with the server.
        const { layoutDiagram } = await import('../language/diagram/layout.js');
        const svg = renderSvg(await layoutDiagram(graph));
        const result: DiagramResult = {
            svg,
            view,
            regions: model.regions.map(region => region.name),
            hosts: model.hosts.map(host => host.name),
            links: model.links.map(link => link.id.slice('link:'.length)),
            whatIf: whatIfLines,
            documents: closure.map(file => file.uri.toString())
        };
        this.cache.delete(key);
        this.cache.set(key, { analysed: new WeakRef(analysed), result });
        if (this.cache.size > CACHE_SIZE) this.cache.delete(this.cache.keys().next().value!);
        return result;
    }
}

/** How many updates, of at most how long a wait each, a request waits through for a reopened document. */
const REOPEN_WAITS = 3;
const REOPEN_WAIT_MS = 500;

/**
 * The start of the next update (the reopened document's), or the time given, whichever comes first.
 * Not the end of a build phase: a wait begun inside Langium's build-phase notification misses that
 * phase (its listeners are copied before they are called, its state set after), and would last
 * until the next edit.
 */
function nextUpdate(builder: LangiumSharedCoreServices['workspace']['DocumentBuilder'], ms: number): Promise<void> {
    return new Promise<void>(resolve => {
        const done = () => {
            clearTimeout(timer);
            listener.dispose();
            resolve();
        };
        const timer = setTimeout(done, ms);
        const listener = builder.onUpdate(done);
    });
}

/** The what-if in a few lines for the preview: clusters, services, and the cut flows by purpose. */
function summary(result: WhatIfResult): string[] {
    const lines = [
        ...result.clusters.map(c => `${c.primary ? 'ok' : 'DOWN'} ${c.kind} ${c.name}: ${c.detail}`),
        ...result.services.map(s => (s.up ? `ok service ${s.name}` : `DOWN service ${s.name}: ${s.reasons.join('; ')}`))
    ];
    if (result.flowsCut.length > 0) {
        const byPurpose = new Map<string, number>();
        for (const flow of result.flowsCut) {
            const key = `${flow.purpose} ${flow.port}`;
            byPurpose.set(key, (byPurpose.get(key) ?? 0) + 1);
        }
        const groups = [...byPurpose].map(([what, count]) => `${what} ×${count}`);
        lines.push(
            `${result.flowsCut.length} flows cut: ${groups.slice(0, 6).join(', ')}${groups.length > 6 ? `, and ${groups.length - 6} more kinds` : ''}`
        );
    }
    return lines;
}
