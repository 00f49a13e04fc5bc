// Model + findings → the diagram's graph: regions as containers with their hosts, what runs on each
// host as badges, links between regions as labelled edges, blocked flows as marked edges. Every
// element carries its diagnostics and its source range for click-to-source. Pure: no layout here.

import { findingElementId, isFindingOf, type Finding, type Severity } from '../analysis/finding.js';
import type { Host, Link, Region, SourceRange, TopologyModel } from '../model/model.js';

export interface DiagnosticCounts {
    error: number;
    warning: number;
    info: number;
}

export interface DiagramHost {
    id: string;
    name: string;
    address: string;
    zone?: string;
    badges: string[];
    diagnostics: DiagnosticCounts;
    source: SourceRange;
    /** Lost in the what-if being shown. */
    lost: boolean;
}

export interface DiagramRegion {
    id: string;
    name: string;
    hosts: DiagramHost[];
    /** A large region is drawn as one summary box until it is expanded. */
    collapsed: boolean;
    hostCount: number;
    summary: string[];
    diagnostics: DiagnosticCounts;
    source: SourceRange;
}

export interface DiagramEdge {
    id: string;
    from: string;
    to: string;
    label: string;
    kind: 'link' | 'blocked';
    bidirectional: boolean;
    source: SourceRange;
}

export interface DiagramGraph {
    title: string;
    regions: DiagramRegion[];
    edges: DiagramEdge[];
}

export interface DiagramOptions {
    /** Regions with more hosts than this are collapsed into a summary node. */
    collapseAbove?: number;
    /** Region names to show expanded whatever their size. */
    expanded?: ReadonlySet<string>;
    /** Hosts to draw as lost (the what-if overlay). */
    lostHosts?: ReadonlySet<string>;
}

const NONE: DiagnosticCounts = { error: 0, warning: 0, info: 0 };

export function diagramOf(
    model: TopologyModel,
    findings: readonly Finding[],
    options: DiagramOptions = {}
): DiagramGraph {
    const collapseAbove = options.collapseAbove ?? 40;
    const counts = countsByElement(findings);
    const badges = badgesByHost(model);
    const regions = model.regions.map((region): DiagramRegion => {
        const collapsed = region.hosts.length > collapseAbove && !options.expanded?.has(region.name);
        const hosts = collapsed
            ? []
            : region.hosts.map(host => diagramHost(host, badges, counts, options.lostHosts?.has(host.name) ?? false));
        return {
            id: `region:${region.name}`,
            name: region.name,
            hosts,
            collapsed,
            hostCount: region.hosts.length,
            summary: collapsed ? summarise(region, badges) : [],
            diagnostics: sum([counts.get(region.id) ?? NONE, ...region.hosts.map(host => counts.get(host.id) ?? NONE)]),
            source: region.nameSource
        };
    });
    return { title: model.name ?? 'topology', regions, edges: [...linkEdges(model), ...blockedEdges(model, findings)] };
}

function diagramHost(
    host: Host,
    badges: Map<Host, string[]>,
    counts: Map<string, DiagnosticCounts>,
    lost: boolean
): DiagramHost {
    return {
        id: `host:${host.name}`,
        name: host.name,
        address: host.address,
        zone: host.zone?.name,
        badges: badges.get(host) ?? [],
        diagnostics: counts.get(host.id) ?? NONE,
        source: host.nameSource,
        lost
    };
}

/** What runs on each host, by membership: "galera db (w2)", "vip api (master 150)", "keystone API". */
function badgesByHost(model: TopologyModel): Map<Host, string[]> {
    const badges = new Map<Host, string[]>();
    const add = (host: Host, badge: string) => badges.set(host, [...(badges.get(host) ?? []), badge]);
    for (const cluster of model.galeras) {
        for (const member of cluster.members)
            add(member.host, `galera ${cluster.name}${member.weight !== 1 ? ` (w${member.weight})` : ''}`);
        for (const arbitrator of cluster.arbitrators) add(arbitrator.host, `garbd ${cluster.name}`);
    }
    for (const cluster of model.rabbitmqs) for (const host of cluster.members) add(host, `rabbitmq ${cluster.name}`);
    for (const pool of model.memcacheds) for (const host of pool.servers) add(host, `memcached ${pool.name}`);
    for (const vip of model.vips)
        for (const member of vip.members) add(member.host, `vip ${vip.name} (${member.state} ${member.priority})`);
    for (const haproxy of model.haproxies) for (const host of haproxy.nodes) add(host, `haproxy ${haproxy.name}`);
    for (const service of model.services) for (const host of service.nodes) add(host, `${service.name} API`);
    for (const hsm of model.hsms) for (const host of hsm.members) add(host, `hsm ${hsm.name}`);
    return badges;
}

