// What every view builds with: elements with their findings (counted under the id each finding is
// shown under, `findingElementId`), edges between them, and what the what-if overlay needs to know
// (the hosts an element stands for, the flows an edge carries).

import { findingElementId, type Finding } from '../analysis/finding.js';
import type { Flow } from '../analysis/flows.js';
import type { WhatIfResult } from '../analysis/what-if.js';
import type { Host, ModelElement, Region, SourceRange, TopologyModel } from '../model/model.js';
import type { Diagram, DiagramEdge, DiagramElement, FindingCounts, ViewName } from './diagram-model.js';

export interface ElementSpec {
    id: string;
    kind: string;
    name: string;
    label: string;
    tag: string;
    details?: string[];
    parent?: string;
    container?: boolean;
    tier?: number;
    source?: SourceRange;
    trust?: DiagramElement['trust'];
    /** The hosts it stands for: lost when all of them are. */
    hosts?: readonly Host[];
    /** Its hosts are in series (a VPN tunnel's two gateways): lost when any of them is. */
    series?: boolean;
    standby?: boolean;
}

export interface EdgeSpec {
    kind: DiagramEdge['kind'];
    source: string;
    target: string;
    label: string;
    details?: string[];
    directed?: boolean;
    id?: string;
    at?: SourceRange;
    /** The flows it carries (`flowKey`), so blocked and cut flows can mark it. */
    flows?: Iterable<string>;
    standby?: boolean;
}

/** A flow as the overlays find it: who needs it, where it goes, on which port. */
export function flowKey(owner: ModelElement, to: Host, port: number): string {
    return `${owner.id}|${to.name}|${port}`;
}
export function keyOfFlow(flow: Flow): string {
    return flowKey(flow.owner, flow.to, flow.port);
}

/** A detail line longer than this is cut with an ellipsis (the tooltip has it whole). */
const DETAIL_CHARS = 56;
const WIDE_DETAIL_CHARS = 110;

export class DiagramBuilder {
    private readonly elements = new Map<string, DiagramElement>();
    private readonly edges = new Map<string, DiagramEdge>();
    readonly hostsOf = new Map<string, readonly Host[]>();
    /** Elements whose hosts are in series: one lost host loses the element. */
    readonly series = new Set<string>();
    readonly flowsOf = new Map<string, Set<string>>();
    private readonly counts = new Map<string, { counts: FindingCounts; messages: string[] }>();

    constructor(
        readonly model: TopologyModel,
        readonly findings: readonly Finding[],
        readonly view: ViewName,
        /** The what-if being drawn, if any. */
        readonly whatIf?: WhatIfResult
    ) {
        for (const finding of findings) {
            const id = findingElementId(finding);
            if (!id) continue;
            const entry = this.counts.get(id) ?? { counts: { error: 0, warning: 0, info: 0 }, messages: [] };
            entry.counts[finding.severity]++;
            entry.messages.push(`${finding.severity}: ${finding.message}`);
            this.counts.set(id, entry);
        }
    }

    has(id: string): boolean {
        return this.elements.has(id);
    }

    get(id: string): DiagramElement | undefined {
        return this.elements.get(id);
    }

    /** Whether findings are shown under this id. */
    hasFindings(id: string): boolean {
        return this.counts.has(id);
    }

    /** A region as a container, the same in every view; `details` after its description and subnet. */
    region(region: Region, details: string[] = []): DiagramElement {
        return this.element({
            id: region.id,
            kind: 'region',
            name: region.name,
            label: region.name,
            tag: 'REGION',
            details: [region.description ?? '', region.subnet?.text ?? '', ...details],
            container: true,
            source: region.nameSource,
            hosts: region.hosts
        });
    }

    element(spec: ElementSpec): DiagramElement {
        const existing = this.elements.get(spec.id);
        if (existing) return existing;
        const found = this.counts.get(spec.id);
        const element: DiagramElement = {
            id: spec.id,
            kind: spec.kind,
            name: spec.name,
            label: spec.label,
            tag: spec.tag,
            details: (spec.details ?? [])
                .filter(line => line !== '')
                .map(line =>
                    shorten(line, spec.container || spec.kind === 'topology' ? WIDE_DETAIL_CHARS : DETAIL_CHARS)
                ),
            container: spec.container ?? false,
            tier: spec.tier ?? 0,
            findings: found ? { ...found.counts } : { error: 0, warning: 0, info: 0 },
            messages: found ? [...found.messages] : [],
            ...(spec.parent ? { parent: spec.parent } : {}),
            ...(spec.source ? { source: spec.source } : {}),
            ...(spec.trust ? { trust: spec.trust } : {}),
            ...(spec.standby ? { standby: true } : {})
        };
        this.elements.set(spec.id, element);
        if (spec.hosts) this.hostsOf.set(spec.id, spec.hosts);
        if (spec.series) this.series.add(spec.id);
        return element;
    }

