// Inlay hints: the figures the engine computes, shown where the user writes their inputs. A Galera
// member's weight and segment where they are defaults and the cluster's worst loss after its
// members; a token's size after its format; each hop's share of its header limit; the flows a link
// carries. Only nodes in the requested range are visited, and every figure comes from the
// per-change cache, so scrolling a 20,000-host file costs no analysis.

import { AstUtils, CstUtils, GrammarUtils, type AstNode, type LangiumDocument } from 'langium';
import type { InlayHintProvider } from 'langium/lsp';
import { InlayHintKind, type InlayHint, type InlayHintParams, type Position } from 'vscode-languageserver';
import { segmentOf } from '../analysis/segments.js';
import * as ast from '../generated/ast.js';
import type { HatopoServices } from '../hatopo-module.js';
import type * as m from '../model/model.js';
import type { TopologyFigures } from './hatopo-figures.js';

export class HatopoInlayHintProvider implements InlayHintProvider {
    constructor(private readonly services: HatopoServices) {}

    getInlayHints(document: LangiumDocument, params: InlayHintParams): InlayHint[] {
        const figures = this.services.analysis.Figures.get(document);
        const hints: InlayHint[] = [];
        // Walked by hand rather than with streamAst's `range` option: Langium 4.4's streamContents
        // skips the property after a single-node property that lies outside the range (a file's
        // `topology` line outside the screen hides all its elements).
        const iterator = AstUtils.streamAst(document.parseResult.value).iterator();
        for (let next = iterator.next(); !next.done; next = iterator.next()) {
            const range = next.value.$cstNode?.range;
            if (range && !CstUtils.inRange(range, params.range)) {
                iterator.prune();
                continue;
            }
            hints.push(...hintsFor(next.value, figures));
        }
        return hints;
    }
}

function hint(position: Position | undefined, label: string, tooltip?: string): InlayHint[] {
    return position ? [{ position, label, kind: InlayHintKind.Parameter, paddingLeft: true, tooltip }] : [];
}

function end(node: AstNode, property?: string): Position | undefined {
    const cst = property ? node.$cstNode && GrammarUtils.findNodeForProperty(node.$cstNode, property) : node.$cstNode;
    return cst?.range.end;
}

function hintsFor(node: AstNode, figures: TopologyFigures): InlayHint[] {
    const elementOf = figures.topology.elementOf;
    if (ast.isGaleraMember(node) && ast.isGalera(node.$container)) {
        const galera = node.$container;
        const cluster = elementOf(galera) as m.Galera | undefined;
        const host = node.host?.ref && elementOf(node.host.ref);
        if (!cluster || !host) return [];
        const arbitrator = node.$containerProperty === 'arbitrators';
        const member = (arbitrator ? cluster.arbitrators : cluster.members).find(candidate => candidate.host === host);
        if (!member) return [];
        const defaults: string[] = [];
        if (node.weight === undefined) defaults.push(`w=${member.weight}`);
        const regions = new Set([...cluster.members, ...cluster.arbitrators].map(voter => voter.host.region));
        if (node.segment === undefined && regions.size > 1) {
            const segment = segmentOf(cluster)(member);
            defaults.push(`seg=${segment.segment}`);
        }
        const hints = defaults.length
            ? hint(end(node), defaults.join(' '), 'pc.weight and gmcast.segment as Galera will use them')
            : [];
        if (!arbitrator && galera.members.at(-1) === node) hints.push(...worstLoss(node, cluster, figures));
        return hints;
    }
    if (ast.isToken(node) && ast.isService(node.$container)) {
        const service = elementOf(node.$container) as m.Service | undefined;
        if (!service?.token) return [];
        const size = figures.tokenSize(service.token);
        return hint(
            end(node, 'format'),
            `${size.bytes} B`,
            size.catalogEndpoints
                ? `with the catalog of ${size.catalogEndpoints} endpoints the topology implies`
                : undefined
        );
    }
    if (ast.isHop(node) && ast.isService(node.$container)) {
        const service = elementOf(node.$container) as m.Service | undefined;
        const row = service && figures.budget(service)?.hops[node.$container.hops.indexOf(node)];
        if (!row) return [];
        if (!row.limit) return hint(end(node), 'limit unknown');
        return hint(
            end(node),
            `${Math.round(row.share * 100)} %`,
            `needs ${row.needed} B of ${row.limit.bytes} B (${row.limit.setting}${row.limit.modelled ? '' : ', default'})`
        );
    }
    if (ast.isLink(node)) {
        const link = elementOf(node) as m.Link | undefined;
        if (!link) return [];
        const { flows, blocked } = figures.linkFlows(link);
        return hint(
            end(node, 'to'),
            `${flows.length} flow${flows.length === 1 ? '' : 's'}${blocked ? ` · ${blocked} blocked` : ''}`,
            'flows the topology needs that cross this link'
        );
    }
    return [];
}

/** After the last member: the worst single loss (a region when the cluster spans several, else a host). */
function worstLoss(node: ast.GaleraMember, cluster: m.Galera, figures: TopologyFigures): InlayHint[] {
    const table = figures.quorum(cluster);
    const regions = table.filter(outcome => outcome.failure.startsWith('region:'));
    const candidates = regions.length > 0 ? regions : table;
    const worst = candidates.reduce<(typeof table)[number] | undefined>(
        (low, outcome) => (!low || outcome.survivingWeight < low.survivingWeight ? outcome : low),
        undefined
    );
    if (!worst) return [];
    return hint(
        end(node),
        `worst loss ${worst.failure}: ${worst.survivingWeight} of ${worst.totalWeight}, ${worst.primary ? 'Primary' : 'non-primary'}`,
        'the surviving weight when the heaviest failure domain is lost (crash, not graceful)'
    );
}
