// Hovers show the figures the rules computed: the quorum table of a cluster, the token size against
// each hop of a service, a VIP's election, the flows across a link, a host's roles.

import { AstUtils, type AstNode } from 'langium';
import { MultilineCommentHoverProvider } from 'langium/lsp';
import {
    downtimePerYear,
    formatPercent,
    hostAvailability,
    serviceAvailability,
    topologyAvailability
} from '../analysis/availability.js';
import { deriveFlows } from '../analysis/flows.js';
import { hopLimit, OTHER_HEADERS_BYTES, tokenHeaderLine } from '../analysis/headers.js';
import { formatWeight, quorumTable, totalWeight, voters } from '../analysis/quorum.js';
import { contains, describePort, Reachability } from '../analysis/reachability.js';
import { tokenSize } from '../analysis/tokens.js';
import * as ast from '../generated/ast.js';
import type { HatopoServices } from '../hatopo-module.js';
import type * as m from '../model/model.js';

export class HatopoHoverProvider extends MultilineCommentHoverProvider {
    constructor(private readonly hatopo: HatopoServices) {
        super(hatopo);
    }

    protected override async getAstNodeHoverContent(node: AstNode): Promise<string | undefined> {
        const comment = await super.getAstNodeHoverContent(node);
        const figures = this.figures(node);
        return [figures, comment].filter(Boolean).join('\n\n---\n\n') || undefined;
    }

    private figures(node: AstNode): string | undefined {
        const { model } = this.hatopo.analysis.ModelCache.get(AstUtils.getDocument(node));
        const name = (node as { name?: string }).name;
        const find = <T extends m.ModelElement>(list: readonly T[]) => list.find(element => element.name === name);
        if (ast.isGalera(node)) return withElement(find(model.galeras), galeraFigures);
        if (ast.isVip(node)) return withElement(find(model.vips), vipFigures);
        if (ast.isService(node)) return withElement(find(model.services), service => serviceFigures(service, model));
        if (ast.isHost(node)) return withElement(find(model.hosts), host => hostFigures(host, model));
        if (ast.isLink(node))
            return withElement(
                model.links.find(link => link.source.start.line === node.$cstNode?.range.start.line),
                link => linkFigures(link, model)
            );
        if (ast.isTopology(node) && model.services.length > 0) {
            const computed = topologyAvailability(model);
            const target = model.targets.availability;
            return (
                `**topology ${model.name}**\n\ncomputed availability ${formatPercent(computed)} (${downtimePerYear(computed)} down a year)` +
                (target !== undefined ? `, target ${formatPercent(target)} (${downtimePerYear(target)})` : '')
            );
        }
        return undefined;
    }
}

function withElement<T>(element: T | undefined, render: (element: T) => string): string | undefined {
    return element ? render(element) : undefined;
}

function galeraFigures(cluster: m.Galera): string {
    const all = voters(cluster);
    const total = totalWeight(all);
    const rows = quorumTable(cluster).map(
        outcome =>
            `| ${outcome.failure} | ${outcome.survivingWeight} of ${outcome.totalWeight} | ${outcome.primary ? 'Primary' : '**non-primary**'} |`
    );
    return [
        `**galera ${cluster.name}**: ${cluster.members.length} data nodes + ${cluster.arbitrators.length} garbd, total weight ${total}; ` +
            `a partition stays Primary with weight > ${formatWeight(total / 2)}`,
        '',
        '| if lost | surviving weight | state |',
        '|---|---|---|',
        ...rows
    ].join('\n');
}

function vipFigures(vip: m.Vip): string {
    const members = [...vip.members]
        .sort((a, b) => b.priority - a.priority)
        .map(member => `| ${member.host.name} | ${member.state} | ${member.priority} |`);
    return [
        `**vip ${vip.name}** ${vip.address}, VRID ${vip.vrid} on ${vip.interface}${vip.unicast ? ', unicast' : ''}, advert ${vip.advertSeconds} s ` +
            `(master declared down after ~${3 * vip.advertSeconds} s)`,
        '',
        '| host | state | priority |',
        '|---|---|---|',
        ...members
    ].join('\n');
}

