// A code lens above the first statement of every .hatopo file: "Open Preview".

import type { LangiumDocument } from 'langium';
import type { CodeLensProvider } from 'langium/lsp';
import type { CodeLens, CodeLensParams } from 'vscode-languageserver-protocol';

export class HatopoCodeLensProvider implements CodeLensProvider {
    provideCodeLens(document: LangiumDocument, _params: CodeLensParams): CodeLens[] {
        const first = document.parseResult.value.$cstNode?.range.start ?? { line: 0, character: 0 };
        return [
            {
                range: { start: first, end: first },
                command: { title: 'Open Preview', command: 'hatopo.openPreview', arguments: [document.uri.toString()] }
            }
        ];
    }
}