    /** One edge per kind and pair of ends; a second one adds its flows and details to the first. */
    edge(spec: EdgeSpec): DiagramEdge {
        const id = spec.id ?? `${spec.kind}:${spec.source}->${spec.target}`;
        let edge = this.edges.get(id);
        // Standby only while every edge folded into it is (a gate shared with the live set is not).
        if (edge && !spec.standby) delete edge.standby;
        if (!edge) {
            edge = {
                id,
                kind: spec.kind,
                source: spec.source,
                target: spec.target,
                label: spec.label,
                details: [],
                count: 1,
                directed: spec.directed ?? true,
                ...(spec.at ? { at: spec.at } : {}),
                ...(spec.standby ? { standby: true } : {})
            };
            this.edges.set(id, edge);
        }
        for (const line of spec.details ?? []) if (!edge.details.includes(line)) edge.details.push(line);
        if (spec.flows) {
            const flows = this.flowsOf.get(id) ?? new Set<string>();
            for (const key of spec.flows) flows.add(key);
            this.flowsOf.set(id, flows);
        }
        return edge;
    }

    /** The header's id (`topology:<name>`). */
    topologyId = '';

    /** The header: the topology itself, where findings about its targets are shown. */
    topology(): void {
        const model = this.model;
        const name = model.topology?.name ?? model.name ?? 'topology';
        const targets = [
            model.targets.availability !== undefined
                ? `target availability ${percent(model.targets.availability)}`
                : '',
            model.targets.throughputPerSecond !== undefined ? `target ${model.targets.throughputPerSecond}/s` : ''
        ].filter(Boolean);
        this.topologyId = model.topology?.id ?? `topology:${name}`;
        this.element({
            id: this.topologyId,
            kind: 'topology',
            name,
            label: name,
            tag: `${this.view.toUpperCase()} VIEW`,
            details: [model.description ?? '', targets.join(' · ')],
            tier: -1,
            source: model.topology?.nameSource
        });
        const environment = model.environment;
        if (environment) {
            const changes = environment.changes;
            this.element({
                id: environment.id,
                kind: 'environment',
                name: environment.name,
                label: environment.name,
                tag: 'ENVIRONMENT',
                details: [
                    environment.description ?? '',
                    ...(changes.length > 4 ? [...changes.slice(0, 3), `+${changes.length - 3} more changes`] : changes)
                ],
                tier: -1,
                source: environment.nameSource
            });
        }
    }

    /** What a collapsed region holds, one line per kind: "6 services", "180 hosts". */
    summary(region: DiagramElement, inside: readonly DiagramElement[]): string[] {
        const counts = new Map<string, number>();
        for (const element of inside) counts.set(element.kind, (counts.get(element.kind) ?? 0) + 1);
        const hosts = this.model.regions.find(r => r.id === region.id)?.hosts.length ?? 0;
        return [
            `collapsed: ${hosts} hosts`,
            ...[...counts].map(([kind, count]) => `${count} ${plural(KIND_NAMES[kind] ?? kind, count)}`)
        ];
    }

    finish(): Diagram {
        const elements = [...this.elements.values()];
        const parents = new Map(elements.map(element => [element.id, element.parent]));
        // An edge needs both ends drawn, and an element is not joined to the box it sits in.
        const edges = [...this.edges.values()].filter(
            edge =>
                parents.has(edge.source) &&
                parents.has(edge.target) &&
                edge.source !== edge.target &&
                parents.get(edge.source) !== edge.target &&
                parents.get(edge.target) !== edge.source
        );
        return {
            view: this.view,
            title: this.model.name ?? 'topology',
            elements,
            edges,
            failures: []
        };
    }
}

const KIND_NAMES: Record<string, string> = {
    vip: 'VIP',
    haproxy: 'load balancer',
    service: 'service',
    galera: 'Galera cluster',
    rabbitmq: 'RabbitMQ cluster',
    memcached: 'memcached pool',
    hsm: 'HSM group',
    dns: 'DNS name',
    pacemaker: 'Pacemaker cluster',
    environment: 'environment',
    firewall: 'firewall',
    link: 'link',
    zone: 'zone',
    host: 'host',
    entry: 'entry',
    hosts: 'host group'
};

export function plural(word: string, count: number): string {
    return count === 1 ? word : word.endsWith('s') ? `${word}es` : `${word}s`;
}

export function percent(fraction: number): string {
    return `${+(fraction * 100).toFixed(4)}%`;
}

function shorten(line: string, max: number): string {
    const chars = [...line];
    return chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : line;
}
