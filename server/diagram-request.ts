// The `hatopo/diagram` request: the preview's drawing, laid out in the server so it is the same as
// `hatopo render`. Results are cached per document version and options; a newer request for the
// same document cancels the older one before its layout starts.

import { DocumentState, URI, type LangiumSharedCoreServices } from 'langium';
import type { CancellationToken } from 'vscode-languageserver';
import type { DiagramParams, DiagramResult } from '../protocol/messages.js';
import { formatWhatIf, whatIf } from '../language/analysis/what-if.js';
import { diagramOf } from '../language/diagram/diagram-model.js';
import { layoutDiagram } from '../language/diagram/layout.js';
import { renderSvg } from '../language/diagram/svg.js';
import type { HatopoServices } from '../language/hatopo-module.js';

const CACHE_SIZE = 16;

export class DiagramRequestHandler {
    private readonly cache = new Map<string, DiagramResult>();

    constructor(
        private readonly shared: LangiumSharedCoreServices,
        private readonly hatopo: HatopoServices
    ) {}

    async handle(params: DiagramParams, token: CancellationToken): Promise<DiagramResult> {
        const uri = URI.parse(params.uri);
        await this.shared.workspace.DocumentBuilder.waitUntil(DocumentState.Validated, uri, token);
        const document = this.shared.workspace.LangiumDocuments.getDocument(uri);
        if (!document) throw new Error(`${params.uri} is not open`);
        const failures = params.failures ?? [];
        const key = `${params.uri}@${document.textDocument.version}|${failures.join(',')}|${(params.expanded ?? []).join(',')}`;
        const cached = this.cache.get(key);
        if (cached) return cached;

        const { model } = this.hatopo.analysis.ModelCache.get(document);
        const findings = this.hatopo.analysis.ModelCache.visibleFindings(document);
        let lostHosts = new Set<string>();
        let whatIfLines: string[] = [];
        if (failures.length > 0) {
            try {
                const result = whatIf(model, failures);
                lostHosts = new Set(result.lostHosts);
                whatIfLines = formatWhatIf(result, model.name ?? 'topology')
                    .trimEnd()
                    .split('\n')
                    .slice(1)
                    .map(line => line.trim());
            } catch (error) {
                whatIfLines = [(error as Error).message]; // an element renamed since it was picked
            }
        }
        const graph = diagramOf(model, findings, { expanded: new Set(params.expanded ?? []), lostHosts });
        if (token.isCancellationRequested) throw new Error('cancelled');
        const svg = renderSvg(await layoutDiagram(graph));
        const result: DiagramResult = {
            svg,
            regions: model.regions.map(r => r.name),
            hosts: model.hosts.map(h => h.name),
            whatIf: whatIfLines
        };
        this.cache.set(key, result);
        if (this.cache.size > CACHE_SIZE) this.cache.delete(this.cache.keys().next().value!);
        return result;
    }
}
