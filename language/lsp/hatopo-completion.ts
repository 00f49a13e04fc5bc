// Completion that knows what fits the slot: references filtered and ranked by what the model
// already says (no host twice in a list, Galera members from data zones, VIP holders from the VIP's
// subnet …), hop kinds after `->` and their settings after a kind, option names after `option`, rule
// ids in `hatopo-ignore` comments, documented keywords and snippets for whole blocks.

import {
    AstUtils,
    CstUtils,
    GrammarAST,
    stream,
    type AstNode,
    type AstNodeDescription,
    type LangiumDocument,
    type MaybePromise,
    type Reference,
    type ReferenceInfo,
    type Stream
} from 'langium';
import {
    DefaultCompletionProvider,
    type CompletionAcceptor,
    type CompletionContext,
    type CompletionValueItem,
    type NextFeature
} from 'langium/lsp';
import {
    CompletionItemKind,
    CompletionList,
    InsertTextFormat,
    type CancellationToken,
    type CompletionParams
} from 'vscode-languageserver';
import { RULES } from '../analysis/rules.js';
import * as ast from '../generated/ast.js';
import type { HatopoServices } from '../hatopo-module.js';
import { parseIpv4, subnetContains, type Subnet } from '../model/addresses.js';
import type * as m from '../model/model.js';
import type { TopologyFigures } from './hatopo-figures.js';
import { ruleIdSlot } from './hatopo-ignore-comments.js';

/**
 * Grammar rules whose keywords are names, not keywords, where they are written (`zone internal`):
 * `Name` admits every keyword of the language (the `Keyword` rule), so a name slot proposes names.
 */
const NAME_RULES = new Set([
    'Name',
    'Keyword',
    'OptionName',
    'HopKind',
    'HopSettingName',
    'OptionValue',
    'InterfaceName'
]);
/** Roles a Galera data node should not share a host with. */
const BUSY_ROLES = new Set(['haproxy', 'VRRP master', 'VRRP backup', 'memcached', 'HSM', 'rabbitmq node']);
const MAX_REFERENCE_ITEMS = 300;
const SERVICE_KINDS = ['keystone', 'nova', 'glance', 'neutron', 'cinder', 'placement', 'barbican', 'heat', 'swift'];
const PARTITION_HANDLING = ['pause_minority', 'autoheal', 'ignore', 'pause_if_all_down'];

/** A keyword written where a name goes (a host called `admin`): its grammar source is the `Keyword` rule. */
function isNameKeyword(keyword: GrammarAST.Keyword): boolean {
    const rule = AstUtils.getContainerOfType(keyword, GrammarAST.isParserRule)?.name;
    return rule !== undefined && NAME_RULES.has(rule);
}

interface RankedCandidate {
    description: AstNodeDescription;
    element?: m.ModelElement;
    tier: number;
}

/** What a reference slot accepts, how it ranks candidates, and what is already written there. */
interface ReferenceSlot {
    taken: Set<string>;
    accepts(element: m.ModelElement | undefined): boolean;
    tier(element: m.ModelElement | undefined): number;
}

export class HatopoCompletionProvider extends DefaultCompletionProvider {
    private readonly ranked = new WeakMap<AstNodeDescription, RankedCandidate & { index: number }>();
    private readonly nameSlotsDone = new WeakSet<CompletionContext>();

    constructor(private readonly hatopo: HatopoServices) {
        super(hatopo);
    }

    override async getCompletion(
        document: LangiumDocument,
        params: CompletionParams,
        cancelToken?: CancellationToken
    ): Promise<CompletionList | undefined> {
        const text = document.textDocument.getText();
        const offset = document.textDocument.offsetAt(params.position);
        const slot = ruleIdSlot(text, offset);
        if (slot) {
            const range = { start: document.textDocument.positionAt(slot.start), end: params.position };
            const items = [...RULES.values()]
                .filter(rule => !slot.listed.includes(rule.id))
                .map(rule => ({
                    label: rule.id,
                    kind: CompletionItemKind.EnumMember,
                    detail: `${rule.severity} by default`,
                    documentation: { kind: 'markdown' as const, value: rule.description },
                    textEdit: { range, newText: rule.id }
                }));
            return CompletionList.create(items, false);
        }
        return super.getCompletion(document, params, cancelToken);
    }

