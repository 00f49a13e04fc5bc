// The outline: elements only (an option or a hop setting has a `name` but is no symbol), each with
// a kind that reads as what it is and a detail from the model (address, member count, port).
// The same kinds serve completion items.

import { AstUtils, GrammarUtils, type AstNode, type AstNodeDescription, type LangiumDocument } from 'langium';
import type { DocumentSymbolProvider, NodeKindProvider } from 'langium/lsp';
import { CompletionItemKind, SymbolKind, type DocumentSymbol } from 'vscode-languageserver';
import * as ast from '../generated/ast.js';
import { DEFAULTS } from '../model/defaults.js';

const SYMBOL_KINDS: Record<string, SymbolKind> = {
    [ast.Topology.$type]: SymbolKind.Package,
    [ast.Region.$type]: SymbolKind.Namespace,
    [ast.Zone.$type]: SymbolKind.Module,
    [ast.Host.$type]: SymbolKind.Object,
    [ast.Galera.$type]: SymbolKind.Struct,
    [ast.RabbitMQ.$type]: SymbolKind.Struct,
    [ast.Memcached.$type]: SymbolKind.Struct,
    [ast.HsmGroup.$type]: SymbolKind.Struct,
    [ast.Vip.$type]: SymbolKind.Constant,
    [ast.HAProxy.$type]: SymbolKind.Module,
    [ast.Frontend.$type]: SymbolKind.Event,
    [ast.Backend.$type]: SymbolKind.Array,
    [ast.Service.$type]: SymbolKind.Class,
    [ast.Link.$type]: SymbolKind.Interface,
    [ast.Firewall.$type]: SymbolKind.Interface
};

const COMPLETION_KINDS: Record<string, CompletionItemKind> = {
    [ast.Region.$type]: CompletionItemKind.Module,
    [ast.Zone.$type]: CompletionItemKind.Folder,
    [ast.Host.$type]: CompletionItemKind.Variable,
    [ast.Galera.$type]: CompletionItemKind.Struct,
    [ast.RabbitMQ.$type]: CompletionItemKind.Struct,
    [ast.Memcached.$type]: CompletionItemKind.Struct,
    [ast.HsmGroup.$type]: CompletionItemKind.Struct,
    [ast.Vip.$type]: CompletionItemKind.Constant,
    [ast.HAProxy.$type]: CompletionItemKind.Module,
    [ast.Frontend.$type]: CompletionItemKind.Event,
    [ast.Backend.$type]: CompletionItemKind.Reference,
    [ast.Service.$type]: CompletionItemKind.Class,
    [ast.Link.$type]: CompletionItemKind.Interface,
    [ast.Firewall.$type]: CompletionItemKind.Interface
};

export class HatopoNodeKindProvider implements NodeKindProvider {
    getSymbolKind(node: AstNode | AstNodeDescription): SymbolKind {
        return SYMBOL_KINDS[typeOf(node)] ?? SymbolKind.Field;
    }

    getCompletionItemKind(node: AstNode | AstNodeDescription): CompletionItemKind {
        return COMPLETION_KINDS[typeOf(node)] ?? CompletionItemKind.Reference;
    }
}

function typeOf(node: AstNode | AstNodeDescription): string {
    return '$type' in node ? node.$type : node.type;
}

/** Symbols are asked for as soon as a file is parsed, before linking: they read the AST only. */
export class HatopoDocumentSymbolProvider implements DocumentSymbolProvider {
    getSymbols(document: LangiumDocument): DocumentSymbol[] {
        return this.symbolsIn(document.parseResult.value);
    }

    private symbolsIn(node: AstNode): DocumentSymbol[] {
        const symbols: DocumentSymbol[] = [];
        for (const child of AstUtils.streamContents(node)) {
            const kind = SYMBOL_KINDS[child.$type];
            if (kind === undefined) continue; // options, members, rules, hops: parts, not symbols
            const symbol = this.symbol(child, kind);
            if (symbol) symbols.push(symbol);
        }
        return symbols;
    }

    private symbol(node: AstNode, kind: SymbolKind): DocumentSymbol | undefined {
        const cst = node.$cstNode;
        if (!cst) return undefined;
        const nameNode = GrammarUtils.findNodeForProperty(cst, 'name');
        const name = (node as { name?: string }).name || unnamed(node);
        const children = this.symbolsIn(node);
        return {
            name,
            kind,
            detail: detail(node),
            range: cst.range,
            selectionRange: (nameNode ?? cst).range,
            children: children.length > 0 ? children : undefined
        };
    }
}

function unnamed(node: AstNode): string {
    if (ast.isLink(node)) return `${node.from?.$refText ?? '?'}-${node.to?.$refText ?? '?'}`;
    return node.$type.toLowerCase();
}

const count = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;

/** The figure a reader wants beside the name: address, subnet, member count, port. */
function detail(node: AstNode): string | undefined {
    if (ast.isRegion(node)) {
        const hosts = node.hosts.length + node.zones.reduce((sum, zone) => sum + zone.hosts.length, 0);
        return [node.subnet, count(hosts, 'host')].filter(Boolean).join(' · ');
    }
    if (ast.isZone(node)) return [node.subnet, node.trust ?? DEFAULTS.trust].filter(Boolean).join(' · ');
    if (ast.isHost(node)) return node.address;
    if (ast.isGalera(node))
        return `${count(node.members.length, 'member')}${node.arbitrators.length ? ` + ${node.arbitrators.length} garbd` : ''}`;
    if (ast.isRabbitMQ(node)) return count(node.members.length, 'member');
    if (ast.isMemcached(node))
        return `${count(node.servers.length, 'server')} · port ${node.port ?? DEFAULTS.memcachedPort}`;
    if (ast.isHsmGroup(node)) return count(node.members.length, 'device');
    if (ast.isVip(node)) return `${node.address ?? ''} · VRID ${node.vrid ?? '?'}`;
    if (ast.isHAProxy(node)) return count(node.nodes.length, 'node');
    if (ast.isFrontend(node))
        return `${node.vip?.$refText ?? '?'}:${node.port ?? '?'} → ${node.backend?.$refText ?? '?'}`;
    if (ast.isBackend(node)) return `${node.mode ?? 'http'} · ${count(node.servers.length, 'server')}`;
    if (ast.isService(node))
        return [node.kind, `port ${node.port ?? '?'}`, count(node.nodes.length, 'node')].filter(Boolean).join(' · ');
    if (ast.isLink(node)) return `${node.from?.$refText ?? '?'} ${node.direction ?? '<->'} ${node.to?.$refText ?? '?'}`;
    if (ast.isFirewall(node)) return `protects ${node.target?.$refText ?? '?'}`;
    if (ast.isTopology(node)) return node.description;
    return undefined;
}
