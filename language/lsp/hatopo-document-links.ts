// `import "other.hatopo"`: the path is a link to the file it names.

import { GrammarUtils, type LangiumDocument } from 'langium';
import type { DocumentLinkProvider } from 'langium/lsp';
import type { DocumentLink } from 'vscode-languageserver';
import { isDocument } from '../generated/ast.js';
import { importUri } from '../hatopo-imports.js';

export class HatopoDocumentLinkProvider implements DocumentLinkProvider {
    getDocumentLinks(document: LangiumDocument): DocumentLink[] {
        const root = document.parseResult.value;
        if (!isDocument(root)) return [];
        return root.imports.flatMap(importNode => {
            const path = importNode.$cstNode && GrammarUtils.findNodeForProperty(importNode.$cstNode, 'path');
            if (!path || !importNode.path) return [];
            const target = importUri(document, importNode);
            if (!target) return [];
            return [{ range: path.range, target: target.toString(), tooltip: `Open ${target.path.split('/').at(-1)}` }];
        });
    }
}