    protected override completionFor(
        context: CompletionContext,
        next: NextFeature,
        acceptor: CompletionAcceptor
    ): MaybePromise<void> {
        const rule = AstUtils.getContainerOfType(next.feature, GrammarAST.isParserRule)?.name;
        if (rule && NAME_RULES.has(rule)) {
            // A name slot: what fits depends on what comes before it, once per context.
            if (!this.nameSlotsDone.has(context)) {
                this.nameSlotsDone.add(context);
                this.completeName(context, acceptor);
            }
            return;
        }
        return super.completionFor(context, next, acceptor);
    }

    protected override completionForKeyword(
        context: CompletionContext,
        keyword: GrammarAST.Keyword,
        acceptor: CompletionAcceptor
    ): MaybePromise<void> {
        if (!this.filterKeyword(context, keyword)) return;
        const rule = AstUtils.getContainerOfType(keyword, GrammarAST.isParserRule)?.name;
        const doc = this.hatopo.docs.Language.keywordDoc(keyword.value, rule);
        acceptor(context, {
            label: keyword.value,
            kind: CompletionItemKind.Keyword,
            detail: rule ? `${rule} keyword` : 'keyword',
            documentation: doc ? { kind: 'markdown', value: doc } : undefined,
            sortText: `1${keyword.value}`
        });
        const snippet = SNIPPETS[keyword.value];
        if (snippet && snippet.rule === rule) {
            acceptor(context, {
                label: `${keyword.value} { … }`,
                filterText: keyword.value,
                kind: CompletionItemKind.Snippet,
                detail: `a whole ${keyword.value} block`,
                documentation: doc ? { kind: 'markdown', value: doc } : undefined,
                insertText: snippet.body(this.hatopo.analysis.Figures.get(context.document)),
                insertTextFormat: InsertTextFormat.Snippet,
                sortText: `2${keyword.value}`
            });
        }
    }

    /** Keywords with letters, and the arrows of a path and a link. */
    protected override filterKeyword(context: CompletionContext, keyword: GrammarAST.Keyword): boolean {
        return keyword.value === '->' || keyword.value === '<->' || super.filterKeyword(context, keyword);
    }

    // ------------------------------------------------------------------ name slots
    private completeName(context: CompletionContext, acceptor: CompletionAcceptor): void {
        const previous = this.previousLeaf(context);
        if (!previous) return;
        const docs = this.hatopo.docs.Language;
        const owner = previous.astNode;
        const word = previous.text;
        if (word === '->' && ast.isService(owner)) return this.hopKinds(context, acceptor);
        if (word === 'path' && ast.isService(owner)) return this.hopKinds(context, acceptor);
        const hop = ast.isHop(owner) ? owner : ast.isHopSetting(owner) ? owner.$container : undefined;
        if (hop) {
            const written = new Set(hop.settings.map(setting => setting.name));
            for (const setting of docs.hopKinds().find(kind => kind.kind === hop.kind)?.settings ?? []) {
                if (written.has(setting.name)) continue;
                acceptor(context, {
                    label: setting.name,
                    kind: CompletionItemKind.Property,
                    detail: `${hop.kind} header limit`,
                    documentation: { kind: 'markdown', value: setting.doc },
                    sortText: `0${setting.name}`
                });
            }
            return;
        }
        const block = ast.isOption(owner) ? owner.$container : owner;
        if (word === 'option' && (ast.isGalera(block) || ast.isRabbitMQ(block))) {
            // From the block's text as well: while `option ` is being typed, the parser may read the
            // next line's `option` as this option's name (every keyword is also a name).
            const written = new Set(block.options.map(option => option.name));
            for (const match of (block.$cstNode?.text ?? '').matchAll(/\boption\s+([\w.]+)\s*=/g))
                written.add(match[1]);
            for (const name of docs.optionNames(block.$type)) {
                if (written.has(name)) continue;
                const doc = docs.optionDoc(name, block.$type);
                acceptor(context, {
                    label: name,
                    kind: CompletionItemKind.Property,
                    detail: 'option',
                    documentation: doc ? { kind: 'markdown', value: doc } : undefined,
                    sortText: `0${name}`
                });
            }
            return;
        }
        if (word === 'kind' && ast.isService(owner)) {
            const figures = this.hatopo.analysis.Figures.get(context.document);
            const used = figures.model.services.map(service => service.serviceKind);
            for (const kind of new Set([...used, ...SERVICE_KINDS]))
                acceptor(context, { label: kind, kind: CompletionItemKind.Value, sortText: `0${kind}` });
            return;
        }
        if (word === 'partition_handling' && ast.isRabbitMQ(owner)) {
            for (const value of PARTITION_HANDLING)
                acceptor(context, { label: value, kind: CompletionItemKind.Value, sortText: `0${value}` });
        }
        // Otherwise a new name is being declared: nothing to propose.
    }

