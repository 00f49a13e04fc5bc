// An environment file (`environment staging { … }` after `import "design.hatopo"`) is checked as
// the design with its overrides. What the overrides change is found in the design's elements,
// whose text lives in the imported file: the environment reports those findings itself, at the
// override that touched the element or else at its own name, and only the ones the design alone
// does not have (those are reported in the design's file already).

import { AstUtils, GrammarUtils, type AstNode, type LangiumDocument, type LangiumDocuments } from 'langium';
import { analyse } from './analysis/analyse.js';
import type { Finding } from './analysis/finding.js';
import * as ast from './generated/ast.js';
import { importClosure } from './hatopo-imports.js';
import type { AnalysedTopology } from './hatopo-model-cache.js';
import { buildModel } from './model/build-model.js';
import type { SourceRange } from './model/model.js';

export function environmentFindings(
    document: LangiumDocument,
    topology: AnalysedTopology,
    documents: LangiumDocuments
): Finding[] {
    const root = document.parseResult.value;
    const environment = ast.isDocument(root) ? root.elements.find(ast.isEnvironment) : undefined;
    if (!environment) return [];
    const here = document.uri.toString();
    const design = importClosure(document, documents).filter(other => other !== document);
    const known = new Set(analyse(buildModel(design)).map(key));
    const at = overrideRanges(environment, topology);
    const name = rangeOf(environment, GrammarUtils.findNodeForProperty(environment.$cstNode, 'name')?.range);
    return topology.findings
        .filter(finding => finding.range.uri !== here && !known.has(key(finding)))
        .map(finding => {
            const element = finding.element && (finding.element.owner ?? finding.element);
            const file = finding.range.uri.split('/').pop();
            // The override of the element itself, or of what the finding names (a capacity's bottleneck).
            const data = finding.data as { bottleneck?: unknown; element?: unknown };
            const ids = [element?.id, data.bottleneck, data.element].filter(
                (id): id is string => typeof id === 'string'
            );
            const range = ids.map(id => at.get(id)).find(found => found !== undefined);
            return {
                ...finding,
                message: `in environment ${environment.name}: ${finding.message} (${file}:${finding.range.start.line + 1})`,
                range: range ?? name
            } as Finding;
        });
}

/** Addresses differ between environments by design: a finding is the same one without them. */
function key(finding: Finding): string {
    const element = finding.element && (finding.element.owner ?? finding.element);
    return `${finding.rule}|${element?.id ?? ''}|${finding.message.replace(/\d+\.\d+\.\d+\.\d+(\/\d+)?/g, '·')}`;
}

/** Each overridden element's id → the range of the override that names it. */
function overrideRanges(environment: ast.Environment, topology: AnalysedTopology): Map<string, SourceRange> {
    const ranges = new Map<string, SourceRange>();
    for (const override of environment.overrides) {
        const reference = ast.isRegionOverride(override)
            ? override.region
            : ast.isHostOverride(override)
              ? override.host
              : ast.isVipOverride(override)
                ? override.vip
                : ast.isHsmOverride(override)
                  ? override.hsm
                  : ast.isMemcachedOverride(override)
                    ? override.pool
                    : ast.isHAProxyOverride(override)
                      ? override.haproxy
                      : undefined;
        const target = reference?.ref && topology.elementOf(reference.ref);
        if (target) ranges.set(target.id, rangeOf(override));
    }
    return ranges;
}

function rangeOf(node: AstNode, range = node.$cstNode?.range): SourceRange {
    const fallback = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
    const { start, end } = range ?? fallback;
    return { uri: AstUtils.getDocument(node).uri.toString(), start, end };
}
