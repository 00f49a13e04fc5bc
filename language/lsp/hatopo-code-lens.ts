// Code lenses: "Open Preview" above the file, and the engine's figures above each cluster and
// service ("survives: any 1 region", "availability 99.97 % · target 99.95 %"). A lens opens the
// preview; a cluster's lens passes the failure it speaks of, so the preview can show that what-if.

import type { LangiumDocument } from 'langium';
import type { CodeLensProvider } from 'langium/lsp';
import type { CodeLens, CodeLensParams } from 'vscode-languageserver-protocol';
import { formatPercent } from '../analysis/availability.js';
import type { FailureOutcome } from '../analysis/quorum.js';
import { OPEN_PREVIEW_COMMAND, type OpenPreviewOptions } from '../../protocol/messages.js';
import type { HatopoServices } from '../hatopo-module.js';
import type * as m from '../model/model.js';

export class HatopoCodeLensProvider implements CodeLensProvider {
    constructor(private readonly services: HatopoServices) {}

    provideCodeLens(document: LangiumDocument, _params: CodeLensParams): CodeLens[] {
        const uri = document.uri.toString();
        const first = document.parseResult.value.$cstNode?.range.start ?? { line: 0, character: 0 };
        const lenses: CodeLens[] = [
            {
                range: { start: first, end: first },
                command: { title: 'Open Preview', command: OPEN_PREVIEW_COMMAND, arguments: [uri] }
            }
        ];
        const figures = this.services.analysis.Figures.get(document);
        const model = figures.model;
        const here = (element: m.ModelElement) => element.source.uri === uri;
        const lens = (element: m.ModelElement, title: string, options?: OpenPreviewOptions) =>
            lenses.push({
                range: element.nameSource,
                command: { title, command: OPEN_PREVIEW_COMMAND, arguments: options ? [uri, options] : [uri] }
            });
        for (const cluster of model.galeras.filter(here)) {
            const { title, worst } = galeraSummary(figures.quorum(cluster));
            lens(cluster, title, worst ? { failures: [worst.failure] } : undefined);
        }
        for (const cluster of model.rabbitmqs.filter(here)) {
            const size = cluster.members.length;
            const spare = size - (Math.floor(size / 2) + 1);
            const first = cluster.members[0];
            lens(
                cluster,
                spare > 0
                    ? `survives: any ${spare} node${spare > 1 ? 's' : ''} (majority ${size - spare} of ${size})`
                    : `⚠ loses its majority with any node (${size} members)`,
                first ? { failures: [`host:${first.name}`] } : undefined
            );
        }
        for (const service of model.services.filter(here)) {
            const computed = figures.availability(service).availability;
            const target = service.availability ?? model.targets.availability;
            const below = target !== undefined && computed < target;
            lens(
                service,
                `${below ? '⚠ ' : ''}availability ${formatPercent(computed)}${target !== undefined ? ` · target ${formatPercent(target)}` : ''}`
            );
        }
        return lenses;
    }
}

/** "survives: any 1 region · any 1 host", or the losses that leave it non-primary; the worst loss. */
function galeraSummary(table: FailureOutcome[]): { title: string; worst?: FailureOutcome } {
    const regions = table.filter(outcome => outcome.failure.startsWith('region:'));
    const hosts = table.filter(outcome => outcome.failure.startsWith('host:'));
    const worst = [...(regions.length > 0 ? regions : hosts)].sort((a, b) => a.survivingWeight - b.survivingWeight)[0];
    const failing = table.filter(outcome => !outcome.primary).map(outcome => outcome.failure);
    if (failing.length > 0) {
        const shown = failing.slice(0, 3).join(', ') + (failing.length > 3 ? ` and ${failing.length - 3} more` : '');
        return { title: `⚠ non-primary after losing ${shown}`, worst };
    }
    const survives = [
        regions.length > 0 ? 'any 1 region' : undefined,
        hosts.length > 0 ? 'any 1 host' : undefined
    ].filter(Boolean);
    return {
        title: survives.length
            ? `survives: ${survives.join(' · ')}${worst ? ` (worst: ${worst.survivingWeight} of ${worst.totalWeight})` : ''}`
            : 'no voters',
        worst
    };
}