    private hopKinds(context: CompletionContext, acceptor: CompletionAcceptor): void {
        this.hatopo.docs.Language.hopKinds().forEach((hop, index) =>
            acceptor(context, {
                label: hop.kind,
                kind: CompletionItemKind.Function,
                detail: 'proxy hop',
                documentation: { kind: 'markdown', value: hop.doc },
                sortText: `0${String(index).padStart(2, '0')}`
            })
        );
    }

    /** The keyword that opens the list being completed (`members`, `garbd` …), walking back over names and commas. */
    private listKeyword(context: CompletionContext): string | undefined {
        const root = context.document.parseResult.value.$cstNode;
        let leaf = this.previousLeaf(context);
        while (root && leaf && !GrammarAST.isKeyword(leaf.grammarSource))
            leaf = CstUtils.findLeafNodeBeforeOffset(root, leaf.offset - 1);
        while (root && leaf && leaf.text === ',') {
            leaf = CstUtils.findLeafNodeBeforeOffset(root, leaf.offset - 1);
            while (root && leaf && (!GrammarAST.isKeyword(leaf.grammarSource) || isNameKeyword(leaf.grammarSource)))
                leaf = CstUtils.findLeafNodeBeforeOffset(root, leaf.offset - 1);
        }
        return leaf?.text;
    }

    /** The last token before the one being completed (comments skipped). */
    private previousLeaf(context: CompletionContext) {
        const root = context.document.parseResult.value.$cstNode;
        const text = context.textDocument.getText();
        let at = context.tokenOffset - 1;
        while (at >= 0 && /\s/.test(text[at])) at--;
        while (root && at >= 0) {
            const leaf = CstUtils.findLeafNodeAtOffset(root, at);
            if (!leaf) return undefined;
            if (!leaf.hidden) return leaf;
            at = leaf.offset - 1;
            while (at >= 0 && /\s/.test(text[at])) at--;
        }
        return undefined;
    }

    // ------------------------------------------------------------------ references
    protected override getReferenceCandidates(
        refInfo: ReferenceInfo,
        context: CompletionContext
    ): Stream<AstNodeDescription> {
        const figures = this.hatopo.analysis.Figures.get(context.document);
        const slot = referenceSlot(refInfo, context.offset, figures, this.listKeyword(context));
        const typed = context.textDocument.getText().slice(context.tokenOffset, context.offset);
        const candidates: RankedCandidate[] = [];
        for (const description of super.getReferenceCandidates(refInfo, context)) {
            if (slot.taken.has(description.name)) continue;
            if (typed && !this.fuzzyMatcher.match(typed, description.name)) continue;
            const element = this.elementOf(description, figures);
            if (!slot.accepts(element)) continue;
            candidates.push({ description, element, tier: slot.tier(element) });
        }
        // Stable: ties keep the file's order.
        const ordered = candidates
            .map((candidate, index) => ({ ...candidate, index }))
            .sort((a, b) => a.tier - b.tier || a.index - b.index)
            .slice(0, MAX_REFERENCE_ITEMS);
        ordered.forEach((candidate, index) => this.ranked.set(candidate.description, { ...candidate, index }));
        return stream(ordered.map(candidate => candidate.description));
    }

