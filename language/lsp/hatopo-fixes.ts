// Candidate repairs for the findings whose message names its fix, as text edits computed from the
// AST under the finding and the model behind it (through the trace, never by name or line). They
// are candidates only: hatopo-code-actions.ts offers a candidate after the engine has checked it.

import { AstUtils, GrammarUtils, type AstNode, type CstNode, type LangiumDocument, type Reference } from 'langium';
import type { Position, TextEdit } from 'vscode-languageserver-protocol';
import type { Finding } from '../analysis/finding.js';
import { deriveListeners } from '../analysis/flows.js';
import { WAN_TIMEOUTS } from '../analysis/galera.js';
import { tokenInUse } from '../analysis/headers.js';
import { vipServers } from '../analysis/load-balancers.js';
import { voters } from '../analysis/quorum.js';
import type { RuleData } from '../analysis/rule-data.js';
import { rolesByHost } from '../analysis/roles.js';
import * as ast from '../generated/ast.js';
import type { AnalysedTopology } from '../hatopo-model-cache.js';
import { subnetContains } from '../model/addresses.js';
import type * as m from '../model/model.js';
import type { Changes } from './hatopo-fix-checker.js';
import type { TopologyFigures } from './hatopo-figures.js';

export interface Fix {
    title: string;
    changes: Changes;
}

interface FixContext {
    finding: Finding;
    /** The AST node under the diagnostic. */
    node: AstNode;
    topology: AnalysedTopology;
    document: LangiumDocument;
    /** The engine's flows and network verdicts of this workspace state. */
    figures: TopologyFigures;
}

/** Candidates in the order they should be tried; the first that the engine accepts is preferred. */
export function candidateFixes(context: FixContext): Fix[] {
    const { finding, node, topology } = context;
    const nodeOfElement = <T extends AstNode>(is: (n: unknown) => n is T): T | undefined => {
        const owner = finding.element && topology.nodeOf(finding.element);
        return owner && is(owner) ? owner : AstUtils.getContainerOfType(node, is);
    };
    switch (finding.rule) {
        case 'galera-min-members':
            return addArbitrators(nodeOfElement(ast.isGalera), topology, Math.max(1, 3 - finding.data.voters));
        case 'galera-even-weight':
        case 'galera-region-loss':
            return addArbitrators(nodeOfElement(ast.isGalera), topology, 1);
        case 'galera-arbitrator':
            return moveArbitrator(AstUtils.getContainerOfType(node, ast.isGaleraMember), topology);
        case 'galera-wan-settings':
            return wanSettings(nodeOfElement(ast.isGalera), finding.data);
        case 'galera-dirty-reads':
            return syncWaitOff(nodeOfElement(ast.isGalera));
        case 'galera-multi-writer':
            return markBackup(nodeOfElement(ast.isBackend), finding.data.writers);
        case 'rabbitmq-min-members':
            return rabbitmqMembers(nodeOfElement(ast.isRabbitMQ), topology);
        case 'vrrp-priority':
            return fixPriority(nodeOfElement(ast.isVip), node, finding.data);
        case 'invalid-value':
            // A VRRP priority outside 1–254 (invalid-value owns the range): the nearest one inside.
            return typeof finding.data.priority === 'number'
                ? fixPriority(nodeOfElement(ast.isVip), node, finding.data)
                : [];
        case 'vrrp-vrid-conflict':
            return freeVrid(nodeOfElement(ast.isVip), topology);
        case 'hsm-pair':
            return finding.data.haOnly === false
                ? inBlock(nodeOfElement(ast.isHsmGroup), ['haonly'], 'Write haonly (HA-only mode: stable slot numbers)')
                : secondHsm(finding.element as m.HsmGroup | undefined, topology);
        case 'spof':
            return secondInstance(finding.data, finding.element as m.Service | undefined, topology);
        case 'port-unreachable':
            return allowPort(finding, context.figures, context.document);
        case 'port-exposed':
            return guardPort(finding, topology, context.document);
        case 'header-budget':
            return headerFixes(AstUtils.getContainerOfType(node, ast.isHop), finding.data, topology);
        case 'header-catalog':
            return omitCatalog(nodeOfElement(ast.isService));
        case 'fernet-keys':
            return fernetKeys(AstUtils.getContainerOfType(node, ast.isToken), finding.data);
        default:
            return [];
    }
}

