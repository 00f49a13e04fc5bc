// Quick fixes for the rules whose repair is mechanical: add a garbd, allow a blocked port, raise a
// hop's header limit or switch to Fernet, fix VRRP priorities, mark extra Galera writers backup,
// turn causal reads off for dirty reads. Each edit is computed from the AST under the diagnostic.

import {
    AstUtils,
    CstUtils,
    GrammarUtils,
    type AstNode,
    type CstNode,
    type LangiumDocument,
    type MaybePromise
} from 'langium';
import type { CodeActionProvider } from 'langium/lsp';
import type { CodeAction, CodeActionParams, Command, Position, TextEdit } from 'vscode-languageserver-protocol';
import { voters } from '../analysis/quorum.js';
import * as ast from '../generated/ast.js';
import type { HatopoServices } from '../hatopo-module.js';
import type { Galera, Service, TopologyModel } from '../model/model.js';
import type { Finding } from '../analysis/finding.js';
import type { RuleData } from '../analysis/rule-data.js';
import { tokenInUse } from '../analysis/headers.js';
import type { AnalysedTopology } from '../hatopo-model-cache.js';
import { referenceFixes } from './reference-fixes.js';

export class HatopoCodeActionProvider implements CodeActionProvider {
    constructor(private readonly services: HatopoServices) {}

    getCodeActions(document: LangiumDocument, params: CodeActionParams): MaybePromise<Array<Command | CodeAction>> {
        const actions: CodeAction[] = [];
        const topology = this.services.analysis.ModelCache.get(document);
        for (const diagnostic of params.context.diagnostics) {
            actions.push(...referenceFixes(diagnostic, document));
            // The engine's own finding behind the diagnostic: typed data and element, no casts.
            const finding = topology.findings.find(
                candidate =>
                    candidate.rule === diagnostic.code &&
                    candidate.range.uri === document.uri.toString() &&
                    samePosition(candidate.range.start, diagnostic.range.start)
            );
            const node = nodeAt(document, diagnostic.range.start);
            if (!finding || !node) continue;
            for (const fix of this.fixes(finding, node, topology, document)) {
                actions.push({
                    title: fix.title,
                    kind: 'quickfix',
                    diagnostics: [diagnostic],
                    isPreferred: fix.preferred,
                    edit: { changes: fix.changes ?? { [document.uri.toString()]: fix.edits } }
                });
            }
        }
        return actions;
    }

    private fixes(finding: Finding, node: AstNode, topology: AnalysedTopology, document: LangiumDocument): Fix[] {
        const model = topology.model;
        switch (finding.rule) {
            case 'galera-min-members':
            case 'galera-even-weight':
                return addArbitrator(AstUtils.getContainerOfType(node, ast.isGalera), topology, document);
            case 'galera-dirty-reads':
                return syncWaitOff(AstUtils.getContainerOfType(node, ast.isGalera));
            case 'galera-multi-writer':
                return markBackup(AstUtils.getContainerOfType(node, ast.isBackend), finding.data.writers);
            case 'vrrp-priority':
                return fixPriority(AstUtils.getContainerOfType(node, ast.isVip), node, finding.data);
            case 'invalid-value':
                // A VRRP priority outside 1–254: the nearest priority inside.
                return typeof finding.data.priority === 'number'
                    ? fixPriority(AstUtils.getContainerOfType(node, ast.isVip), node, finding.data)
                    : [];
            case 'port-unreachable':
                return allowPort(finding.data, topology, document);
            case 'header-budget':
                return headerFixes(AstUtils.getContainerOfType(node, ast.isHop), finding.data, model, topology);
            default:
                return [];
        }
    }
}

function samePosition(a: Position, b: Position): boolean {
    return a.line === b.line && a.character === b.character;
}

interface Fix {
    title: string;
    edits: TextEdit[];
    /** Edits in other files of the topology (an imported file's link), by URI. */
    changes?: Record<string, TextEdit[]>;
    preferred?: boolean;
}

