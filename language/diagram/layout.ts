// Layout in Node (server and CLI), so the preview and `hatopo render` draw the same picture. Inside
// each region ELK's layered algorithm puts the tiers in columns, left to right, with the source's order
// kept inside each column (model order options, a fixed seed) and orthogonal edges; a region with no
// edges inside packs its boxes in rows. Regions and shared elements are then placed in a grid in the
// source's order and the edges between them routed through the gutters (grid-routing.ts): an edit
// inside one region never moves the others.

import * as elkModule from 'elkjs/lib/elk.bundled.js';
import type { ELK as ElkInstance, ElkExtendedEdge, ElkNode, ElkPort } from 'elkjs/lib/elk-api.js';
import type { Diagram, DiagramEdge, DiagramElement, FindingCounts } from './diagram-model.js';
import {
    arrangeGrid,
    type Box,
    type CrossEdge,
    type CrossEnd,
    type Point,
    type Side,
    type Size
} from './grid-routing.js';
import { legendOf, type Legend } from './legend.js';
import { FONT, LINE, SEVERITY_MARK, shortText, STATUS_CHARS, textWidth } from './style.js';

export type { Box, Point, Size } from './grid-routing.js';

export interface LaidOutElement extends DiagramElement, Box {}
export interface LaidOutEdge extends DiagramEdge {
    points: Point[];
    labelBox?: Box;
}
export interface LaidOutDiagram {
    view: Diagram['view'];
    title: string;
    failures: string[];
    width: number;
    height: number;
    elements: LaidOutElement[];
    edges: LaidOutEdge[];
    legend: Legend;
}

export const PAD = 10;
const MIN_WIDTH = 132;
const CONTAINER_PAD = 16;
const HEADER_GAP = 14;

/** The width of the finding badges drawn on an element. */
export function badgesWidth(findings: FindingCounts): number {
    let width = 0;
    for (const severity of ['error', 'warning', 'info'] as const)
        if (findings[severity] > 0)
            width += textWidth(`${SEVERITY_MARK[severity]}${findings[severity]}`, FONT.badge) + 12;
    return width;
}

function statusLine(element: DiagramElement): string | undefined {
    return element.status ? shortText(element.status, STATUS_CHARS) : undefined;
}

/** The title block's height: tag, title, details and what-if status. */
export function headerHeight(element: DiagramElement): number {
    return (
        7 + LINE.tag + LINE.title + element.details.length * LINE.detail + (statusLine(element) ? LINE.detail : 0) + 6
    );
}

function headerWidth(element: DiagramElement): number {
    const badges = badgesWidth(element.findings);
    const status = statusLine(element);
    return (
        Math.max(
            textWidth(element.tag, FONT.tag) + (badges ? badges + 12 : 0),
            textWidth(element.label, element.kind === 'topology' ? FONT.header : FONT.title) +
                (badges && element.container ? badges + 12 : 0),
            ...element.details.map(line => textWidth(line, FONT.detail)),
            status ? textWidth(status, FONT.detail) : 0
        ) +
        2 * PAD
    );
}

export function leafSize(element: DiagramElement): Size {
    return { width: Math.ceil(Math.max(MIN_WIDTH, headerWidth(element))), height: Math.ceil(headerHeight(element)) };
}

function labelSize(text: string): Size {
    return { width: Math.ceil(textWidth(text, FONT.label) + 8), height: LINE.label };
}

// elkjs is CommonJS and sets `default` on its export: the same constructor under ESM and the CJS bundle.
const ELK = (elkModule as unknown as { default: new () => ElkInstance }).default;
const elk = new ELK();