// ------------------------------------------------------------------ edits

function uriOf(node: AstNode): string {
    return AstUtils.getDocument(node).uri.toString();
}

function at(node: AstNode, edits: TextEdit[]): Changes {
    return { [uriOf(node)]: edits };
}

function merge(...all: Array<Changes | undefined>): Changes | undefined {
    if (all.some(changes => changes === undefined)) return undefined;
    const merged: Changes = {};
    for (const changes of all as Changes[])
        for (const [uri, edits] of Object.entries(changes)) merged[uri] = [...(merged[uri] ?? []), ...edits];
    return merged;
}

function lineOf(node: AstNode, line: number): string {
    return AstUtils.getDocument(node).textDocument.getText().split('\n')[line] ?? '';
}

function indentOf(node: AstNode): string {
    return /^\s*/.exec(lineOf(node, node.$cstNode?.range.start.line ?? 0))![0];
}

function endOfLine(node: AstNode, position: Position): Position {
    return { line: position.line, character: lineOf(node, position.line).replace(/\r$/, '').length };
}

/** Inserts statements as the last lines of a block, indented one step deeper than the block. */
function insertInBlock(node: AstNode | undefined, statements: string[]): Changes | undefined {
    const close = node?.$cstNode && GrammarUtils.findNodesForKeyword(node.$cstNode, '}').at(-1);
    if (!node || !close || statements.length === 0) return undefined;
    const indent = indentOf(node);
    const document = AstUtils.getDocument(node).textDocument;
    const alone =
        document.getText({ start: { line: close.range.start.line, character: 0 }, end: close.range.start }).trim() ===
        '';
    return at(node, [
        alone
            ? {
                  range: { start: { line: close.range.start.line, character: 0 }, end: close.range.start },
                  newText: statements.map(statement => `${indent}  ${statement}\n`).join('') + indent
              }
            : { range: { start: close.range.start, end: close.range.start }, newText: ` ${statements.join(' ')} ` }
    ]);
}

function inBlock(node: AstNode | undefined, statements: string[], title: string): Fix[] {
    const changes = insertInBlock(node, statements);
    return changes ? [{ title, changes }] : [];
}

function replace(node: AstNode, cst: CstNode | undefined, newText: string): Changes | undefined {
    return cst ? at(node, [{ range: cst.range, newText }]) : undefined;
}

function property(node: AstNode | undefined, name: string): CstNode | undefined {
    return node?.$cstNode && GrammarUtils.findNodeForProperty(node.$cstNode, name);
}

/** `, a, b` after the last item of a list (a reference or a member with its settings). */
function appendAfter(node: AstNode, last: CstNode | undefined, names: string[]): Changes | undefined {
    return last
        ? at(node, [{ range: { start: last.range.end, end: last.range.end }, newText: `, ${names.join(', ')}` }])
        : undefined;
}

function lastRef(references: readonly Reference[]): CstNode | undefined {
    return references.at(-1)?.$refNode;
}

// ------------------------------------------------------------------ new hosts

function formatIpv4(value: number): string {
    return [value >>> 24, (value >>> 16) & 255, (value >>> 8) & 255, value & 255].join('.');
}

function nextName(name: string, taken: (candidate: string) => boolean): string {
    const numbered = /^(.*?)(\d+)$/.exec(name);
    for (let n = numbered ? Number(numbered[2]) + 1 : 2; ; n++) {
        const candidate = numbered ? `${numbered[1]}${n}` : `${name}${n}`;
        if (!taken(candidate)) return candidate;
    }
}

