// The editor's incremental path against a fresh build (issue 16). A split estate (region files,
// galera, services files, topology, and an environment file over the topology) is edited many times
// with seeded random edits (a character typed or deleted, a line deleted or duplicated, a name or an
// address changed, a file put back as it was) through the language server's path: new text, then
// DocumentBuilder.update under the workspace lock, sometimes two edits so close that the second
// cancels the first's build. After every edit each file's diagnostics, and each topology's analysed
// findings, must be exactly what a fresh workspace builds from the same texts: whatever the model
// cache keeps and whatever the builder does not rebuild must not show.

import { DocumentState, EmptyFileSystem, URI, type LangiumDocument } from 'langium';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { describe, expect, it } from 'vitest';
import { generate, random } from '../bench/generate.js';
import { findingElementId } from '../language/analysis/finding.js';
import type { HatopoDocumentBuilder } from '../language/hatopo-document-builder.js';
import { createHatopoServices } from '../language/hatopo-module.js';

const BASE = 'file:///estate';
const ENVIRONMENT = {
    name: 'staging.hatopo',
    text: 'import "topology.hatopo"\n\nenvironment staging "a copy in its own subnets" {\n  region r01 10.201.0.0/16\n}\n'
};

function estate(): Map<string, string> {
    const files = generate({ hosts: 400, seed: 11, splitFiles: true });
    return new Map([...files, ENVIRONMENT].map(file => [file.name, file.text]));
}

/** What a user sees of a document: its diagnostics, exactly. */
function diagnosticsOf(document: LangiumDocument): unknown[] {
    return (document.diagnostics ?? []).map(d =>
        JSON.stringify([d.code, d.severity, d.message, d.range, d.data ?? null])
    );
}

type Services = ReturnType<typeof createHatopoServices>;

function findingsOf(services: Services, document: LangiumDocument): unknown[] {
    return services.Hatopo.analysis.ModelCache.get(document).findings.map(f =>
        JSON.stringify([f.rule, f.severity, f.message, f.range, findingElementId(f) ?? null, f.data])
    );
}

async function fresh(texts: ReadonlyMap<string, string>) {
    const services = createHatopoServices(EmptyFileSystem);
    const workspace = services.shared.workspace;
    const documents = [...texts].map(([name, text]) => {
        const document = workspace.LangiumDocumentFactory.fromString(text, URI.parse(`${BASE}/${name}`));
        workspace.LangiumDocuments.addDocument(document);
        return document;
    });
    await workspace.DocumentBuilder.build(documents, { validation: true });
    return { services, documents };
}

/** One seeded random edit of one file's text. */
function edit(text: string, original: string, rand: () => number): string {
    const lines = text.split('\n');
    const line = Math.floor(rand() * lines.length);
    const at = Math.floor(rand() * (text.length + 1));
    switch (Math.floor(rand() * 8)) {
        case 0:
            return text.slice(0, at) + String.fromCharCode(97 + Math.floor(rand() * 26)) + text.slice(at);
        case 1:
            return text.slice(0, at) + text.slice(at + 1);
        case 2:
            return [...lines.slice(0, line), ...lines.slice(line + 1)].join('\n');
        case 3:
            return [...lines.slice(0, line + 1), ...lines.slice(line)].join('\n');
        case 4: {
            // A name changes: every occurrence in this file of one word ending in a digit.
            const words = text.match(/\br\d+-[a-z]+\d+\b/g) ?? [];
            const word = words[Math.floor(rand() * words.length)];
            return word ? text.split(word).join(`${word}x`) : text;
        }
        case 5:
            return text.replace(/\b10\.(\d+)\.(\d+)\.(\d+)\b/, (_, a, b, c) => `10.${a}.${b}.${(Number(c) + 7) % 250}`);
        case 6:
            return text.replace(/port (\d+)/, (_, port) => `port ${Number(port) + 1}`);
        default:
            return original;
    }
}

describe('incremental editing of a split estate', () => {
    it.each([16, 29])(
        'gives, after every random edit, exactly the diagnostics and findings of a fresh build (seed %i)',
        async seed => {
            const original = estate();
            const texts = new Map(original);
            const services = createHatopoServices(EmptyFileSystem);
            const workspace = services.shared.workspace;
            const textDocuments = workspace.TextDocuments!;
            const versions = new Map<string, number>();
            const uriOf = (name: string) => `${BASE}/${name}`;
            for (const [name, text] of texts) {
                textDocuments.set(TextDocument.create(uriOf(name), 'hatopo', 1, text));
                versions.set(name, 1);
            }
            const documents = [...texts.keys()].map(name => {
                const document = workspace.LangiumDocumentFactory.fromTextDocument(textDocuments.get(uriOf(name))!);
                workspace.LangiumDocuments.addDocument(document);
                return document;
            });
            await workspace.DocumentBuilder.build(documents, { validation: true });
            // A hover or a lens that reads a file's topology as soon as the file is linked, while the
            // rest of the build goes on, must not leave a half-built model behind.
            workspace.DocumentBuilder.onDocumentPhase(DocumentState.Linked, document => {
                services.Hatopo.analysis.ModelCache.get(document);
            });

            const rand = random(seed);
            const names = [...texts.keys()];
            // Region files most, as users of a split estate do; every file sometimes.
            const pick = () =>
                rand() < 0.6
                    ? names.filter(name => name.startsWith('region-'))[Math.floor(rand() * 3)]
                    : names[Math.floor(rand() * names.length)];
            const builder = workspace.DocumentBuilder as HatopoDocumentBuilder;
            builder.importersDelayMs = 5; // the pause before importers are validated, short for the test
            const type = (name: string) => {
                const next = edit(texts.get(name)!, original.get(name)!, rand);
                texts.set(name, next);
                const version = versions.get(name)! + 1;
                versions.set(name, version);
                textDocuments.set(TextDocument.create(uriOf(name), 'hatopo', version, next));
                // As the language server does: each change is a write that cancels the one in progress.
                return workspace.WorkspaceLock.write(token => builder.update([URI.parse(uriOf(name))], [], token));
            };
            for (let step = 0; step < 60; step++) {
                const name = pick();
                // Every fourth step, fast typing: the next edit arrives while the first is being built
                // (parsing, linking, or waiting to validate the importers) and cancels it.
                if (step % 4 === 3) {
                    const first = type(name);
                    await new Promise(resolve => setTimeout(resolve, Math.floor(rand() * 8)));
                    await Promise.all([first, type(pick())]);
                } else await type(name);
                // Read some topologies between edits, as hovers and lenses do, so the cache holds them.
                if (step % 3 === 0)
                    for (const document of documents.slice(0, 4)) services.Hatopo.analysis.ModelCache.get(document);

                const reference = await fresh(texts);
                for (const [index, expected] of reference.documents.entries()) {
                    const actual = workspace.LangiumDocuments.getDocument(URI.parse(uriOf(names[index])))!;
                    const where = `step ${step}: ${names[index]}`;
                    expect(diagnosticsOf(actual), where).toEqual(diagnosticsOf(expected));
                    expect(findingsOf(services, actual), where).toEqual(findingsOf(reference.services, expected));
                }
            }
        },
        240_000
    );
});