const INNER_OPTIONS: Record<string, string> = {
    'elk.algorithm': 'layered',
    'elk.direction': 'RIGHT',
    'elk.randomSeed': '1',
    'elk.partitioning.activate': 'true',
    // One graph per region, also where boxes are not joined: the tiers stay columns.
    'elk.separateConnectedComponents': 'false',
    'elk.layered.considerModelOrder.strategy': 'NODES_AND_EDGES',
    'elk.layered.crossingMinimization.forceNodeModelOrder': 'true',
    'elk.layered.nodePlacement.strategy': 'NETWORK_SIMPLEX',
    // The order inside each column is forced (the source's): little for crossing minimisation to try.
    'elk.layered.thoroughness': '1',
    // As early as the tiers allow: a tier's boxes stay in one column.
    'elk.layered.layering.strategy': 'LONGEST_PATH_SOURCE',
    'elk.edgeRouting': 'ORTHOGONAL',
    'elk.spacing.nodeNode': '22',
    'elk.layered.spacing.nodeNodeBetweenLayers': '46',
    'elk.spacing.edgeNode': '14',
    'elk.spacing.edgeEdge': '8',
    'elk.layered.spacing.edgeNodeBetweenLayers': '14',
    'elk.spacing.edgeLabel': '3',
    'elk.edgeLabels.placement': 'CENTER',
    'elk.portConstraints': 'FIXED_SIDE',
    'elk.nodeSize.constraints': 'MINIMUM_SIZE'
};

/**
 * The regions' insides, one ELK graph each. ELK refuses some tier partitions with edges leaving a
 * region on the side it does not expect ("layer constraint set to LAST, but has at least one
 * outgoing edge …", seen on half-typed files): such a region is laid out again without its tier
 * partitions, so a drawing is always made.
 */
async function layoutRegions(regions: ElkNode[]): Promise<ElkNode> {
    try {
        // ELK writes into the graph it lays out: keep the original for a second try.
        return await elk.layout({
            id: 'root',
            layoutOptions: { 'elk.algorithm': 'fixed' },
            children: structuredClone(regions)
        });
    } catch {
        const plain = regions.map(region => ({
            ...region,
            layoutOptions: { ...region.layoutOptions, 'elk.partitioning.activate': 'false' }
        }));
        return elk.layout({ id: 'root', layoutOptions: { 'elk.algorithm': 'fixed' }, children: plain });
    }
}

