// Langium glue for the engine: builds the model of the document's topology, runs the rules and
// reports the findings that lie in this document. Also checks what only the syntax can see.

import { type AstNode, type LangiumDocument, type ValidationAcceptor, type ValidationChecks, AstUtils } from 'langium';
import { CancellationToken } from 'vscode-languageserver-protocol';
import { findingElementId, type Finding } from './analysis/finding.js';
import * as ast from './generated/ast.js';
import type { HatopoServices } from './hatopo-module.js';
import { importUri } from './hatopo-imports.js';
import { applySettings, suppressions } from './analysis/settings.js';
import { settingsFor } from './hatopo-settings.js';
import { environmentFindings } from './hatopo-environments.js';
import { assignedNodes } from './cst-properties.js';

export function registerValidationChecks(services: HatopoServices): void {
    const validator = services.validation.HatopoValidator;
    const checks: ValidationChecks<ast.HatopoAstType> = {
        Document: [validator.checkTopology, validator.checkImports],
        // Registered on the blocks it reads, not on every AST node.
        ...Object.fromEntries([...SETTING_BLOCKS].map(type => [type, validator.checkDuplicateSettings]))
    };
    services.validation.ValidationRegistry.register(checks, validator);
}

/** Blocks whose single-valued settings may be written in any order, and so twice by mistake. */
const SETTING_BLOCKS = new Set<string>([
    ast.Host.$type,
    ast.Galera.$type,
    ast.RabbitMQ.$type,
    ast.Memcached.$type,
    ast.Vip.$type,
    ast.HAProxy.$type,
    ast.Backend.$type,
    ast.Service.$type,
    ast.Token.$type,
    ast.HsmGroup.$type,
    ast.Link.$type
]);

export class HatopoValidator {
    constructor(private readonly services: HatopoServices) {}

    checkTopology = async (
        root: ast.Document,
        accept: ValidationAcceptor,
        cancelToken: CancellationToken = CancellationToken.None
    ): Promise<void> => {
        const document = AstUtils.getDocument(root);
        const here = document.uri.toString();
        const topology = await this.services.analysis.ModelCache.getCancellable(document, cancelToken);
        const mine = [
            ...topology.findings.filter(finding => finding.range.uri === here),
            ...environmentFindings(document, topology, this.services.shared.workspace.LangiumDocuments)
        ];
        const loaded = settingsFor(document, this.services.shared.workspace.FileSystemProvider);
        if (loaded.error)
            accept('error', loaded.error, {
                node: root,
                range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
                code: 'invalid-value'
            });
        for (const finding of applySettings(mine, loaded.settings, suppressions(document.textDocument.getText())))
            report(finding, root, accept);
    };

    checkImports = (root: ast.Document, accept: ValidationAcceptor): void => {
        const document = AstUtils.getDocument(root) as LangiumDocument;
        const documents = this.services.shared.workspace.LangiumDocuments;
        for (const importNode of root.imports) {
            const uri = importUri(document, importNode);
            if (uri && !documents.hasDocument(uri)) {
                accept('error', `import "${importNode.path}" not found (${uri.fsPath})`, {
                    node: importNode,
                    property: 'path',
                    code: 'unresolved-reference'
                });
            }
        }
    };

    checkDuplicateSettings = (node: AstNode, accept: ValidationAcceptor): void => {
        if (!SETTING_BLOCKS.has(node.$type) || !node.$cstNode) return;
        const reflection = this.services.shared.AstReflection;
        const properties = reflection.getTypeMetaData(node.$type).properties;
        const assigned = assignedNodes(node.$cstNode);
        if (![...assigned.values()].some(nodes => nodes.length > 1)) return; // nothing written twice
        for (const property of Object.values(properties)) {
            const value = (node as unknown as Record<string, unknown>)[property.name];
            if (Array.isArray(value) || property.name === 'name') continue;
            const written = assigned.get(property.name) ?? [];
            if (written.length > 1) {
                accept(
                    'warning',
                    `'${property.name}' is set ${written.length} times in ${node.$type.toLowerCase()}; only the last one counts`,
                    { node, range: written[written.length - 1].range, code: 'duplicate-setting' }
                );
            }
        }
    };
}

function report(finding: Finding, root: ast.Document, accept: ValidationAcceptor): void {
    accept(finding.severity, finding.message, {
        node: root,
        range: { start: finding.range.start, end: finding.range.end },
        code: finding.rule,
        data: { ...finding.data, rule: finding.rule, element: findingElementId(finding) }
    });
}