    protected override createReferenceCompletionItem(
        description: AstNodeDescription,
        refInfo: ReferenceInfo,
        context: CompletionContext
    ): CompletionValueItem {
        const item = super.createReferenceCompletionItem(description, refInfo, context);
        const ranked = this.ranked.get(description);
        if (!ranked) return item;
        const figures = this.hatopo.analysis.Figures.get(context.document);
        return {
            ...item,
            sortText: `0${ranked.tier}${String(ranked.index).padStart(4, '0')}`,
            detail: ranked.element ? detailOf(ranked.element, figures) : item.detail,
            labelDetails:
                ranked.element?.kind === 'host' ? { description: (ranked.element as m.Host).address } : undefined
        };
    }

    private elementOf(description: AstNodeDescription, figures: TopologyFigures): m.ModelElement | undefined {
        let node: AstNode | undefined = description.node;
        if (!node) {
            const document = this.hatopo.shared.workspace.LangiumDocuments.getDocument(description.documentUri);
            node =
                document &&
                this.hatopo.workspace.AstNodeLocator.getAstNode(document.parseResult.value, description.path);
        }
        return node && figures.topology.elementOf(node);
    }
}

// ---------------------------------------------------------------------- what a reference slot takes

function covers(reference: Reference, offset: number): boolean {
    const cst = reference.$refNode;
    return cst !== undefined && cst.offset <= offset && offset <= cst.end;
}

function names(references: ReadonlyArray<Reference | undefined>, offset: number): string[] {
    return references
        .filter((reference): reference is Reference => !!reference && !covers(reference, offset))
        .map(reference => reference.$refText)
        .filter(Boolean);
}

/** The model elements the references of a list already point to. */
function targets(references: ReadonlyArray<Reference | undefined>, figures: TopologyFigures): m.ModelElement[] {
    return references
        .map(reference => reference?.ref && figures.topology.elementOf(reference.ref))
        .filter((element): element is m.ModelElement => element !== undefined);
}

const ANY: ReferenceSlot = { taken: new Set(), accepts: () => true, tier: () => 0 };

