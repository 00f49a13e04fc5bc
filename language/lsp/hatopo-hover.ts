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
import { headerBudget } from '../analysis/headers.js';
import { formatWeight, quorumTable, totalWeight, voters } from '../analysis/quorum.js';
import { contains, describePort, Reachability } from '../analysis/reachability.js';
import { describeRole, rolesOf } from '../analysis/roles.js';
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
        const { model, elementOf } = this.hatopo.analysis.ModelCache.get(AstUtils.getDocument(node));
        const element = elementOf(node);
        switch (element?.kind) {
            case 'galera':
                return galeraFigures(element as m.Galera);
            case 'vip':
                return vipFigures(element as m.Vip);
            case 'service':
                return serviceFigures(element as m.Service, model);
            case 'host':
                return hostFigures(element as m.Host, model);
            case 'link':
                return linkFigures(element as m.Link, model);
            case 'topology': {
                if (model.services.length === 0) return undefined;
                const computed = topologyAvailability(model);
                const target = model.targets.availability;
                return (
                    `**topology ${model.name}**\n\ncomputed availability ${formatPercent(computed)} (${downtimePerYear(computed)} down a year)` +
                    (target !== undefined ? `, target ${formatPercent(target)} (${downtimePerYear(target)})` : '')
                );
            }
            default:
                return undefined;
        }
    }
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
        `**service ${service.name}** (${service.serviceKind})${service.port !== undefined ? ` on port ${service.port}` : ''}, ${service.nodes.length} API nodes`
    ];
    const availability = serviceAvailability(service, model);
    lines.push(
        '',
        `availability ${formatPercent(availability.availability)}: ` +
            Object.entries(availability.parts)
                .map(([part, value]) => `${part} ${formatPercent(value)}`)
                .join(' × ')
    );
    const budget = headerBudget(service, model);
    if (budget) {
        const { token, size, line } = budget;
        lines.push(
            '',
            `${token.format} token ${size.bytes} B${size.catalogEndpoints ? ` (catalog of ${size.catalogEndpoints} endpoints)` : ''}, X-Auth-Token header line ${line} B`,
            '',
            '| hop | limit | needed | use |',
            '|---|---|---|---|'
        );
        for (const { hop, index, limit, needed, share } of budget.hops) {
            lines.push(
                limit
                    ? `| ${index + 1}. ${hop.kind} | ${limit.bytes} B ${limit.scope === 'line' ? 'per line' : 'all headers'} (${limit.setting}${limit.modelled ? '' : ', default'}) | ${needed} B | ${Math.round(share * 100)} % |`
                    : `| ${index + 1}. ${hop.kind} | unknown | | |`
            );
        }
    }
    return lines.join('\n');
}

function hostFigures(host: m.Host, model: m.TopologyModel): string {
    const roles = rolesOf(host, model).map(describeRole);
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
