// Model + findings → the diagram: one graph of elements (containers and nodes) and edges, drawn by one
// of three views over the same model (architecture, network, hosts). Every element has the id of the
// model element it draws (`<kind>:<name>`), its findings and its source; the what-if overlay marks what
// a failure loses. Large regions collapse into a summary node and many edges between two regions
// merge into one with a count. Pure: no layout here (layout.ts), no drawing (svg.ts).

import type { Finding } from '../analysis/finding.js';
import type { WhatIfResult } from '../analysis/what-if.js';
import type { SourceRange, TopologyModel, Trust } from '../model/model.js';
import type { ViewName } from '../../protocol/views.js';
import { architectureView } from './architecture-view.js';
import { DiagramBuilder } from './diagram-builder.js';
import { hostsView } from './hosts-view.js';
import { networkView } from './network-view.js';
import { applyOverlays } from './overlays.js';

export { isView, VIEWS, type ViewName } from '../../protocol/views.js';

export interface FindingCounts {
    error: number;
    warning: number;
    info: number;
}

export interface DiagramElement {
    /** `<kind>:<name>`: the model element's id, or a drawing's own (`entry:cloud/public`). */
    id: string;
    kind: string;
    name: string;
    /** The title line. */
    label: string;
    /** What kind of thing it is, in a few capitals above the title ("VIP", "LOAD BALANCER"). */
    tag: string;
    /** Further lines: addresses, members, ports. */
    details: string[];
    /** The region (container) it is drawn in; none for a region or an element shared by regions. */
    parent?: string;
    /** Drawn as a box around its children. */
    container: boolean;
    /** Column inside its container, left to right (the request path's tiers). */
    tier: number;
    findings: FindingCounts;
    /** The findings' messages, for the tooltip. */
    messages: string[];
    source?: SourceRange;
    /** Zones: their trust, which colours them. */
    trust?: Trust;
    /** A region drawn as a summary of what it holds. */
    collapsed?: boolean;
    /** What-if: every host it stands for is lost (or, for a link, the link failed). */
    lost?: boolean;
    /** What-if: a service that goes down, a cluster that loses Primary. */
    down?: boolean;
    /** What-if: one line on what happens to it. */
    status?: string;
}

export type EdgeKind =
    | 'entry' // clients → the first hop
    | 'request' // VIP → load balancer → service
    | 'backup' // a load balancer's backup servers (often in another region)
    | 'dependency' // service → database, cache, queue, HSM (through gates)
    | 'link' // network: a place ↔ a link
    | 'protects' // network: firewall → the place it guards
    | 'blocked' // network: flows the modelled network drops
    | 'cut'; // network: flows a what-if failure cuts

export interface DiagramEdge {
    /** `<kind>:<source>-><target>`, or the link's id for a link drawn as an edge. */
    id: string;
    kind: EdgeKind;
    source: string;
    target: string;
    /** Purpose and port ("MySQL 3306"), never a raw list of ports. */
    label: string;
    /** Tooltip lines. */
    details: string[];
    /** How many edges this one stands for (merged edges between two regions). */
    count: number;
    /** Drawn with an arrow head at the target. */
    directed: boolean;
    /** Some flow of this edge is dropped by the modelled network (a visible port-unreachable finding). */
    blocked?: boolean;
    /** What-if: a flow of this edge is cut, or the link it stands for failed. */
    cut?: boolean;
    /** What-if: one of its ends is lost. */
    lost?: boolean;
    at?: SourceRange;
}

export interface Diagram {
    view: ViewName;
    title: string;
    elements: DiagramElement[];
    edges: DiagramEdge[];
    /** The failures shown, when a what-if is drawn. */
    failures: string[];
}

export interface DiagramOptions {
    view?: ViewName;
    /** Regions that would draw more than this many boxes are drawn as one summary node. */
    collapseAbove?: number;
    /** Region names to show expanded whatever their size. */
    expanded?: ReadonlySet<string>;
    /** The what-if to overlay (`whatIf(model, failures)`). */
    whatIf?: WhatIfResult;
}

export const DEFAULT_COLLAPSE_ABOVE = 40;
/** More edges of one kind than this between the same two regions are drawn as one, with a count. */
export const MERGE_ABOVE = 3;

const VIEW_BUILDERS: Record<ViewName, (builder: DiagramBuilder) => void> = {
    architecture: architectureView,
    network: networkView,
    hosts: hostsView
};

