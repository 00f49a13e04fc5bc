// Naming and scoping. Every named element is visible across the files of one topology (a file and
// the files it imports) by its bare name; frontends and backends only inside their haproxy.

import {
    DefaultNameProvider,
    DefaultScopeComputation,
    DefaultScopeProvider,
    MultiMap,
    MultiMapScope,
    WorkspaceCache,
    type AstNode,
    type AstNodeDescription,
    type LangiumCoreServices,
    type LangiumDocument,
    type LangiumDocuments,
    type LocalSymbols,
    type ReferenceInfo,
    type Scope,
    AstUtils
} from 'langium';
import * as ast from './generated/ast.js';
import { forEachAstNode } from './ast-walk.js';
import { importClosure } from './hatopo-imports.js';

const GLOBAL_TYPES = new Set<string>([
    ast.Region.$type,
    ast.Zone.$type,
    ast.Host.$type,
    ast.Galera.$type,
    ast.RabbitMQ.$type,
    ast.Memcached.$type,
    ast.Vip.$type,
    ast.HAProxy.$type,
    ast.Service.$type,
    ast.HsmGroup.$type,
    ast.Link.$type,
    ast.Firewall.$type,
    ast.Dns.$type,
    ast.Pacemaker.$type
]);
const LOCAL_TYPES = new Set<string>([ast.Frontend.$type, ast.Backend.$type]);

/** Only elements have names; an option's or a hop setting's `name` is a key, not a declaration. */
export class HatopoNameProvider extends DefaultNameProvider {
    override getName(node: AstNode): string | undefined {
        return GLOBAL_TYPES.has(node.$type) || LOCAL_TYPES.has(node.$type) || ast.isTopology(node)
            ? super.getName(node)
            : undefined;
    }
}

export class HatopoScopeComputation extends DefaultScopeComputation {
    override async collectExportedSymbols(document: LangiumDocument): Promise<AstNodeDescription[]> {
        const exports: AstNodeDescription[] = [];
        const root = document.parseResult.value;
        forEachAstNode(root, node => {
            if (node !== root && GLOBAL_TYPES.has(node.$type)) this.addExportedSymbol(node, exports, document);
        });
        return exports;
    }

    /**
     * Frontends and backends, the only local symbols, are written directly in a haproxy, and a
     * haproxy only at the top of a file: the same symbols as Langium's walk of every node, in the
     * same order, without visiting the 20,000 hosts.
     */
    override async collectLocalSymbols(document: LangiumDocument): Promise<LocalSymbols> {
        const symbols = new MultiMap<AstNode, AstNodeDescription>();
        const root = document.parseResult.value;
        if (!ast.isDocument(root)) return symbols;
        for (const element of root.elements) {
            if (!ast.isHAProxy(element)) continue;
            for (const node of AstUtils.streamContents(element)) this.addLocalSymbol(node, document, symbols);
        }
        return symbols;
    }

    override addLocalSymbol(
        node: AstNode,
        document: LangiumDocument,
        symbols: Parameters<DefaultScopeComputation['addLocalSymbol']>[2]
    ): void {
        if (LOCAL_TYPES.has(node.$type)) super.addLocalSymbol(node, document, symbols);
    }
}

export class HatopoScopeProvider extends DefaultScopeProvider {
    private readonly documents: LangiumDocuments;
    private readonly closureScopes: WorkspaceCache<string, Scope>;
    private readonly localReferenceTypes = new Map<string, boolean>();

    constructor(services: LangiumCoreServices) {
        super(services);
        this.documents = services.shared.workspace.LangiumDocuments;
        this.closureScopes = new WorkspaceCache(services.shared);
    }

    /**
     * A reference that no local symbol can satisfy (a host, a VIP, a cluster: all but backends)
     * goes straight to the global scope, without the chain of empty local scopes Langium builds for
     * each of the tens of thousands of references.
     */
    override getScope(context: ReferenceInfo): Scope {
        const referenceType = this.reflection.getReferenceType(context);
        let local = this.localReferenceTypes.get(referenceType);
        if (local === undefined) {
            local = [...LOCAL_TYPES].some(type => this.reflection.isSubtype(type, referenceType));
            this.localReferenceTypes.set(referenceType, local);
        }
        return local ? super.getScope(context) : this.getGlobalScope(referenceType, context);
    }

    /**
     * The index restricted to the referencing file and the files it imports, in the order of the
     * imports (imported files first), not in the order the index happened to see the files: what a
     * name resolves to when two files declare it, and the "did you mean" list, are the same after
     * any history of edits as in a fresh build.
     */
    protected override getGlobalScope(referenceType: string, context: ReferenceInfo): Scope {
        const document = AstUtils.getDocument(context.container);
        const key = `${document.uri.toString()}\n${referenceType}`;
        return this.closureScopes.get(key, () => {
            const elements = importClosure(document, this.documents).flatMap(file =>
                this.indexManager.allElements(referenceType, new Set([file.uri.toString()])).toArray()
            );
            // Indexed by name: a lookup must not scan 20,000 hosts.
            return new MultiMapScope(elements);
        });
    }
}
