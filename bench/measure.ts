// In-process measurements shared by the benchmark (bench/run.ts) and its guard (test/bench.test.ts):
// each function times one run on fresh services, so runs do not see each other's documents.

import { performance } from 'node:perf_hooks';
import { EmptyFileSystem, URI, type LangiumDocument } from 'langium';
import { analyse, RULE_FAMILIES } from '../language/analysis/analyse.js';
import { withoutCutShort } from '../language/analysis/cut-short.js';
import type { Finding } from '../language/analysis/finding.js';
import { exportAll } from '../language/export/export-all.js';
import { diagramOf } from '../language/diagram/diagram-model.js';
import { layoutDiagram } from '../language/diagram/layout.js';
import { renderSvg } from '../language/diagram/svg.js';
import { createHatopoServices, type HatopoServices } from '../language/hatopo-module.js';
import { importClosure } from '../language/hatopo-imports.js';
import { buildModel } from '../language/model/build-model.js';
import type { GeneratedFile } from './generate.js';

/** Findings that mean the generator wrote something wrong, not something the rules dislike. */
export const BROKEN = /^(syntax-error|unresolved-reference|duplicate-.*)$/;

export interface Built {
    ms: number;
    services: HatopoServices;
    documents: LangiumDocument[];
}

let folder = 0;

/** The parser alone on one text: the floor. */
export function timeParse(text: string, services = createHatopoServices(EmptyFileSystem).Hatopo): number {
    const start = performance.now();
    const result = services.parser.LangiumParser.parse(text);
    const ms = performance.now() - start;
    if (result.parserErrors.length > 0 || result.lexerErrors.length > 0)
        throw new Error('generated text does not parse');
    return ms;
}

/**
 * Creating the documents (parsing) and building them: with validation false, Langium's own work
 * (parse, index, scope, link); with validation true, everything hatopo adds (model and every rule).
 */
export async function timeBuild(files: readonly GeneratedFile[], validation: boolean): Promise<Built> {
    const services = createHatopoServices(EmptyFileSystem).Hatopo;
    const workspace = services.shared.workspace;
    const base = `file:///bench/${++folder}`;
    const start = performance.now();
    const documents = files.map(file => {
        const document = workspace.LangiumDocumentFactory.fromString(file.text, URI.parse(`${base}/${file.name}`));
        workspace.LangiumDocuments.addDocument(document);
        return document;
    });
    await workspace.DocumentBuilder.build(documents, { validation });
    return { ms: performance.now() - start, services, documents };
}

/** Model, rules, diagram graph, ELK layout and SVG for the topology of one built document. */
export async function timeDiagram(
    built: Built,
    document = built.documents.at(-1)!
): Promise<{ ms: number; svgBytes: number }> {
    const start = performance.now();
    const model = buildModel(importClosure(document, built.services.shared.workspace.LangiumDocuments));
    const svg = renderSvg(await layoutDiagram(diagramOf(model, analyse(model))));
    return { ms: performance.now() - start, svgBytes: svg.length };
}

/** The model of a built document's topology, then each rule family on it: the rules' share, family by family. */
export function timeRules(built: Built, document = built.documents.at(-1)!): Map<string, number> {
    const times = new Map<string, number>();
    let start = performance.now();
    const model = buildModel(importClosure(document, built.services.shared.workspace.LangiumDocuments));
    times.set('model', performance.now() - start);
    const findings: Finding[] = [];
    for (const family of RULE_FAMILIES) {
        start = performance.now();
        findings.push(...family.check(model));
        times.set(family.name, performance.now() - start);
    }
    start = performance.now();
    withoutCutShort(model, findings);
    times.set('cut short', performance.now() - start);
    return times;
}

/** Every exported file of a built document's topology, in memory (the writer is the CLI's part). */
export function timeExport(built: Built, document = built.documents.at(-1)!): { ms: number; files: number } {
    const start = performance.now();
    const model = buildModel(importClosure(document, built.services.shared.workspace.LangiumDocuments));
    const files = exportAll(model);
    return { ms: performance.now() - start, files: files.length };
}

/** "rule: message" for every diagnostic that shows the generated text itself is broken. */
export function brokenFindings(documents: readonly LangiumDocument[]): string[] {
    return documents.flatMap(document =>
        (document.diagnostics ?? [])
            .filter(diagnostic => BROKEN.test(String(diagnostic.code)))
            .map(
                diagnostic =>
                    `${document.uri.path}:${diagnostic.range.start.line + 1} ${diagnostic.code}: ${diagnostic.message}`
            )
    );
}

/** Runs `measure` warmUp times unrecorded, then `runs` times; returns the sorted samples. */
export async function sample(runs: number, warmUp: number, measure: () => Promise<number> | number): Promise<number[]> {
    const gc = (globalThis as { gc?: () => void }).gc;
    for (let i = 0; i < warmUp; i++) {
        gc?.();
        await measure();
    }
    const samples: number[] = [];
    for (let i = 0; i < runs; i++) {
        gc?.();
        samples.push(await measure());
    }
    return samples.sort((a, b) => a - b);
}

export function median(sorted: readonly number[]): number {
    const mid = Math.floor(sorted.length / 2);
    return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Nearest-rank percentile of sorted samples. */
export function percentile(sorted: readonly number[], p: number): number {
    return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}