export async function layoutDiagram(diagram: Diagram): Promise<LaidOutDiagram> {
    const byId = new Map(diagram.elements.map(element => [element.id, element]));
    const regions = diagram.elements.filter(element => element.kind === 'region');
    const regionIndex = new Map(regions.map((region, index) => [region.id, index]));
    const cellOf = (id: string) => byId.get(id)?.parent ?? id;
    const topology = diagram.elements.find(element => element.kind === 'topology');
    const shared = diagram.elements.filter(
        element => !element.parent && element.kind !== 'region' && element !== topology
    );
    const children = new Map<string, DiagramElement[]>();
    for (const element of diagram.elements)
        if (element.parent) children.set(element.parent, [...(children.get(element.parent) ?? []), element]);

    // Edges inside one region go to ELK; the others leave their region through its side: EAST (to the
    // shared column) through an ELK port, NORTH or SOUTH (to a region above or below) by a straight exit.
    const inner = new Map<string, DiagramEdge[]>();
    const cross: Array<{ edge: DiagramEdge; from: CrossEnd; to: CrossEnd }> = [];
    const ports = new Map<string, Array<{ id: string; side: Side; element: string; outgoing: boolean }>>();
    const exits = new Map<string, Array<{ key: string; side: Side; element: string }>>();
    const exitOf = new Map<string, string>();
    for (const edge of diagram.edges) {
        const a = cellOf(edge.source),
            b = cellOf(edge.target);
        if (a === b) {
            inner.set(a, [...(inner.get(a) ?? []), edge]);
            continue;
        }
        const end = (element: string, cell: string, other: string, outgoing: boolean): CrossEnd => {
            const side: Side = !regionIndex.has(cell)
                ? 'WEST'
                : !regionIndex.has(other)
                  ? 'EAST'
                  : regionIndex.get(other)! > regionIndex.get(cell)!
                    ? 'SOUTH'
                    : 'NORTH';
            if (element !== cell) {
                const id = `${edge.id}|${outgoing ? 'from' : 'to'}`;
                if (side === 'EAST') ports.set(cell, [...(ports.get(cell) ?? []), { id, side, element, outgoing }]);
                else {
                    // Edges of one element through one side share the exit: a bundle, not a fan.
                    const key = `${element}|${side}`;
                    const list = exits.get(cell) ?? [];
                    if (!list.some(exit => exit.key === key)) list.push({ key, side, element });
                    exits.set(cell, list);
                    exitOf.set(id, key);
                }
            }
            return element === cell && byId.get(cell)?.container
                ? { cell, side, band: headerHeight(byId.get(cell)!) }
                : { cell, side };
        };
        cross.push({ edge, from: end(edge.source, a, b, true), to: end(edge.target, b, a, false) });
    }

    // Inside the regions: one ELK run for all of them (each region's graph is laid out on its own).
    const containers = regions.filter(region => region.container);
    const elkRegions: ElkNode[] = [];
    const packed = new Map<string, { size: Size; positions: Map<string, Point> }>();
    for (const region of containers) {
        const inside = children.get(region.id) ?? [];
        const regionPorts = ports.get(region.id) ?? [];
        const edges = inner.get(region.id) ?? [];
        // The inventory packs its cards in rows; the other views keep their tiers in columns.
        if (diagram.view === 'hosts' && edges.length === 0 && regionPorts.length === 0) {
            packed.set(region.id, pack(region, inside));
            continue;
        }
        const header = headerHeight(region);
        // Edges into one box with the same words carry the label once (the tooltips have them all).
        const shownLabels = new Set<string>();
        const labelOf = (edge: DiagramEdge) => {
            const key = `${edge.target}|${edge.label}`;
            if (!edge.label || shownLabels.has(key)) return undefined;
            shownLabels.add(key);
            return edge.label;
        };
        elkRegions.push({
            id: region.id,
            layoutOptions: {
                ...INNER_OPTIONS,
                'elk.padding': `[top=${header + HEADER_GAP},left=${CONTAINER_PAD},bottom=${CONTAINER_PAD},right=${CONTAINER_PAD}]`,
                'elk.nodeSize.minimum': `(${Math.ceil(headerWidth(region) + 2 * CONTAINER_PAD)}, ${header + 40})`
            },
            ports: regionPorts.map((port): ElkPort => ({
                id: port.id,
                width: 1,
                height: 1,
                layoutOptions: { 'elk.port.side': port.side }
            })),
            children: inside.map(element => ({
                id: element.id,
                ...leafSize(element),
                layoutOptions: { 'elk.partitioning.partition': String(Math.max(0, element.tier)) }
            })),
            edges: [
                ...edges.map((edge): ElkExtendedEdge => {
                    const label = labelOf(edge);
                    return {
                        id: edge.id,
                        sources: [edge.source],
                        targets: [edge.target],
                        labels: label ? [{ id: `${edge.id}#label`, text: label, ...labelSize(label) }] : []
                    };
                }),
                ...regionPorts.map((port): ElkExtendedEdge => ({
                    id: port.id,
                    sources: [port.outgoing ? port.element : port.id],
                    targets: [port.outgoing ? port.id : port.element]
                }))
            ]
        });
    }
    const laid = elkRegions.length > 0 ? await layoutRegions(elkRegions) : { children: [] };
    const inside = new Map((laid.children ?? []).map(node => [node.id, node]));

    const regionSize = (region: DiagramElement): Size => {
        const node = inside.get(region.id);
        if (node) return { width: node.width!, height: node.height! };
        return packed.get(region.id)?.size ?? leafSize(region);
    };
    // Boxes inside each region, relative to it; the exits through north and south sides from them.
    const relative = new Map<string, Box>();
    for (const region of containers) {
        const node = inside.get(region.id);
        for (const element of children.get(region.id) ?? []) {
            const child = node?.children?.find(c => c.id === element.id);
            const position = child ? { x: child.x!, y: child.y! } : packed.get(region.id)!.positions.get(element.id)!;
            relative.set(element.id, { ...position, ...leafSize(element) });
        }
    }
    const exitPaths = new Map<string, Point[]>();
    for (const [cell, list] of exits) {
        const size = regionSize(byId.get(cell)!);
        const others = (children.get(cell) ?? []).map(element => relative.get(element.id)!);
        for (const exit of list)
            exitPaths.set(
                exit.key,
                exitPath(relative.get(exit.element)!, exit.side, size, others, headerHeight(byId.get(cell)!))
            );
    }
    const headerBox = topology ? leafSize(topology) : { width: 0, height: 0 };
    const labelled = new Set<string>();
    const crossEdges: CrossEdge[] = cross.map(({ edge, from, to }) => {
        const port = (end: CrossEnd, which: 'from' | 'to'): CrossEnd => {
            const id = `${edge.id}|${which}`;
            const exit = exitOf.get(id);
            if (exit) {
                const path = exitPaths.get(exit)!;
                return { ...end, port: path[path.length - 1] };
            }
            const found = inside.get(end.cell)?.ports?.find(p => p.id === id);
            return found ? { ...end, port: { x: found.x!, y: found.y! } } : end;
        };
        // One label for a bundle of edges with the same words leaving one exit.
        const bundle = `${exitOf.get(`${edge.id}|from`) ?? edge.source}|${edge.label}`;
        const label = edge.label && !labelled.has(bundle) ? labelSize(edge.label) : undefined;
        labelled.add(bundle);
        return { id: edge.id, from: port(from, 'from'), to: port(to, 'to'), label };
    });
    const arrangement = arrangeGrid(
        regions.map(region => ({ id: region.id, ...regionSize(region) })),
        shared.map(element => ({ id: element.id, ...leafSize(element) })),
        crossEdges,
        headerBox.height + 16
    );

    const boxes = new Map<string, Box>();
    for (const region of regions)
        boxes.set(region.id, { ...arrangement.positions.get(region.id)!, ...regionSize(region) });
    for (const element of shared)
        boxes.set(element.id, { ...arrangement.positions.get(element.id)!, ...leafSize(element) });
    for (const [id, box] of relative) {
        const at = boxes.get(byId.get(id)!.parent!)!;
        boxes.set(id, { ...box, x: at.x + box.x, y: at.y + box.y });
    }
    const innerPaths = new Map<string, { points: Point[]; labelBox?: Box }>();
    for (const [id, key] of exitOf) {
        const at = boxes.get(cellOf(key.slice(0, key.lastIndexOf('|'))))!;
        const path = exitPaths.get(key)!.map(p => ({ x: at.x + p.x, y: at.y + p.y }));
        innerPaths.set(id, { points: id.endsWith('|from') ? path : [...path].reverse() });
    }
    for (const node of inside.values()) {
        const at = boxes.get(node.id)!;
        for (const edge of (node.edges ?? []) as ElkExtendedEdge[]) {
            const section = edge.sections?.[0];
            if (!section) continue;
            const points = [section.startPoint, ...(section.bendPoints ?? []), section.endPoint].map(p => ({
                x: at.x + p.x,
                y: at.y + p.y
            }));
            const label = edge.labels?.[0];
            innerPaths.set(edge.id, {
                points,
                labelBox: label && {
                    x: at.x + label.x!,
                    y: at.y + label.y!,
                    width: label.width!,
                    height: label.height!
                }
            });
        }
    }
    const edges: LaidOutEdge[] = diagram.edges.map(edge => {
        const own = innerPaths.get(edge.id);
        if (own) return { ...edge, ...own };
        const route = arrangement.routes.get(edge.id);
        if (!route) return { ...edge, points: [] };
        const head = innerPaths.get(`${edge.id}|from`)?.points ?? [];
        const tail = innerPaths.get(`${edge.id}|to`)?.points ?? [];
        return { ...edge, points: join([...head, ...route.points, ...tail]), labelBox: route.labelBox };
    });

    const elements = diagram.elements.map((element): LaidOutElement => {
        if (element === topology) return { ...element, x: 20, y: 10, ...headerBox };
        return { ...element, ...boxes.get(element.id)! };
    });
    const contentWidth = Math.max(arrangement.width, headerBox.width + 40);
    const legend = legendOf(diagram, { x: 20, y: arrangement.height + 4, width: contentWidth - 40 });
    return {
        view: diagram.view,
        title: diagram.title,
        failures: diagram.failures,
        width: Math.ceil(Math.max(contentWidth, legend.box.width + 40)),
        height: Math.ceil(legend.box.y + legend.box.height + 16),
        elements,
        edges,
        legend
    };
}