interface NewHost {
    name: string;
    address: string;
    changes: Changes;
}

/**
 * Placeholder hosts beside `near` (same zone or region, the next free addresses, the next free
 * names), declared on the lines after it: the operator replaces them with the real machines.
 */
function placeholderHosts(near: m.Host, count: number, topology: AnalysedTopology): NewHost[] | undefined {
    const model = topology.model;
    const node = topology.nodeOf(near);
    const subnet = near.zone?.subnet ?? near.region.subnet;
    if (!node || !ast.isHost(node) || !subnet || near.addressValue === undefined || !node.$cstNode) return undefined;
    const used = new Set<number>(
        [...model.hosts.map(host => host.addressValue), ...model.vips.map(vip => vip.addressValue)].filter(
            (value): value is number => value !== undefined
        )
    );
    // Every element shares one namespace (duplicate-name): a new host's name must be free in all of them.
    const names = new Set([...model.elements.values()].map(element => element.name));
    const taken = (name: string) => names.has(name);
    const hosts: NewHost[] = [];
    let address = near.addressValue;
    let name = near.name;
    const last = subnet.base + 2 ** (32 - subnet.prefix) - 2; // the broadcast address is no host
    // On the lines after the host, unless more code follows it on its line (`{ host a … }`): then beside it.
    const end = node.$cstNode.range.end;
    const rest = lineOf(node, end.line).slice(end.character).trim();
    const alone = rest === '' || rest.startsWith('//');
    const indent = indentOf(node);
    const position = alone ? endOfLine(node, end) : end;
    const lines: string[] = [];
    for (let i = 0; i < count; i++) {
        do address++;
        while (used.has(address) && address <= last);
        if (address > last || !subnetContains(subnet, address)) return undefined;
        used.add(address);
        name = nextName(name, taken);
        names.add(name);
        const zone = node.zone ? ` zone ${node.zone.$refText}` : '';
        lines.push(`${alone ? `\n${indent}` : ' '}host ${name} ${formatIpv4(address)}${zone}`);
        hosts.push({ name, address: formatIpv4(address), changes: {} });
    }
    const changes = at(node, [{ range: { start: position, end: position }, newText: lines.join('') }]);
    return hosts.map((host, index) => ({ ...host, changes: index === 0 ? changes : {} }));
}

// ------------------------------------------------------------------ Galera

function addArbitrators(galera: ast.Galera | undefined, topology: AnalysedTopology, needed: number): Fix[] {
    const cluster = galera && (topology.elementOf(galera) as m.Galera | undefined);
    if (!galera || !cluster) return [];
    const all = voters(cluster);
    const used = new Set(all.map(voter => voter.host));
    const roles = rolesByHost(topology.model);
    const weightIn = new Map<m.Region, number>();
    for (const voter of all) weightIn.set(voter.host.region, (weightIn.get(voter.host.region) ?? 0) + voter.weight);
    // A third site: a region without voters, its least busy host first.
    const sites = topology.model.regions
        .filter(region => !weightIn.has(region))
        .map(region => ({
            region,
            host: region.hosts
                .filter(host => !used.has(host))
                .sort((a, b) => (roles.get(a)?.length ?? 0) - (roles.get(b)?.length ?? 0))[0]
        }))
        .filter((site): site is { region: m.Region; host: m.Host } => site.host !== undefined);
    const weights = [...weightIn.values()].sort((a, b) => b - a);
    const total = weights.reduce((sum, weight) => sum + weight, 0);
    // The weight a single garbd needs so that no region holds half: more than the heaviest region's lead.
    let balancing = Math.max(1, (weights[0] ?? 0) - (total - (weights[0] ?? 0)) + 1);
    if ((total + balancing) % 2 === 0) balancing++;
    const fixes: Fix[] = [];
    const offer = (picks: Array<{ region: m.Region; host: m.Host }>, weight = 1) => {
        const written = picks.map(pick => `${pick.host.name}${weight > 1 ? ` weight ${weight}` : ''}`);
        const changes = insertInBlock(galera, [`garbd ${written.join(', ')}`]);
        if (changes)
            fixes.push({
                title: `Add a garbd on ${picks.map(pick => `${pick.host.name} (region ${pick.region.name})`).join(' and ')}${weight > 1 ? ` with weight ${weight}` : ''}: ${all.length + picks.length} voters`,
                changes
            });
    };
    if (needed <= 1) {
        for (const site of sites.slice(0, 3)) offer([site]);
        if (balancing > 1 && sites[0]) offer([sites[0]], balancing);
    } else {
        for (let start = 0; start + needed <= sites.length && start < 3; start++)
            offer(sites.slice(start, start + needed));
    }
    return fixes;
}

