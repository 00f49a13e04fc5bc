// The index's entries for big files: what each element exports (Langium's IndexedContent phase) and
// what each reference points at (IndexedReferences: find references, rename, which files to relink
// after a change). The same descriptions as Langium's, in the same order, but the parts only a few
// requests read (paths, ranges) are worked out when read, on the prototype of one small object per
// entry, and the walk neither streams nor awaits per AST node: at 20,000 hosts Langium's entries
// are 30 MB made again on every keystroke.

import {
    DefaultAstNodeDescriptionProvider,
    DefaultReferenceDescriptionProvider,
    interruptAndCheck,
    isMultiReference,
    isReference,
    AstUtils,
    CstUtils,
    type AstNode,
    type AstNodeDescription,
    type AstNodeLocator,
    type CstNode,
    type DocumentSegment,
    type LangiumDocument,
    type NameProvider,
    type ReferenceDescription,
    type URI
} from 'langium';
import { CancellationToken } from 'vscode-languageserver-protocol';
import { forEachAstNode } from './ast-walk.js';

export class HatopoAstNodeDescriptionProvider extends DefaultAstNodeDescriptionProvider {
    override createDescription(
        node: AstNode,
        name: string | undefined,
        document?: LangiumDocument
    ): AstNodeDescription {
        name ??= this.nameProvider.getName(node);
        if (!name) throw new Error(`Node at path ${this.astNodeLocator.getAstNodePath(node)} has no name.`);
        const uri = (document ?? AstUtils.getDocument(node)).uri;
        return new LazyNodeDescription(node, name, uri, this.astNodeLocator, this.nameProvider);
    }
}

/** An element's index entry; its path and ranges are worked out when read. */
class LazyNodeDescription implements AstNodeDescription {
    readonly type: string;
    private pathText?: string;
    private nameRange?: DocumentSegment;
    private selectionRange?: DocumentSegment;

    constructor(
        readonly node: AstNode,
        readonly name: string,
        readonly documentUri: URI,
        private readonly locator: AstNodeLocator,
        private readonly names: NameProvider
    ) {
        this.type = node.$type;
    }

    get path(): string {
        return (this.pathText ??= this.locator.getAstNodePath(this.node));
    }

    get nameSegment(): DocumentSegment | undefined {
        return (this.nameRange ??= CstUtils.toDocumentSegment(this.names.getNameNode(this.node) ?? this.node.$cstNode));
    }

    get selectionSegment(): DocumentSegment | undefined {
        return (this.selectionRange ??= CstUtils.toDocumentSegment(this.node.$cstNode));
    }
}

export class HatopoReferenceDescriptionProvider extends DefaultReferenceDescriptionProvider {
    override async createDescriptions(
        document: LangiumDocument,
        cancelToken = CancellationToken.None
    ): Promise<ReferenceDescription[]> {
        await interruptAndCheck(cancelToken);
        const descriptions: ReferenceDescription[] = [];
        const sourceUri = document.uri;
        const source = sourceUri.toString();
        const describe = (reference: unknown, container: AstNode) => {
            if (!isReference(reference) && !isMultiReference(reference)) return;
            if (reference.error || !reference.$refNode) return;
            const targets = isReference(reference)
                ? reference.$nodeDescription
                    ? [reference.$nodeDescription]
                    : []
                : reference.items.flatMap(item => (item.$nodeDescription ? [item.$nodeDescription] : []));
            for (const target of targets)
                descriptions.push(
                    new LazyReferenceDescription(
                        sourceUri,
                        target,
                        target.documentUri.toString() === source,
                        container,
                        reference.$refNode,
                        this.nodeLocator
                    )
                );
        };
        // The references AstUtils.streamReferences yields for each node of AstUtils.streamAst.
        forEachAstNode(document.parseResult.value, node => {
            for (const property of Object.keys(node)) {
                if (property.startsWith('$')) continue;
                const value = (node as unknown as Record<string, unknown>)[property];
                if (Array.isArray(value)) for (const element of value) describe(element, node);
                else describe(value, node);
            }
        });
        return descriptions;
    }
}

/** One reference's index entry; the source's path, the target's and the range are worked out when read. */
class LazyReferenceDescription implements ReferenceDescription {
    readonly targetUri: URI;
    private pathText?: string;
    private range?: DocumentSegment;

    constructor(
        readonly sourceUri: URI,
        private readonly target: AstNodeDescription,
        readonly local: boolean,
        private readonly container: AstNode,
        private readonly refNode: CstNode,
        private readonly locator: AstNodeLocator
    ) {
        this.targetUri = target.documentUri;
    }

    get targetPath(): string {
        return this.target.path;
    }

    get sourcePath(): string {
        return (this.pathText ??= this.locator.getAstNodePath(this.container));
    }

    get segment(): DocumentSegment {
        if (!this.range) {
            const { offset, end, range } = this.refNode;
            this.range = { range, offset, end, length: end - offset };
        }
        return this.range;
    }
}