/** Boxes in rows, in the source's order, about as wide as the region is tall. */
function pack(
    region: DiagramElement,
    inside: readonly DiagramElement[]
): { size: Size; positions: Map<string, Point> } {
    const gap = 10;
    const top = headerHeight(region) + HEADER_GAP;
    const sizes = inside.map(leafSize);
    const area = sizes.reduce((sum, size) => sum + (size.width + gap) * (size.height + gap), 0);
    const rowWidth = Math.max(headerWidth(region), ...sizes.map(size => size.width), Math.sqrt(area * 1.6));
    const positions = new Map<string, Point>();
    let x = 0,
        y = 0,
        rowHeight = 0,
        width = 0;
    inside.forEach((element, index) => {
        const size = sizes[index];
        if (x > 0 && x + size.width > rowWidth) {
            x = 0;
            y += rowHeight + gap;
            rowHeight = 0;
        }
        positions.set(element.id, { x: CONTAINER_PAD + x, y: top + y });
        x += size.width + gap;
        width = Math.max(width, x - gap);
        rowHeight = Math.max(rowHeight, size.height);
    });
    return {
        size: {
            width: Math.ceil(Math.max(width, headerWidth(region)) + 2 * CONTAINER_PAD),
            height: Math.ceil(top + y + rowHeight + CONTAINER_PAD)
        },
        positions
    };
}

