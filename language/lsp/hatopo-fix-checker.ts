// Every quick fix is checked by the engine before it is offered: its edits are applied to the text of
// every file of the topology in memory, the result is parsed, linked and analysed in a scratch
// Langium workspace of its own (the user's workspace is never touched), and the fix is offered only
// if the finding it is for is gone and no new error or warning appears.

import { URI, WorkspaceCache, type LangiumDocument } from 'langium';
import type { LangiumSharedServices } from 'langium/lsp';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { CancellationToken, Diagnostic, TextEdit } from 'vscode-languageserver-protocol';
import { findingElementId, type Finding, type Severity } from '../analysis/finding.js';
import { importClosure } from '../hatopo-imports.js';
import type { HatopoServices } from '../hatopo-module.js';

/** Edits by document URI, as a WorkspaceEdit's `changes`. */
export type Changes = Record<string, TextEdit[]>;

/** What a topology shows: how many findings of each key (rule, element, subject, severity). */
export interface Outcome {
    counts: Map<string, number>;
    errors: number;
    warnings: number;
}

export interface FixVerdict {
    ok: boolean;
    /** Why a fix is not offered: the finding stays, or what it would add. */
    reason?: string;
    before: Outcome;
    after: Outcome;
}

/** A finding's identity across an edit: positions move, these do not. */
export function findingKey(finding: Finding): string {
    return `${finding.severity}|${finding.rule}|${findingElementId(finding) ?? ''}|${subject(finding)}`;
}

function subject(finding: Finding): string {
    switch (finding.rule) {
        case 'port-unreachable':
            return `${finding.data.purpose}|${finding.data.protocol}/${finding.data.port}`;
        case 'port-exposed':
            return String(finding.data.port);
        case 'port-conflict':
            return `${finding.data.host}|${finding.data.address}:${finding.data.port}`;
        case 'header-budget':
            return String(finding.data.hopIndex);
        case 'header-catalog':
            return finding.data.hop;
        case 'spof':
            return `${finding.data.kind}|${finding.data.element}`;
        case 'galera-region-loss':
            return finding.data.region;
        case 'galera-arbitrator':
            return finding.data.host;
        case 'galera-unsafe-option':
            return finding.data.option;
        case 'vrrp-vrid-conflict':
            return String(finding.data.vrid);
        case 'vrrp-priority':
            return finding.data.host ?? '';
        case 'duplicate-address':
            return finding.data.address;
        case 'address-outside-subnet':
            return finding.data.address ?? '';
        case 'invalid-value':
            return `${finding.data.setting ?? ''}|${finding.data.hop ?? ''}`;
        case 'capacity-target':
            return finding.data.bottleneck;
        default:
            return '';
    }
}

const SEVERITY: Record<number, Severity> = { 1: 'error', 2: 'warning', 3: 'info', 4: 'info' };

export class HatopoFixChecker {
    private scratch?: { shared: LangiumSharedServices; Hatopo: HatopoServices };
    /** One scratch build at a time: they share the scratch workspace. */
    private queue: Promise<unknown> = Promise.resolve();
    private readonly outcomes: WorkspaceCache<string, Promise<Outcome>>;

    constructor(
        private readonly services: HatopoServices,
        private readonly createScratch: () => { shared: LangiumSharedServices; Hatopo: HatopoServices }
    ) {
        this.outcomes = new WorkspaceCache(services.shared);
    }

    /** Whether applying `changes` removes `finding` and adds no error or warning. */
    async check(
        document: LangiumDocument,
        finding: Finding,
        changes: Changes,
        cancelToken?: CancellationToken
    ): Promise<FixVerdict> {
        const before = await this.outcome(document, {}, cancelToken);
        const after = await this.outcome(document, changes, cancelToken);
        const target = findingKey(finding);
        const verdict = (ok: boolean, reason?: string): FixVerdict => ({ ok, reason, before, after });
        if ((after.counts.get(target) ?? 0) >= (before.counts.get(target) ?? 0))
            return verdict(false, 'the finding stays');
        for (const [key, count] of after.counts) {
            const severity = key.slice(0, key.indexOf('|'));
            if (severity !== 'error' && severity !== 'warning') continue;
            if (count > (before.counts.get(key) ?? 0)) return verdict(false, `it adds ${key}`);
        }
        return verdict(true);
    }