function summarise(region: Region, badges: Map<Host, string[]>): string[] {
    const roles = new Map<string, number>();
    for (const host of region.hosts) {
        for (const badge of badges.get(host) ?? []) {
            const role = badge.split(' ')[0];
            roles.set(role, (roles.get(role) ?? 0) + 1);
        }
    }
    return [
        `${region.hosts.length} hosts`,
        ...[...roles].sort(([a], [b]) => a.localeCompare(b)).map(([role, count]) => `${role} ×${count}`)
    ];
}

/** Region of an endpoint (a region, a zone or a host): links are drawn at region level. */
function regionOf(endpoint: TopologyModel['links'][number]['from']): Region {
    return endpoint.kind === 'region' ? endpoint : endpoint.region;
}

function linkEdges(model: TopologyModel): DiagramEdge[] {
    return model.links.flatMap((link, index): DiagramEdge[] => {
        const from = regionOf(link.from),
            to = regionOf(link.to);
        if (from === to) return [];
        const ports =
            link.rules.length === 0
                ? 'all traffic'
                : link.rules
                      .filter(rule => rule.action === 'allow')
                      .map(rule =>
                          rule.protocol === 'ip'
                              ? `proto ${rule.ipProtocol}`
                              : rule.protocol === 'all'
                                ? 'all'
                                : `${rule.protocol} ${rule.ports.map(range => (range.first === range.last ? range.first : `${range.first}-${range.last}`)).join(',')}`
                      )
                      .join('; ');
        const extras = [
            link.latencySeconds !== undefined ? `${+(link.latencySeconds * 1000).toFixed(1)} ms` : '',
            link.vpn ? 'VPN' : '',
            link.redundant ? 'redundant' : ''
        ].filter(Boolean);
        return [
            {
                id: `link:${index}`,
                from: `region:${from.name}`,
                to: `region:${to.name}`,
                kind: 'link',
                bidirectional: link.bidirectional,
                label: [ports, ...extras].join(' · '),
                source: link.nameSource
            }
        ];
    });
}

/** One marked edge per pair of regions and port that port-unreachable reports blocked between them. */
function blockedEdges(model: TopologyModel, findings: readonly Finding[]): DiagramEdge[] {
    const edges = new Map<string, DiagramEdge>();
    for (const finding of findings) {
        if (!isFindingOf(finding, 'port-unreachable')) continue;
        const pair = finding.data.regions ?? regionPairOfBlocker(model, finding.data.blocker);
        if (!pair) continue;
        const port = `${finding.data.port}/${finding.data.protocol}`;
        const key = `${pair[0]}|${pair[1]}`;
        const edge = edges.get(key);
        if (edge) {
            if (!edge.label.includes(port)) edge.label += `, ${port}`;
        } else {
            edges.set(key, {
                id: `blocked:${key}`,
                from: `region:${pair[0]}`,
                to: `region:${pair[1]}`,
                kind: 'blocked',
                bidirectional: true,
                label: `blocked ${port}`,
                source: finding.range
            });
        }
    }
    return [...edges.values()].sort((a, b) => a.id.localeCompare(b.id));
}

function regionPairOfBlocker(model: TopologyModel, blocker: string | undefined): [string, string] | undefined {
    const link = blocker === undefined ? undefined : model.elements.get(blocker);
    if (link?.kind !== 'link') return undefined;
    const { from, to } = link as Link;
    const a = regionOf(from).name,
        b = regionOf(to).name;
    return a === b ? undefined : ([a, b].sort() as [string, string]);
}

function countsByElement(findings: readonly Finding[]): Map<string, DiagnosticCounts> {
    const counts = new Map<string, DiagnosticCounts>();
    for (const finding of findings) {
        const id = findingElementId(finding);
        if (!id) continue;
        const entry = counts.get(id) ?? { ...NONE };
        entry[finding.severity as Severity]++;
        counts.set(id, entry);
    }
    return counts;
}

function sum(list: readonly DiagnosticCounts[]): DiagnosticCounts {
    return list.reduce(
        (total, c) => ({ error: total.error + c.error, warning: total.warning + c.warning, info: total.info + c.info }),
        { ...NONE }
    );
}