function serviceFigures(service: m.Service, model: m.TopologyModel): string {
    const lines = [
        `**service ${service.name}** (${service.serviceKind}) on port ${service.port}, ${service.nodes.length} API nodes`
    ];
    const availability = serviceAvailability(service);
    lines.push(
        '',
        `availability ${formatPercent(availability.availability)}: ` +
            Object.entries(availability.parts)
                .map(([part, value]) => `${part} ${formatPercent(value)}`)
                .join(' × ')
    );
    const token = service.token ?? model.services.find(other => other.token)?.token;
    if (token && service.path.length > 0) {
        const size = tokenSize(token.format, model, token.nocatalog);
        const line = tokenHeaderLine(size.bytes);
        const haproxy = model.haproxies.find(h =>
            h.frontends.some(frontend => service.frontends.includes(frontend.vip))
        );
        lines.push(
            '',
            `${token.format} token ${size.bytes} B${size.catalogEndpoints ? ` (catalog of ${size.catalogEndpoints} endpoints)` : ''}, X-Auth-Token header line ${line} B`,
            '',
            '| hop | limit | needed | use |',
            '|---|---|---|---|'
        );
        service.path.forEach((hop, index) => {
            const limit = hopLimit(hop, haproxy);
            if (!limit) {
                lines.push(`| ${index + 1}. ${hop.kind} | unknown | | |`);
                return;
            }
            const needed = limit.scope === 'line' ? line : line + OTHER_HEADERS_BYTES;
            lines.push(
                `| ${index + 1}. ${hop.kind} | ${limit.bytes} B ${limit.scope === 'line' ? 'per line' : 'all headers'} (${limit.setting}${limit.modelled ? '' : ', default'}) | ${needed} B | ${Math.round((needed / limit.bytes) * 100)} % |`
            );
        });
    }
    return lines.join('\n');
}

function hostFigures(host: m.Host, model: m.TopologyModel): string {
    const roles = [
        ...model.galeras.filter(c => c.members.some(x => x.host === host)).map(c => `galera ${c.name}`),
        ...model.galeras.filter(c => c.arbitrators.some(x => x.host === host)).map(c => `garbd of ${c.name}`),
        ...model.rabbitmqs.filter(c => c.members.includes(host)).map(c => `rabbitmq ${c.name}`),
        ...model.memcacheds.filter(c => c.servers.includes(host)).map(c => `memcached ${c.name}`),
        ...model.vips.filter(v => v.members.some(x => x.host === host)).map(v => `vip ${v.name}`),
        ...model.haproxies.filter(h => h.nodes.includes(host)).map(h => `haproxy ${h.name}`),
        ...model.services.filter(s => s.nodes.includes(host)).map(s => `${s.name} API`),
        ...model.hsms.filter(h => h.members.includes(host)).map(h => `hsm ${h.name}`)
    ];
    return (
        `**host ${host.name}** ${host.address} in region ${host.region.name}${host.zone ? `, zone ${host.zone.name} (${host.zone.trust})` : ''}; ` +
        `availability ${formatPercent(hostAvailability(host))}\n\nroles: ${roles.join(', ') || 'none'}`
    );
}

function linkFigures(link: m.Link, model: m.TopologyModel): string {
    const reachability = new Reachability(model);
    const crossing = deriveFlows(model).filter(
        flow =>
            (contains(link.from, flow.from) && contains(link.to, flow.to)) ||
            (link.bidirectional && contains(link.to, flow.from) && contains(link.from, flow.to))
    );
    const summary = new Map<string, { allowed: number; blocked: number }>();
    for (const flow of crossing) {
        const key = `${flow.purpose} ${describePort(flow.protocol, flow.port)}`;
        const entry = summary.get(key) ?? { allowed: 0, blocked: 0 };
        if (reachability.decide(flow.from, flow.to, flow.protocol, flow.port).allowed) entry.allowed++;
        else entry.blocked++;
        summary.set(key, entry);
    }
    const rows = [...summary].map(
        ([flow, { allowed, blocked }]) => `| ${flow} | ${allowed} | ${blocked ? `**${blocked}**` : 0} |`
    );
    return [
        `**link ${link.from.name} ${link.bidirectional ? '<->' : '->'} ${link.to.name}**${link.latencySeconds !== undefined ? `, latency ${link.latencySeconds * 1000} ms` : ''}` +
            `${link.redundant ? ', redundant' : ''}${link.vpn ? ', VPN' : ''}; ${link.rules.length === 0 ? 'carries everything' : `${link.rules.length} rules, the rest dropped`}`,
        '',
        '| flow across it | allowed | blocked |',
        '|---|---|---|',
        ...rows
    ].join('\n');
}