function moveArbitrator(member: ast.GaleraMember | undefined, topology: AnalysedTopology): Fix[] {
    const galera = member?.$container;
    const cluster = galera && ast.isGalera(galera) ? (topology.elementOf(galera) as m.Galera | undefined) : undefined;
    const cst = member?.host?.$refNode;
    if (!member || !cluster || !cst) return [];
    const dataRegions = new Set(cluster.members.map(data => data.host.region));
    const used = new Set(voters(cluster).map(voter => voter.host));
    const roles = rolesByHost(topology.model);
    return topology.model.regions
        .filter(region => !dataRegions.has(region))
        .flatMap(region =>
            region.hosts
                .filter(host => !used.has(host))
                .sort((a, b) => (roles.get(a)?.length ?? 0) - (roles.get(b)?.length ?? 0))
                .slice(0, 1)
        )
        .slice(0, 2)
        .map(host => ({
            title: `Move this garbd to ${host.name} (region ${host.region.name}, no data nodes)`,
            changes: at(member, [{ range: cst.range, newText: host.name }])
        }));
}

function wanSettings(galera: ast.Galera | undefined, data: RuleData['galera-wan-settings']): Fix[] {
    if (!galera) return [];
    const statements: string[] = [];
    const replaced: Array<Changes | undefined> = [];
    if (!galera.segmentByRegion && (!data.segmented || data.sharedSegments.length > 0))
        statements.push('segments by region');
    for (const name of data.defaults) {
        const wan = WAN_TIMEOUTS[name];
        if (!wan) continue;
        const written = galera.options.filter(option => option.name === name).at(-1);
        if (written) replaced.push(replace(written, property(written, 'value'), wan));
        else statements.push(`option ${name} = ${wan}`);
    }
    const changes = merge(...replaced, statements.length ? insertInBlock(galera, statements) : {});
    if (!changes || (statements.length === 0 && replaced.length === 0)) return [];
    const what = [
        ...(statements.includes('segments by region') ? ['segments by region'] : []),
        ...data.defaults.filter(name => WAN_TIMEOUTS[name]).map(name => `${name} = ${WAN_TIMEOUTS[name]}`)
    ];
    return [{ title: `Use WAN settings: ${what.join(', ')}`, changes }];
}

function syncWaitOff(galera: ast.Galera | undefined): Fix[] {
    const option = galera?.options.find(o => o.name === 'wsrep_sync_wait');
    const changes = option && replace(option, property(option, 'value'), '0');
    return changes ? [{ title: 'Set wsrep_sync_wait = 0 (dirty reads need it)', changes }] : [];
}

function markBackup(backend: ast.Backend | undefined, writers: readonly string[]): Fix[] {
    if (!backend || writers.length < 2) return [];
    const edits: TextEdit[] = [];
    for (const server of backend.servers) {
        const name = server.host.$refText;
        if (server.backup || !writers.slice(1).includes(name)) continue;
        const port = property(server, 'port');
        if (port) edits.push({ range: { start: port.range.end, end: port.range.end }, newText: ' backup' });
    }
    return edits.length
        ? [
              {
                  title: `Keep ${writers[0]} as the only writer: mark ${writers.slice(1).join(', ')} backup`,
                  changes: at(backend, edits)
              }
          ]
        : [];
}

