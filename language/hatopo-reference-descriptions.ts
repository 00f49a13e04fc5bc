// The reference index (Langium's IndexedReferences phase: find references, rename, which files to
// relink after a change) for tens of thousands of references. The same descriptions as Langium's,
// in the same order, but the parts only find-references and rename read (the source's path and the
// reference's range) are computed when read, and the walk neither streams nor awaits per AST node.

import {
    DefaultReferenceDescriptionProvider,
    interruptAndCheck,
    isMultiReference,
    isReference,
    type AstNode,
    type AstNodeDescription,
    type AstNodeLocator,
    type DocumentSegment,
    type LangiumDocument,
    type ReferenceDescription,
    type ReferenceInfo,
    type URI
} from 'langium';
import { CancellationToken } from 'vscode-languageserver-protocol';
import { forEachAstNode } from './ast-walk.js';

export class HatopoReferenceDescriptionProvider extends DefaultReferenceDescriptionProvider {
    override async createDescriptions(
        document: LangiumDocument,
        cancelToken = CancellationToken.None
    ): Promise<ReferenceDescription[]> {
        await interruptAndCheck(cancelToken);
        const descriptions: ReferenceDescription[] = [];
        const sourceUri = document.uri;
        const source = sourceUri.toString();
        const describe = (reference: unknown, container: AstNode, property: string, index?: number) => {
            if (!isReference(reference) && !isMultiReference(reference)) return;
            if (reference.error || !reference.$refNode) return;
            const targets = isReference(reference)
                ? reference.$nodeDescription
                    ? [reference.$nodeDescription]
                    : []
                : reference.items.flatMap(item => (item.$nodeDescription ? [item.$nodeDescription] : []));
            const info: ReferenceInfo = { reference, container, property, index };
            for (const target of targets)
                descriptions.push(
                    new LazyReferenceDescription(
                        sourceUri,
                        target,
                        target.documentUri.toString() === source,
                        info,
                        this.nodeLocator
                    )
                );
        };
        // The references AstUtils.streamReferences yields for each node of AstUtils.streamAst.
        forEachAstNode(document.parseResult.value, node => {
            for (const property of Object.keys(node)) {
                if (property.startsWith('$')) continue;
                const value = (node as unknown as Record<string, unknown>)[property];
                if (Array.isArray(value)) value.forEach((element, index) => describe(element, node, property, index));
                else describe(value, node, property);
            }
        });
        return descriptions;
    }
}

/** One reference's description; the source's path and the reference's range are worked out when read. */
class LazyReferenceDescription implements ReferenceDescription {
    readonly targetUri: URI;
    readonly targetPath: string;
    private path?: string;
    private range?: DocumentSegment;

    constructor(
        readonly sourceUri: URI,
        target: AstNodeDescription,
        readonly local: boolean,
        private readonly info: ReferenceInfo,
        private readonly locator: AstNodeLocator
    ) {
        this.targetUri = target.documentUri;
        this.targetPath = target.path;
    }

    get sourcePath(): string {
        return (this.path ??= this.locator.getAstNodePath(this.info.container));
    }

    get segment(): DocumentSegment {
        if (!this.range) {
            const { offset, end, range } = this.info.reference.$refNode!;
            this.range = { range, offset, end, length: end - offset };
        }
        return this.range;
    }
}