    /**
     * The findings of the document's topology with `changes` applied, from the scratch workspace;
     * without changes, what the user's workspace already shows (the same functions, no rebuild).
     */
    outcome(document: LangiumDocument, changes: Changes, cancelToken?: CancellationToken): Promise<Outcome> {
        const key = `${document.uri.toString()}\n${JSON.stringify(changes)}`;
        if (Object.keys(changes).length === 0) return this.outcomes.get(key, async () => this.current(document));
        const outcome = this.outcomes.get(key, () => {
            const run = this.queue.then(() => this.analyse(document, changes, cancelToken));
            this.queue = run.catch(() => undefined);
            return run;
        });
        // A cancelled or failed build is not an answer: the next request runs it again.
        outcome.catch(() => this.outcomes.delete(key));
        return outcome;
    }

    private async analyse(
        document: LangiumDocument,
        changes: Changes,
        cancelToken?: CancellationToken
    ): Promise<Outcome> {
        const closure = importClosure(document, this.services.shared.workspace.LangiumDocuments);
        const known = new Set(closure.map(doc => doc.uri.toString()));
        const outside = Object.keys(changes).find(uri => !known.has(uri));
        if (outside) throw new Error(`a fix edits ${outside}, outside the topology of ${document.uri.toString()}`);
        this.scratch ??= this.createScratch();
        const { shared, Hatopo } = this.scratch;
        const workspace = shared.workspace;
        const stale = workspace.LangiumDocuments.all.map(doc => doc.uri).toArray();
        if (stale.length > 0) await workspace.DocumentBuilder.update([], stale);
        const copies = closure.map(doc => {
            const uri = doc.uri.toString();
            const text = changes[uri]
                ? TextDocument.applyEdits(doc.textDocument as TextDocument, changes[uri])
                : doc.textDocument.getText();
            const copy = workspace.LangiumDocumentFactory.fromString(text, URI.parse(uri));
            workspace.LangiumDocuments.addDocument(copy);
            return copy;
        });
        try {
            await workspace.DocumentBuilder.build(copies, { validation: true }, cancelToken);
            const main = copies.find(copy => copy.uri.toString() === document.uri.toString())!;
            return outcomeOf(Hatopo.analysis.ModelCache.visibleFindings(main), copies);
        } finally {
            await workspace.DocumentBuilder.update(
                [],
                copies.map(copy => copy.uri)
            );
        }
    }

    private current(document: LangiumDocument): Outcome {
        const closure = importClosure(document, this.services.shared.workspace.LangiumDocuments);
        return outcomeOf(this.services.analysis.ModelCache.visibleFindings(document), closure);
    }
}

/** The engine's findings of a topology, and what only the syntax sees (parse and link errors, duplicate settings) in its files. */
function outcomeOf(findings: readonly Finding[], documents: readonly LangiumDocument[]): Outcome {
    const counts = new Map<string, number>();
    const add = (key: string) => counts.set(key, (counts.get(key) ?? 0) + 1);
    for (const finding of findings) add(findingKey(finding));
    for (const document of documents)
        for (const diagnostic of document.diagnostics ?? [])
            if (!isEngineDiagnostic(diagnostic)) add(langiumKey(diagnostic));
    let errors = 0;
    let warnings = 0;
    for (const [key, count] of counts) {
        if (key.startsWith('error|')) errors += count;
        else if (key.startsWith('warning|')) warnings += count;
    }
    return { counts, errors, warnings };
}

function isEngineDiagnostic(diagnostic: Diagnostic): boolean {
    return typeof (diagnostic.data as { rule?: unknown } | undefined)?.rule === 'string';
}

function langiumKey(diagnostic: Diagnostic): string {
    return `${SEVERITY[diagnostic.severity ?? 1]}|${String(diagnostic.code ?? '')}||${diagnostic.message}`;
}
