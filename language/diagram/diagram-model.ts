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
    /**
     * The container it is drawn in: its region, or a group inside the region (a Pacemaker cluster);
     * none for a region or an element shared by regions.
     */
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
    /** Blue/green: the standby set, checked but not counted (drawn muted and dashed). */
    standby?: boolean;
    /**
     * Drawn as a row with its title and badges only (the tooltip has the rest): an element of a region
     * that repeats the shape of an earlier one (`repeats` on the region).
     */
    compact?: boolean;
    /** A region drawn small because it has the shape of this earlier region (its name). */
    repeats?: string;
}

export type EdgeKind =
    | 'entry' // clients → the first hop
    | 'resolves' // a DNS name → the VIPs it resolves to
    | 'request' // VIP → load balancer → service
    | 'backup' // a load balancer's backup servers (often in another region)
    | 'dependency' // service → database, cache, queue, HSM (through gates)
    | 'link' // network: a place ↔ a link
    | 'protects' // network: firewall → the place it guards
    | 'manage' // network: where management access comes from → the regions it reaches
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
    /** Blue/green: it leads to or from the standby set. */
    standby?: boolean;
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
    if (view === 'architecture') shareWidelyUsed(diagram);
    collapseLarge(diagram, builder, options.collapseAbove ?? DEFAULT_COLLAPSE_ABOVE, options.expanded ?? new Set());
    if (view === 'architecture') compactRepeats(diagram, options.expanded ?? new Set());
    mergeBetweenRegions(diagram);
    return diagram;
}

/** The top-level element an element is drawn in: its region, itself for a region or a shared element. */
export function topOf(elements: ReadonlyMap<string, DiagramElement>, id: string): string {
    let current = id;
    for (let parent = elements.get(current)?.parent; parent; parent = elements.get(current)?.parent) current = parent;
    return current;
}

/** Everything drawn inside each region, groups and their members included, in drawing order. */
function descendants(diagram: Diagram): Map<string, DiagramElement[]> {
    const elements = new Map(diagram.elements.map(element => [element.id, element]));
    const inside = new Map<string, DiagramElement[]>();
    for (const element of diagram.elements) {
        if (!element.parent) continue;
        const region = topOf(elements, element.id);
        inside.set(region, [...(inside.get(region) ?? []), element]);
    }
    return inside;
}

/** A region with more children than the limit becomes one node listing what it holds. */
function collapseLarge(diagram: Diagram, builder: DiagramBuilder, limit: number, expanded: ReadonlySet<string>): void {
    const children = descendants(diagram);
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

/** An element that this many other regions depend on is drawn beside the regions, as shared. */
export const SHARED_FROM = 3;

/**
 * One database for ten regions (Platform9) lives in one region but serves them all: drawn beside the
 * regions, like a cluster whose members span them, so the regions' edges go to one side instead of
 * across the picture. Its details still say where it is.
 */
function shareWidelyUsed(diagram: Diagram): void {
    const elements = new Map(diagram.elements.map(element => [element.id, element]));
    const users = new Map<string, Set<string>>();
    for (const edge of diagram.edges) {
        if (edge.kind !== 'dependency') continue;
        const from = topOf(elements, edge.source);
        const target = elements.get(edge.target);
        if (!target?.parent || target.container || topOf(elements, target.id) === from) continue;
        users.set(target.id, (users.get(target.id) ?? new Set()).add(from));
    }
    for (const [id, regions] of users) {
        if (regions.size < SHARED_FROM) continue;
        const element = elements.get(id)!;
        const region = elements.get(topOf(elements, id));
        if (!region || region.kind !== 'region' || element.parent !== region.id) continue;
        delete element.parent;
        element.details = [...element.details, `in region ${region.name}, used by ${regions.size} other regions`];
    }
}

/** A shape that repeats in this many regions or more is drawn in full once, then small. */
export const COMPACT_REPEATS_FROM = 4;

/**
 * Regions of the same shape (the same kinds of element, joined the same way): when a shape repeats
 * often (ten controller regions of one design), the first region of that shape is drawn in full and
 * the others small: a table with a row per element, its title and badges only (the tooltip has the
 * rest), without the edges inside the region (they are those of the first) and without its clients'
 * box. Every model element stays, so findings, clicks and the what-if work as anywhere else;
 * edges that leave the region stay too.
 */
function compactRepeats(diagram: Diagram, expanded: ReadonlySet<string>): void {
    const inside = descendants(diagram);
    const byShape = new Map<string, DiagramElement[]>();
    for (const region of diagram.elements.filter(element => element.kind === 'region' && element.container)) {
        // A region with a group inside keeps its drawing: a table has no place for the group.
        if ((inside.get(region.id) ?? []).some(element => element.container)) continue;
        const shape = shapeOf(region, inside.get(region.id) ?? [], diagram.edges);
        byShape.set(shape, [...(byShape.get(shape) ?? []), region]);
    }
    const dropped = new Set<string>();
    const compacted = new Set<string>();
    for (const regions of byShape.values()) {
        if (regions.length < COMPACT_REPEATS_FROM) continue;
        const [first, ...rest] = regions;
        for (const region of rest) {
            if (expanded.has(region.name)) continue;
            region.repeats = first.name;
            region.details = [...region.details, `same shape as ${first.name}`];
            for (const element of inside.get(region.id) ?? []) {
                if (element.kind === 'entry') dropped.add(element.id);
                else {
                    element.compact = true;
                    compacted.add(element.id);
                }
            }
        }
    }
    if (compacted.size === 0) return;
    diagram.elements = diagram.elements.filter(element => !dropped.has(element.id));
    const inner = (id: string) => compacted.has(id) || dropped.has(id);
    diagram.edges = diagram.edges.filter(edge => !(inner(edge.source) && inner(edge.target)));
}

/** What a region draws, without names: the kinds in order, and its edges between them by position. */
function shapeOf(region: DiagramElement, inside: readonly DiagramElement[], edges: readonly DiagramEdge[]): string {
    const index = new Map(inside.map((element, i) => [element.id, i]));
    const kind = (element: DiagramElement) =>
        `${element.kind}:${element.tag.replace(/\d+/g, '#')}${element.container ? '[' : ''}${element.parent === region.id ? '' : '^'}`;
    const joins = edges
        .filter(edge => index.has(edge.source) || index.has(edge.target))
        .map(edge => `${edge.kind}:${index.get(edge.source) ?? edge.source}>${index.get(edge.target) ?? edge.target}`)
        .sort();
    return [...inside.map(kind), '|', ...joins].join(' ');
}

/**
 * Many edges of one kind between the same two regions become one edge with a count, between the
 * elements they share or else between the regions. Fewer stay as they are: they tell who calls whom.
 */
function mergeBetweenRegions(diagram: Diagram): void {
    const elements = new Map(diagram.elements.map(element => [element.id, element]));
    const top = (id: string) => topOf(elements, id);
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
    into.standby = into.standby && edge.standby ? true : undefined;
}