function nodeAt(document: LangiumDocument, position: Position): AstNode | undefined {
    const root = document.parseResult.value.$cstNode;
    const leaf = root && CstUtils.findLeafNodeAtOffset(root, document.textDocument.offsetAt(position));
    return leaf?.astNode;
}

/** Inserts a statement as the last line of a block, indented one step deeper than the block. */
function insertInBlock(node: AstNode, statement: string, document: LangiumDocument): TextEdit | undefined {
    const close = node.$cstNode && GrammarUtils.findNodesForKeyword(node.$cstNode, '}').at(-1);
    if (!close) return undefined;
    const blockLine = document.textDocument.getText().split('\n')[node.$cstNode!.range.start.line];
    const indent = /^\s*/.exec(blockLine)![0];
    const before =
        document.textDocument
            .getText({ start: { line: close.range.start.line, character: 0 }, end: close.range.start })
            .trim() === '';
    const text = before ? `${indent}  ${statement}\n${indent}` : ` ${statement} `;
    return {
        range: before
            ? { start: { line: close.range.start.line, character: 0 }, end: close.range.start }
            : { start: close.range.start, end: close.range.start },
        newText: text
    };
}

function replace(cst: CstNode | undefined, newText: string): TextEdit[] {
    return cst ? [{ range: cst.range, newText }] : [];
}

function addArbitrator(galera: ast.Galera | undefined, topology: AnalysedTopology, document: LangiumDocument): Fix[] {
    const model = topology.model;
    const cluster = galera && (topology.elementOf(galera) as Galera | undefined);
    if (!galera || !cluster) return [];
    const all = voters(cluster);
    const used = new Set(all.map(voter => voter.host));
    const votersPerRegion = new Map<string, number>();
    for (const voter of all)
        votersPerRegion.set(voter.host.region.name, (votersPerRegion.get(voter.host.region.name) ?? 0) + 1);
    // Best: a host in a region without voters (a third site); else any host not yet voting.
    const candidates = model.hosts.filter(host => !used.has(host));
    const pick = candidates.find(host => !votersPerRegion.has(host.region.name)) ?? candidates[0];
    if (!pick) return [];
    const edit = insertInBlock(galera, `garbd ${pick.name}`, document);
    return edit
        ? [
              {
                  title: `Add a garbd on ${pick.name} (region ${pick.region.name}): ${all.length + 1} voters`,
                  edits: [edit],
                  preferred: true
              }
          ]
        : [];
}

function syncWaitOff(galera: ast.Galera | undefined): Fix[] {
    const option = galera?.options.find(o => o.name === 'wsrep_sync_wait');
    if (!option?.$cstNode) return [];
    const value = GrammarUtils.findNodeForProperty(option.$cstNode, 'value');
    return value
        ? [{ title: 'Set wsrep_sync_wait = 0 (dirty reads need it)', edits: replace(value, '0'), preferred: true }]
        : [];
}

function markBackup(backend: ast.Backend | undefined, writers: readonly string[]): Fix[] {
    if (!backend || writers.length < 2) return [];
    const edits: TextEdit[] = [];
    for (const server of backend.servers) {
        const name = server.host?.$refText ?? ''; // no host while `server port 3306` is being typed
        if (server.backup || !writers.slice(1).includes(name) || !server.$cstNode) continue;
        const port = GrammarUtils.findNodeForProperty(server.$cstNode, 'port');
        if (port) edits.push({ range: { start: port.range.end, end: port.range.end }, newText: ' backup' });
    }
    return edits.length
        ? [
              {
                  title: `Keep ${writers[0]} as the only writer: mark ${writers.slice(1).join(', ')} backup`,
                  edits,
                  preferred: true
              }
          ]
        : [];
}