function referenceSlot(
    refInfo: ReferenceInfo,
    offset: number,
    figures: TopologyFigures,
    listKeyword: string | undefined
): ReferenceSlot {
    const container = refInfo.container as AstNode & Record<string, unknown>;
    const own = container[refInfo.property];
    const listed = Array.isArray(own) ? (own as Reference[]) : [];
    const roles = (element: m.ModelElement | undefined) =>
        element?.kind === 'host' ? figures.roles(element as m.Host).map(role => role.role) : [];
    const hostTier = (rank: (host: m.Host, roles: string[]) => number) => (element: m.ModelElement | undefined) =>
        element?.kind === 'host' ? rank(element as m.Host, roles(element)) : 9;

    if (ast.isGaleraMember(container) && ast.isGalera(container.$container)) {
        const galera = container.$container;
        const written = [...galera.members, ...galera.arbitrators].map(member => member.host);
        const dataHosts = targets(
            galera.members.map(member => member.host),
            figures
        ) as m.Host[];
        const dataZones = new Set(dataHosts.map(host => host.zone).filter(Boolean));
        const dataRegions = new Set(dataHosts.map(host => host.region));
        const galeraZones = new Set(
            figures.model.galeras.flatMap(cluster => cluster.members.map(member => member.host.zone)).filter(Boolean)
        );
        const arbitrator = container.$cstNode
            ? container.$containerProperty === 'arbitrators'
            : listKeyword === 'garbd';
        return {
            taken: new Set(names(written, offset)),
            accepts: () => true,
            tier: hostTier((host, held) => {
                const galeraRole = held.some(role => role === 'galera member' || role === 'garbd');
                if (arbitrator) return !dataRegions.has(host.region) && !galeraRole ? 0 : !galeraRole ? 1 : 3;
                const busy = held.some(role => BUSY_ROLES.has(role)) || galeraRole;
                const dataZone =
                    (host.zone && (dataZones.has(host.zone) || galeraZones.has(host.zone))) ||
                    /data|db/i.test(host.zone?.name ?? '');
                if (dataZone && !busy) return 0;
                if (held.length === 0) return 1;
                return busy ? 3 : 2;
            })
        };
    }
    if (ast.isVipMember(container) && ast.isVip(container.$container)) {
        const vip = container.$container;
        const subnet = vipSubnet(vip.address, figures.model);
        return {
            taken: new Set(
                names(
                    vip.members.map(member => member.host),
                    offset
                )
            ),
            accepts: element =>
                !subnet ||
                (element?.kind === 'host' &&
                    (element as m.Host).addressValue !== undefined &&
                    subnetContains(subnet, (element as m.Host).addressValue!)),
            tier: hostTier((_host, held) => (held.includes('haproxy') ? 0 : held.length === 0 ? 1 : 2))
        };
    }
    if (ast.isHsmMember(container) && ast.isHsmGroup(container.$container)) {
        const group = container.$container;
        const zones = new Set(
            (
                targets(
                    group.members.map(member => member.host),
                    figures
                ) as m.Host[]
            ).map(h => h.zone)
        );
        return {
            taken: new Set(
                names(
                    group.members.map(member => member.host),
                    offset
                )
            ),
            accepts: () => true,
            tier: hostTier((host, held) =>
                held.includes('HSM') ? 3 : zones.has(host.zone) ? 0 : held.length === 0 ? 1 : 2
            )
        };
    }
    if (ast.isBackendServer(container) && ast.isBackend(container.$container)) {
        const backend = container.$container;
        const database = backend.check === 'mysql' || backend.servers.some(server => server.port === 3306);
        return {
            taken: new Set(
                names(
                    backend.servers.map(server => server.host),
                    offset
                )
            ),
            accepts: () => true,
            tier: hostTier((_host, held) => {
                const wanted = database ? 'galera member' : 'API node';
                return held.includes(wanted) ? 0 : held.length === 0 ? 1 : 2;
            })
        };
    }
    if (ast.isHAProxy(container) && refInfo.property === 'nodes') {
        const bound = new Set<m.Host>();
        for (const frontend of container.frontends) {
            const vip = frontend.vip?.ref && figures.topology.elementOf(frontend.vip.ref);
            for (const member of (vip as m.Vip | undefined)?.members ?? []) bound.add(member.host);
        }
        return {
            taken: new Set(names(listed, offset)),
            accepts: () => true,
            tier: hostTier((host, held) =>
                bound.has(host) ? 0 : held.some(role => role.startsWith('VRRP')) ? 1 : held.length === 0 ? 2 : 3
            )
        };
    }
    if (
        (ast.isService(container) && refInfo.property === 'nodes') ||
        (ast.isMemcached(container) && refInfo.property === 'servers') ||
        (ast.isRabbitMQ(container) && refInfo.property === 'members')
    ) {
        const role = ast.isService(container) ? 'API node' : ast.isMemcached(container) ? 'memcached' : 'rabbitmq node';
        const zones = new Set((targets(listed, figures) as m.Host[]).map(host => host.zone).filter(Boolean));
        return {
            taken: new Set(names(listed, offset)),
            accepts: () => true,
            tier: hostTier((host, held) => {
                const busy = held.some(other => other !== role && other !== 'API node');
                if (zones.has(host.zone) && !busy) return 0;
                if (held.length === 0 || held.every(other => other === role)) return 1;
                return busy ? 3 : 2;
            })
        };
    }
    if (ast.isService(container) && refInfo.property === 'frontends') {
        const bound = new Set(figures.model.haproxies.flatMap(proxy => proxy.frontends.map(front => front.vip)));
        return {
            taken: new Set(names(listed, offset)),
            accepts: () => true,
            tier: element => (bound.has(element as m.Vip) ? 0 : 1)
        };
    }
    if (Array.isArray(own)) return { taken: new Set(names(listed, offset)), accepts: () => true, tier: () => 0 };
    if (ast.isLink(container)) {
        const other = refInfo.property === 'from' ? container.to : container.from;
        const order: Record<string, number> = { region: 0, zone: 1, host: 2 };
        return {
            taken: new Set(names([other], offset)),
            accepts: () => true,
            tier: element => order[element?.kind ?? ''] ?? 3
        };
    }
    if (ast.isFirewall(container) || ast.isRule(container)) {
        const order: Record<string, number> = ast.isFirewall(container)
            ? { zone: 0, host: 1, region: 2 }
            : { zone: 0, region: 1, host: 2 };
        return {
            taken: new Set(),
            accepts: () => true,
            tier: element =>
                (order[element?.kind ?? ''] ?? 3) * 2 + ((element as m.Zone | undefined)?.trust === 'public' ? 0 : 1)
        };
    }
    if (ast.isHost(container) && refInfo.property === 'zone') {
        const region = AstUtils.getContainerOfType(container, ast.isRegion);
        const home = region && figures.topology.elementOf(region);
        return {
            taken: new Set(),
            accepts: element => !home || (element as m.Zone | undefined)?.region === home,
            tier: () => 0
        };
    }
    return ANY;
}