// ------------------------------------------------------------------ RabbitMQ, VRRP, HSM, single points

function rabbitmqMembers(node: ast.RabbitMQ | undefined, topology: AnalysedTopology): Fix[] {
    const cluster = node && (topology.elementOf(node) as m.RabbitMQ | undefined);
    if (!node || !cluster || cluster.members.length === 0) return [];
    const count = cluster.members.length;
    const fixes: Fix[] = [];
    if (count >= 4 && count % 2 === 0 && node.members.length >= 2) {
        const previous = node.members.at(-2)?.$refNode;
        const last = lastRef(node.members);
        if (previous && last)
            fixes.push({
                title: `Remove ${node.members.at(-1)!.$refText}: ${count - 1} members`,
                changes: at(node, [{ range: { start: previous.range.end, end: last.range.end }, newText: '' }])
            });
    }
    const needed = count < 3 ? 3 - count : 1;
    const members = new Set(cluster.members);
    const zones = new Set(cluster.members.map(host => host.zone));
    const regions = new Set(cluster.members.map(host => host.region));
    const roles = rolesByHost(topology.model);
    const pool = topology.model.hosts
        .filter(host => !members.has(host) && regions.has(host.region))
        .map(host => ({ host, rank: (zones.has(host.zone) ? 0 : 2) + Math.min(2, roles.get(host)?.length ?? 0) }))
        .sort((a, b) => a.rank - b.rank)
        .slice(0, needed)
        .map(candidate => candidate.host);
    const add = (names: string[], extra?: Changes) =>
        merge(appendAfter(node, lastRef(node.members), names), extra ?? {});
    if (pool.length === needed) {
        const changes = add(pool.map(host => host.name));
        if (changes)
            fixes.push({ title: `Add ${pool.map(host => host.name).join(', ')}: ${count + needed} members`, changes });
    }
    const placeholders = placeholderHosts(cluster.members.at(-1)!, needed, topology);
    if (placeholders) {
        const changes = add(
            placeholders.map(host => host.name),
            merge(...placeholders.map(host => host.changes))
        );
        if (changes)
            fixes.push({
                title: `Add new hosts ${placeholders.map(host => `${host.name} (${host.address})`).join(', ')} as members: ${count + needed} members`,
                changes
            });
    }
    return fixes;
}

function fixPriority(vip: ast.Vip | undefined, node: AstNode, data: RuleData['vrrp-priority']): Fix[] {
    if (!vip) return [];
    const member = AstUtils.getContainerOfType(node, ast.isVipMember);
    const priorityOf = (target: ast.VipMember) => property(target, 'priority');
    if (member && typeof data.priority === 'number' && (data.priority < 1 || data.priority > 254)) {
        const fixed = Math.min(254, Math.max(1, data.priority));
        const changes = replace(member, priorityOf(member), String(fixed));
        return changes ? [{ title: `Set priority ${fixed}`, changes }] : [];
    }
    if (member && vip.nopreempt && member.state === 'master') {
        const changes = replace(member, property(member, 'state'), 'backup');
        return changes ? [{ title: 'Start as backup (nopreempt needs state BACKUP)', changes }] : [];
    }
    const master = vip.members.find(candidate => candidate.state === 'master') ?? vip.members[0];
    if (!master) return [];
    const others = vip.members.filter(candidate => candidate !== master).map(candidate => candidate.priority);
    const raised = Math.min(254, Math.max(...others, 0) + 50);
    if (raised <= Math.max(...others, 0)) return [];
    const changes = replace(master, priorityOf(master), String(raised));
    return changes
        ? [{ title: `Give the master ${master.host.$refText} priority ${raised} (50 above the others)`, changes }]
        : [];
}

