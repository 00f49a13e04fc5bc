// Shared test helpers: parse, build and validate .hatopo text in memory with Langium's test utilities.

import { EmptyFileSystem, URI, type LangiumDocument } from 'langium';
import { parseHelper } from 'langium/test';
import type { Diagnostic } from 'vscode-languageserver-types';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Document } from '../language/generated/ast.js';
import { createHatopoServices } from '../language/hatopo-module.js';

export const services = createHatopoServices(EmptyFileSystem);
const parse = parseHelper<Document>(services.Hatopo);

let counter = 0;

/** Parses and validates one file (a fresh URI each time, so tests do not see each other). */
export async function check(text: string, name = 'test.hatopo'): Promise<LangiumDocument<Document>> {
    return parse(text, { documentUri: `file:///work/${++counter}/${name}`, validation: true });
}

/** Parses several files of one topology together; keys are file names, all in one folder. */
export async function checkFiles(files: Record<string, string>): Promise<Map<string, LangiumDocument<Document>>> {
    const folder = `file:///work/multi${++counter}`;
    const shared = services.shared;
    const documents = new Map<string, LangiumDocument<Document>>();
    for (const [name, text] of Object.entries(files)) {
        const document = shared.workspace.LangiumDocumentFactory.fromString<Document>(
            text,
            URI.parse(`${folder}/${name}`)
        );
        shared.workspace.LangiumDocuments.addDocument(document);
        documents.set(name, document);
    }
    await shared.workspace.DocumentBuilder.build([...documents.values()], { validation: true });
    return documents;
}

export function rules(document: LangiumDocument): string[] {
    return (document.diagnostics ?? []).map(diagnostic => String(diagnostic.code));
}

export function withRule(document: LangiumDocument, rule: string): Diagnostic[] {
    return (document.diagnostics ?? []).filter(diagnostic => diagnostic.code === rule);
}

/** Runs the language server's formatter over the text and returns the result. */
export async function formatText(text: string): Promise<string> {
    const document = await check(text);
    const formatter = services.Hatopo.lsp.Formatter!;
    const edits = await formatter.formatDocument(document, {
        textDocument: { uri: document.uri.toString() },
        options: { tabSize: 2, insertSpaces: true }
    });
    return TextDocument.applyEdits(document.textDocument, edits);
}