function fixPriority(vip: ast.Vip | undefined, node: AstNode, data: RuleData['vrrp-priority']): Fix[] {
    if (!vip) return [];
    const member = AstUtils.getContainerOfType(node, ast.isVipMember);
    const priorityOf = (m: ast.VipMember) => m.$cstNode && GrammarUtils.findNodeForProperty(m.$cstNode, 'priority');
    if (member && typeof data.priority === 'number' && (data.priority < 1 || data.priority > 254)) {
        const fixed = Math.min(254, Math.max(1, data.priority));
        return [{ title: `Set priority ${fixed}`, edits: replace(priorityOf(member), String(fixed)), preferred: true }];
    }
    const master = vip.members.find(m => m.state === 'master') ?? vip.members[0];
    if (!master?.host) return []; // `master priority 150` while the host is being typed
    const others = vip.members.filter(m => m !== master).map(m => m.priority);
    const raised = Math.min(254, Math.max(...others, 0) + 50);
    if (raised <= Math.max(...others, 0)) return [];
    return [
        {
            title: `Give the master ${master.host.$refText} priority ${raised} (50 above the others)`,
            edits: replace(priorityOf(master), String(raised)),
            preferred: true
        }
    ];
}

function allowPort(data: RuleData['port-unreachable'], topology: AnalysedTopology, document: LangiumDocument): Fix[] {
    const { protocol, port } = data;
    const statement = protocol === 'ip' ? `allow proto ${port}` : `allow ${protocol} ${port}`;
    const element = data.blocker === undefined ? undefined : topology.model.elements.get(data.blocker);
    const blocker = element && topology.nodeOf(element);
    if (blocker && (ast.isLink(blocker) || ast.isFirewall(blocker))) {
        const home = AstUtils.getDocument(blocker);
        const edit = insertInBlock(blocker, statement, home);
        return edit
            ? [
                  {
                      title: `Add '${statement}' to ${ast.isLink(blocker) ? `link ${element.id.slice('link:'.length)}` : `firewall ${blocker.name}`}`,
                      edits: [],
                      changes: { [home.uri.toString()]: [edit] },
                      preferred: true
                  }
              ]
            : [];
    }
    const regions = data.regions;
    if (regions) {
        const end = document.textDocument.positionAt(document.textDocument.getText().length);
        return [
            {
                title: `Add a link ${regions[0]} <-> ${regions[1]} that allows ${statement.slice(6)}`,
                edits: [
                    {
                        range: { start: end, end },
                        newText: `\n\nlink ${regions[0]} <-> ${regions[1]} {\n  ${statement}\n}\n`
                    }
                ]
            }
        ];
    }
    return [];
}

function headerFixes(
    hop: ast.Hop | undefined,
    data: RuleData['header-budget'],
    model: TopologyModel,
    topology: AnalysedTopology
): Fix[] {
    const fixes: Fix[] = [];
    const needed = data.headerBytes;
    if (hop?.$cstNode && needed) {
        // The next power of two in KiB that holds the header, as operators write these settings.
        let kib = 1;
        while (kib * 1024 < needed) kib *= 2;
        const setting =
            hop.kind === 'haproxy'
                ? `tune.bufsize ${kib * 1024 + 1024}`
                : hop.kind === 'nginx'
                  ? `large_client_header_buffers 4 ${kib}k`
                  : `${data.setting} ${kib * 1024}`;
        fixes.push({
            title: `Raise ${hop.kind}'s limit: ${setting}`,
            edits: replace(hop.$cstNode, `${hop.kind} ${setting}`)
        });
    }
    // Switch the token the service's clients carry, where it is written (maybe Keystone's, in another file).
    const serviceNode = hop && AstUtils.getContainerOfType(hop, ast.isService);
    const service = serviceNode && (topology.elementOf(serviceNode) as Service | undefined);
    const token = service && tokenInUse(service, model);
    const issuer = token && model.services.find(other => other.token === token);
    const issuerNode = issuer && topology.nodeOf(issuer);
    const tokenNode = issuerNode && ast.isService(issuerNode) ? issuerNode.token : undefined;
    if (issuer && tokenNode?.$cstNode && tokenNode.format !== 'fernet') {
        const format = GrammarUtils.findNodeForProperty(tokenNode.$cstNode, 'format');
        fixes.push({
            title: `Switch ${issuer.name} to Fernet tokens (under 250 B)`,
            edits: [],
            changes: { [AstUtils.getDocument(tokenNode).uri.toString()]: replace(format, 'fernet') },
            preferred: true
        });
    }
    return fixes;
}