function freeVrid(vip: ast.Vip | undefined, topology: AnalysedTopology): Fix[] {
    const used = new Set(topology.model.vips.map(candidate => candidate.vrid));
    let vrid = 1;
    while (used.has(vrid) && vrid < 255) vrid++;
    const changes = vip && !used.has(vrid) ? replace(vip, property(vip, 'vrid'), String(vrid)) : undefined;
    return changes ? [{ title: `Use VRID ${vrid} (no other VIP of the topology uses it)`, changes }] : [];
}

function secondHsm(group: m.HsmGroup | undefined, topology: AnalysedTopology): Fix[] {
    const node = group && topology.nodeOf(group);
    const device = group?.members[0];
    if (!group || !node || !ast.isHsmGroup(node) || !device) return [];
    const [added] = placeholderHosts(device, 1, topology) ?? [];
    const changes = added && merge(added.changes, appendAfter(node, node.members.at(-1)?.$cstNode, [added.name]));
    return changes ? [{ title: `Add a second HSM ${added.name} (${added.address}) to ${group.name}`, changes }] : [];
}

function secondInstance(data: RuleData['spof'], service: m.Service | undefined, topology: AnalysedTopology): Fix[] {
    const model = topology.model;
    const element = model.elements.get(data.element);
    const serviceNode = service && topology.nodeOf(service);
    if (!element || !serviceNode || !ast.isService(serviceNode)) return [];
    if (element.kind === 'host') {
        const [added] = placeholderHosts(element as m.Host, 1, topology) ?? [];
        const changes =
            added && merge(added.changes, appendAfter(serviceNode, lastRef(serviceNode.nodes), [added.name]));
        return changes
            ? [{ title: `Add a second API node ${added.name} (${added.address}) beside ${element.name}`, changes }]
            : [];
    }
    if (element.kind === 'hsm') return secondHsm(element as m.HsmGroup, topology);
    if (element.kind !== 'vip') return [];
    const vip = element as m.Vip;
    const vipNode = topology.nodeOf(vip);
    const proxy = model.haproxies.find(haproxy => haproxy.frontends.some(frontend => frontend.vip === vip));
    const proxyNode = proxy && topology.nodeOf(proxy);
    if (!vipNode || !ast.isVip(vipNode)) return [];
    const { idle } = vipServers(vip, model);
    if (idle.length > 0 && proxyNode && ast.isHAProxy(proxyNode)) {
        const changes = appendAfter(
            proxyNode,
            lastRef(proxyNode.nodes),
            idle.map(host => host.name)
        );
        return changes
            ? [{ title: `Run haproxy ${proxy!.name} on ${idle.map(host => host.name).join(', ')} too`, changes }]
            : [];
    }
    const holder = vip.members[0];
    const [added] = (holder && placeholderHosts(holder.host, 1, topology)) ?? [];
    if (!added) return [];
    const priority = Math.max(1, holder.priority - 50);
    const changes = merge(
        added.changes,
        insertInBlock(vipNode, [`backup ${added.name} priority ${priority}`]),
        proxyNode && ast.isHAProxy(proxyNode) ? appendAfter(proxyNode, lastRef(proxyNode.nodes), [added.name]) : {}
    );
    return changes
        ? [
              {
                  title: `Add a backup load balancer ${added.name} (${added.address}) to vip ${vip.name}${proxy ? ` and haproxy ${proxy.name}` : ''}`,
                  changes
              }
          ]
        : [];
}

// ------------------------------------------------------------------ network