export function diagramOf(model: TopologyModel, findings: readonly Finding[], options: DiagramOptions = {}): Diagram {
    const view = options.view ?? 'architecture';
    const builder = new DiagramBuilder(model, findings, view, options.whatIf);
    builder.topology();
    VIEW_BUILDERS[view](builder);
    const diagram = builder.finish();
    applyOverlays(diagram, builder);
    collapseLarge(diagram, builder, options.collapseAbove ?? DEFAULT_COLLAPSE_ABOVE, options.expanded ?? new Set());
    mergeBetweenRegions(diagram);
    return diagram;
}

/** A region with more children than the limit becomes one node listing what it holds. */
function collapseLarge(diagram: Diagram, builder: DiagramBuilder, limit: number, expanded: ReadonlySet<string>): void {
    const children = new Map<string, DiagramElement[]>();
    for (const element of diagram.elements) {
        if (element.parent) children.set(element.parent, [...(children.get(element.parent) ?? []), element]);
    }
    const replaced = new Map<string, string>();
    for (const region of diagram.elements.filter(element => element.kind === 'region')) {
        const inside = children.get(region.id) ?? [];
        if (inside.length <= limit || expanded.has(region.name)) continue;
        region.container = false;
        region.collapsed = true;
        region.details = [...region.details, ...builder.summary(region, inside)];
        for (const child of inside) {
            replaced.set(child.id, region.id);
            for (const severity of ['error', 'warning', 'info'] as const)
                region.findings[severity] += child.findings[severity];
            region.messages.push(...child.messages);
            if (child.down) region.status = region.status ?? 'something here goes down';
        }
    }
    if (replaced.size === 0) return;
    diagram.elements = diagram.elements.filter(element => !replaced.has(element.id));
    const edges = new Map<string, DiagramEdge>();
    for (const edge of diagram.edges) {
        const source = replaced.get(edge.source) ?? edge.source;
        const target = replaced.get(edge.target) ?? edge.target;
        if (source === target) continue;
        const id = source === edge.source && target === edge.target ? edge.id : `${edge.kind}:${source}->${target}`;
        const existing = edges.get(id);
        if (existing) absorb(existing, edge);
        else edges.set(id, { ...edge, id, source, target });
    }
    diagram.edges = [...edges.values()];
}

/**
 * Many edges of one kind between the same two regions become one edge with a count, between the
 * elements they share or else between the regions. Fewer stay as they are: they tell who calls whom.
 */
function mergeBetweenRegions(diagram: Diagram): void {
    const elements = new Map(diagram.elements.map(element => [element.id, element]));
    const top = (id: string) => elements.get(id)?.parent ?? id;
    const groups = new Map<string, DiagramEdge[]>();
    for (const edge of diagram.edges) {
        const from = top(edge.source),
            to = top(edge.target);
        if (from === to) continue;
        const key = `${edge.kind}|${from}|${to}`;
        groups.set(key, [...(groups.get(key) ?? []), edge]);
    }
    const merged = new Map<DiagramEdge, DiagramEdge | undefined>();
    for (const group of groups.values()) {
        if (group.length <= MERGE_ABOVE) continue;
        const [first] = group;
        const source = group.every(edge => edge.source === first.source) ? first.source : top(first.source);
        const target = group.every(edge => edge.target === first.target) ? first.target : top(first.target);
        const edge: DiagramEdge = {
            ...first,
            id: `${first.kind}:${source}->${target}`,
            source,
            target,
            count: 0,
            details: [],
            label: group.every(other => other.label === first.label) ? first.label : first.kind
        };
        for (const other of group) absorb(edge, other);
        edge.label = `${edge.label} ×${edge.count}`;
        merged.set(first, edge);
        for (const other of group.slice(1)) merged.set(other, undefined);
    }
    diagram.edges = diagram.edges.flatMap(edge => {
        if (!merged.has(edge)) return [edge];
        const replacement = merged.get(edge);
        return replacement ? [replacement] : [];
    });
}

function absorb(into: DiagramEdge, edge: DiagramEdge): void {
    into.count += edge.count;
    into.details = [...into.details, ...edge.details].slice(0, 24);
    into.blocked = into.blocked || edge.blocked || undefined;
    into.cut = into.cut || edge.cut || undefined;
    into.lost = (into.lost ?? true) && edge.lost ? true : undefined;
}