/**
 * From an element straight through its region's north or south side, where no other box is in the
 * way; else along the gap beside its column.
 */
function exitPath(from: Box, side: Side, region: Size, others: readonly Box[], header: number): Point[] {
    const south = side === 'SOUTH';
    const start = south ? from.y + from.height : from.y;
    const end = south ? region.height : 0;
    const free = (x: number, y0: number) =>
        !others.some(
            box =>
                box !== from &&
                box.x - 6 < x &&
                x < box.x + box.width + 6 &&
                (south ? box.y + box.height > y0 && box.y < end : box.y < y0 && box.y + box.height > end + header)
        );
    const centre = from.x + from.width / 2;
    for (let step = 0; step * 12 < from.width / 2 - 8; step++)
        for (const x of step === 0 ? [centre] : [centre + step * 12, centre - step * 12])
            if (free(x, start))
                return [
                    { x, y: start },
                    { x, y: end }
                ];
    // Beside the column: out of the element's east side (west, at the region's east edge), then
    // along the gap between the columns.
    const east = from.x + from.width + 12 < region.width - 4;
    const gap = east ? from.x + from.width + 12 : from.x - 12;
    const mid = from.y + from.height / 2;
    return [
        { x: east ? from.x + from.width : from.x, y: mid },
        { x: gap, y: mid },
        { x: gap, y: end }
    ];
}

function join(points: readonly Point[]): Point[] {
    const out: Point[] = [];
    for (const point of points) {
        const last = out[out.length - 1];
        if (!last || Math.abs(last.x - point.x) > 0.01 || Math.abs(last.y - point.y) > 0.01) out.push(point);
    }
    return out;
}