function allowPort(finding: Finding<'port-unreachable'>, figures: TopologyFigures, document: LangiumDocument): Fix[] {
    const { topology } = figures;
    const data = finding.data;
    const { protocol, port } = data;
    const statement = protocol === 'ip' ? `allow proto ${port}` : `allow ${protocol} ${port}`;
    const element = data.blocker === undefined ? undefined : topology.model.elements.get(data.blocker);
    const blocker = element && topology.nodeOf(element);
    if (element && blocker && (ast.isLink(blocker) || ast.isFirewall(blocker))) {
        const name = ast.isLink(blocker) ? `link ${element.id.slice('link:'.length)}` : `firewall ${blocker.name}`;
        // Narrowest first: from the zones (else regions) the dropped flows come from, then from anywhere.
        const network = figures.reachability;
        const sources = new Set<m.Endpoint>();
        for (const flow of figures.flows) {
            if (flow.owner !== finding.element || flow.purpose !== data.purpose) continue;
            if (flow.protocol !== protocol || flow.port !== port) continue;
            if (network.decide(flow.from, flow.to, flow.protocol, flow.port).blocker === element)
                sources.add(flow.from.zone ?? flow.from.region);
        }
        const fixes: Fix[] = [];
        const narrow = [...sources].map(place => `${statement} from ${place.name}`);
        const add = (statements: string[], title: string) => {
            const changes = insertInBlock(blocker, statements);
            if (changes) fixes.push({ title, changes });
        };
        // Zones narrow it; whole regions at the link's ends would only repeat what it joins.
        const zonal = [...sources].some(place => place.kind === 'zone');
        if (zonal && narrow.length <= 3) add(narrow, `Add '${narrow.join("', '")}' to ${name}`);
        add([statement], `Add '${statement}' to ${name}`);
        return fixes;
    }
    const regions = data.regions;
    if (!regions) return [];
    const end = document.textDocument.positionAt(document.textDocument.getText().length);
    return [
        {
            title: `Add a link ${regions[0]} <-> ${regions[1]} that allows ${statement.slice(6)}`,
            changes: {
                [document.uri.toString()]: [
                    {
                        range: { start: end, end },
                        newText: `\n\nlink ${regions[0]} <-> ${regions[1]} {\n  ${statement}\n}\n`
                    }
                ]
            }
        }
    ];
}

/** A firewall in front of each place that holds the exposed listeners: deny the port (or all) from the public zones. */
function guardPort(finding: Finding<'port-exposed'>, topology: AnalysedTopology, document: LangiumDocument): Fix[] {
    const model = topology.model;
    const zones = finding.data.zones
        .map(name => model.elements.get(`zone:${name}`))
        .filter((zone): zone is m.Zone => zone?.kind === 'zone');
    const hosts = new Set(
        deriveListeners(model)
            .filter(listener => listener.owner === finding.element && listener.port === finding.data.port)
            .map(listener => listener.host)
    );
    if (zones.length === 0 || hosts.size === 0) return [];
    // A zone's firewall does not filter traffic inside the zone: a listener in a public zone is guarded by its own.
    const places = [...new Set([...hosts].map(host => (host.zone && !zones.includes(host.zone) ? host.zone : host)))];
    const names = new Set<string>();
    const build = (rule: (zone: m.Zone) => string): Changes | undefined => {
        const parts: Array<Changes | undefined> = [];
        const appended: string[] = [];
        for (const place of places) {
            const from = zones.filter(zone => zone !== place);
            if (from.length === 0) return undefined;
            const rules = from.map(rule);
            const existing = model.firewalls.find(firewall => firewall.protects === place);
            const existingNode = existing && topology.nodeOf(existing);
            if (existingNode && ast.isFirewall(existingNode)) {
                const first = existingNode.rules[0]?.$cstNode;
                if (first) {
                    const indent = /^\s*/.exec(lineOf(existingNode, first.range.start.line))![0];
                    parts.push(
                        at(existingNode, [
                            {
                                range: { start: first.range.start, end: first.range.start },
                                newText: rules.map(r => `${r}\n${indent}`).join('')
                            }
                        ])
                    );
                } else parts.push(insertInBlock(existingNode, [...rules, 'allow all']));
                continue;
            }
            const taken = (candidate: string) => names.has(candidate) || model.elements.has(`firewall:${candidate}`);
            const base = `${place.name}-guard`;
            const name = taken(base) ? nextName(base, taken) : base;
            names.add(name);
            appended.push(
                `firewall ${name} protects ${place.name} {\n${[...rules, 'allow all'].map(r => `  ${r}\n`).join('')}}\n`
            );
        }
        if (appended.length > 0) {
            const end = document.textDocument.positionAt(document.textDocument.getText().length);
            parts.push({
                [document.uri.toString()]: [
                    { range: { start: end, end }, newText: `\n${appended.map(text => `\n${text}`).join('')}` }
                ]
            });
        }
        return merge(...parts);
    };
    const where = places.map(place => place.name).join(', ');
    const from = zones.map(zone => zone.name).join(', ');
    const fixes: Fix[] = [];
    const port = build(zone => `deny tcp ${finding.data.port} from ${zone.name}`);
    if (port)
        fixes.push({
            title: `Guard ${where} with a firewall: deny ${finding.data.port}/tcp from ${from}`,
            changes: port
        });
    const all = build(zone => `deny all from ${zone.name}`);
    if (all) fixes.push({ title: `Guard ${where} with a firewall: deny everything from ${from}`, changes: all });
    return fixes;
}