/** The most specific subnet (zone, else region) that holds a VIP's address. */
function vipSubnet(address: string | undefined, model: m.TopologyModel): Subnet | undefined {
    const value = parseIpv4(address);
    if (value === undefined) return undefined;
    const zone = model.zones.find(candidate => candidate.subnet && subnetContains(candidate.subnet, value));
    if (zone?.subnet) return zone.subnet;
    return model.regions.find(region => region.subnet && subnetContains(region.subnet, value))?.subnet;
}

function detailOf(element: m.ModelElement, figures: TopologyFigures): string {
    if (element.kind === 'host') {
        const host = element as m.Host;
        const roles = figures.roles(host).map(role => `${role.role} of ${role.element.name}`);
        return [host.zone ? `zone ${host.zone.name}` : `region ${host.region.name}`, ...roles].join(' · ');
    }
    if (element.kind === 'vip') return `vip ${(element as m.Vip).address}`;
    if (element.kind === 'zone') return `zone ${(element as m.Zone).subnet?.text ?? ''} (${(element as m.Zone).trust})`;
    return element.kind;
}

// ---------------------------------------------------------------------- snippets

interface Snippet {
    rule: string;
    body(figures: TopologyFigures): string;
}

/** `${1|a,b|}` over the best few names, or a plain placeholder. */
function choice(index: number, options: string[], fallback: string): string {
    const clean = options.filter(option => /^[\w.-]+$/.test(option)).slice(0, 8);
    return clean.length > 0 ? `\${${index}|${clean.join(',')}|}` : `\${${index}:${fallback}}`;
}

const SNIPPETS: Record<string, Snippet> = {
    galera: {
        rule: 'Galera',
        body: figures => {
            const busy = (host: m.Host) => figures.roles(host).length > 0;
            const free = figures.model.hosts.filter(host => !busy(host) && /data|db/i.test(host.zone?.name ?? ''));
            const names = free.map(host => host.name);
            return [
                'galera ${1:name} {',
                `\tmembers ${choice(2, names, 'host1')}, ${choice(3, names.slice(1), 'host2')}, ${choice(4, names.slice(2), 'host3')}`,
                '\tsst ${5|mariabackup,rsync,xtrabackup-v2,mysqldump|}',
                '}'
            ].join('\n');
        }
    },
    vip: {
        rule: 'Vip',
        body: figures => {
            const used = new Set(figures.model.vips.map(vip => vip.vrid));
            let vrid = 51;
            while (used.has(vrid) && vrid < 255) vrid++;
            return [
                'vip ${1:name} ${2:10.0.0.10} vrid ${3:' + vrid + '} {',
                '\tmaster ${4:host1} priority ${5:150}',
                '\tbackup ${6:host2} priority ${7:100}',
                '}'
            ].join('\n');
        }
    },
    service: {
        rule: 'Service',
        body: () =>
            [
                'service ${1:name} kind ${2|' + SERVICE_KINDS.join(',') + '|} port ${3:5000} {',
                '\tnodes ${4:host1}, ${5:host2}',
                '\tfrontend ${6:vip}',
                '\tdatabase ${7:galera}',
                '\ttoken ${8|fernet,uuid,pkiz,pki|}',
                '\tpath ${9:haproxy -> nginx -> uwsgi}',
                '}'
            ].join('\n')
    },
    link: {
        rule: 'Link',
        body: figures => {
            const regions = figures.model.regions.map(region => region.name);
            return [
                `link ${choice(1, regions, 'from')} <-> ${choice(2, regions.slice(1), 'to')} {`,
                '\tlatency ${3:5ms}',
                '\tallow tcp ${4:3306, 4567, 4568, 4444}',
                '\tallow udp ${5:4567}',
                '}'
            ].join('\n');
        }
    }
};