// ------------------------------------------------------------------ tokens and headers

function headerFixes(hop: ast.Hop | undefined, data: RuleData['header-budget'], topology: AnalysedTopology): Fix[] {
    const model = topology.model;
    const fixes: Fix[] = [];
    const needed = data.headerBytes;
    if (hop?.$cstNode && needed) {
        // The next power of two in KiB that holds the header below the 80 % warning line.
        let kib = 1;
        while (kib * 1024 * 0.8 <= needed) kib *= 2;
        const setting =
            hop.kind === 'haproxy'
                ? `tune.bufsize ${kib * 1024 + 1024}`
                : hop.kind === 'nginx'
                  ? `large_client_header_buffers 4 ${kib}k`
                  : `${data.setting} ${kib * 1024}`;
        fixes.push({
            title: `Raise ${hop.kind}'s limit: ${setting}`,
            changes: at(hop, [{ range: hop.$cstNode.range, newText: `${hop.kind} ${setting}` }])
        });
    }
    // Switch the token the service's clients carry, where it is written (maybe Keystone's, in another file).
    const serviceNode = hop && AstUtils.getContainerOfType(hop, ast.isService);
    const service = serviceNode && (topology.elementOf(serviceNode) as m.Service | undefined);
    const token = service && tokenInUse(service, model);
    const issuer = token && model.services.find(other => other.token === token);
    const issuerNode = issuer && topology.nodeOf(issuer);
    const tokenNode = issuerNode && ast.isService(issuerNode) ? issuerNode.token : undefined;
    if (issuer && tokenNode && tokenNode.format !== 'fernet') {
        const changes = replace(tokenNode, property(tokenNode, 'format'), 'fernet');
        if (changes) fixes.push({ title: `Switch ${issuer.name} to Fernet tokens (under 250 B)`, changes });
    }
    return fixes;
}

function omitCatalog(service: ast.Service | undefined): Fix[] {
    if (!service) return [];
    const written = property(service, 'catalog');
    const changes = written ? replace(service, written, 'omit') : insertInBlock(service, ['catalog omit']);
    return changes ? [{ title: 'Write catalog omit (no X-Service-Catalog header)', changes }] : [];
}

function fernetKeys(token: ast.Token | undefined, data: RuleData['fernet-keys']): Fix[] {
    if (!token?.$cstNode) return [];
    const written = property(token, 'maxActiveKeys');
    const end = token.$cstNode.range.end;
    const changes = written
        ? replace(token, written, String(data.needed))
        : at(token, [{ range: { start: end, end }, newText: ` max_active_keys ${data.needed}` }]);
    return changes ? [{ title: `Set max_active_keys ${data.needed}`, changes }] : [];
}
