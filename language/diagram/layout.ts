// Layout in Node (server and CLI), so the preview and `hatopo render` draw the same picture. Inside
// each region ELK's layered algorithm puts the tiers in columns, left to right, with the source's order
// kept inside each column (model order options, a fixed seed) and orthogonal edges; a group inside a
// region (a Pacemaker cluster) is a compound node laid out with it (ELK's hierarchy handling); a region
// with no edges inside packs its boxes in rows. Regions and shared elements are then placed in a grid
// in the source's order and the edges between them routed through the gutters (grid-routing.ts): an
// edit inside one region never moves the others.

import * as elkModule from 'elkjs/lib/elk.bundled.js';
import type { ELK as ElkInstance, ElkExtendedEdge, ElkNode, ElkPort } from 'elkjs/lib/elk-api.js';
import { topOf, type Diagram, type DiagramEdge, type DiagramElement, type FindingCounts } from './diagram-model.js';
import {
    arrangeGrid,
    chooseColumns,
    type Box,
    type CrossEdge,
    type CrossEnd,
    type Point,
    type Side,
    type Size
} from './grid-routing.js';
import { legendOf, type Legend } from './legend.js';
import { FONT, LINE, SEVERITY_MARK, shortText, STATUS_CHARS, tagWidth, textWidth } from './style.js';

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
const GROUP_PAD = 12;
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

/** The detail lines drawn on the element (a compact one draws none, a repeating region only whose shape it has). */
export function shownDetails(element: DiagramElement): string[] {
    if (element.compact) return [];
    return element.repeats ? element.details.slice(-1) : element.details;
}

/** A compact element is a row of its region's table: its title and badges on one line. */
export const ROW_HEIGHT = 22;

/** The title block's height: tag, title, details and what-if status. */
export function headerHeight(element: DiagramElement): number {
    if (element.compact) return ROW_HEIGHT;
    return (
        7 +
        LINE.tag +
        LINE.title +
        shownDetails(element).length * LINE.detail +
        (statusLine(element) ? LINE.detail : 0) +
        6
    );
}

function headerWidth(element: DiagramElement): number {
    const badges = badgesWidth(element.findings);
    const status = statusLine(element);
    if (element.compact) return textWidth(element.label, FONT.title) + (badges ? badges + 12 : 0) + 2 * PAD;
    return (
        Math.max(
            tagWidth(element.tag) + (badges ? badges + 12 : 0),
            textWidth(element.label, element.kind === 'topology' ? FONT.header : FONT.title) +
                (badges && element.container ? badges + 12 : 0),
            ...shownDetails(element).map(line => textWidth(line, FONT.detail)),
            status ? textWidth(status, FONT.detail) : 0
        ) +
        2 * PAD
    );
}

export function leafSize(element: DiagramElement): Size {
    return {
        width: Math.ceil(Math.max(element.compact ? 0 : MIN_WIDTH, headerWidth(element))),
        height: Math.ceil(headerHeight(element))
    };
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

/** Drawn above the grid, left to right: the topology, and the environment when there is one. */
const HEADER_KINDS = new Set(['topology', 'environment']);
/** Ways in drawn before the regions when they are shared by several (a DNS name over three regions). */
const LEADING_KINDS = new Set(['dns', 'entry', 'manage']);

/**
 * A region with a group is laid out with its groups in one hierarchical run. There ELK ignores the
 * model-order options inside a group (and crashes on them there), so crossing minimisation is off on
 * both levels: the boxes keep the source's order, which is what the flat regions force anyway.
 */
const HIERARCHY_OPTIONS: Record<string, string> = {
    'elk.hierarchyHandling': 'INCLUDE_CHILDREN',
    'elk.layered.crossingMinimization.strategy': 'NONE'
};
/**
 * A long request path (seven tiers at Rackspace: DNS to Galera) wraps onto a second row rather than
 * making the region several screens wide: ELK cuts the chain where the region would get wider than
 * this. Only a chain of this many tiers or more: a short one reads best on one row.
 */
const WRAPPING_OPTIONS: Record<string, string> = {
    'elk.layered.wrapping.strategy': 'MULTI_EDGE',
    'elk.aspectRatio': '2.5'
};
const WRAP_FROM_TIERS = 6;

/**
 * The architecture view's request path runs from the VIP (tier 1) to the data tier (8): a region
 * using six of those columns or more (a database VIP and its load balancers after the services) is a
 * long path. The clients' column and loose host cards do not count.
 */
function longPath(inside: readonly DiagramElement[]): boolean {
    const tiers = new Set(inside.filter(element => element.tier >= 1 && element.tier <= 8).map(e => e.tier));
    return tiers.size >= WRAP_FROM_TIERS;
}
/** A group's own graph: the same spacing as its region (options are not inherited). */
const GROUP_OPTIONS: Record<string, string> = {
    ...Object.fromEntries(Object.entries(INNER_OPTIONS).filter(([key]) => key.includes('spacing'))),
    'elk.layered.crossingMinimization.strategy': 'NONE'
};

// Edge points relative to the root, where every region sits at (0, 0): the same as relative to the
// region, however deep in a group the edge's ends are.
const ROOT_OPTIONS = { 'elk.algorithm': 'fixed', 'elk.json.edgeCoords': 'ROOT' };

/**
 * The regions' insides, one ELK graph each. ELK refuses some tier partitions with edges leaving a
 * region on the side it does not expect ("layer constraint set to LAST, but has at least one
 * outgoing edge …", seen on half-typed files): such a region is laid out again without its tier
 * partitions, so a drawing is always made.
 */
async function layoutRegions(regions: ElkNode[]): Promise<ElkNode> {
    try {
        // ELK writes into the graph it lays out: keep the original for a second try.
        return await elk.layout({ id: 'root', layoutOptions: ROOT_OPTIONS, children: structuredClone(regions) });
    } catch {
        const plain = regions.map(region => ({
            ...region,
            layoutOptions: { ...region.layoutOptions, 'elk.partitioning.activate': 'false' }
        }));
        return elk.layout({ id: 'root', layoutOptions: ROOT_OPTIONS, children: plain });
    }
}

export async function layoutDiagram(diagram: Diagram): Promise<LaidOutDiagram> {
    const byId = new Map(diagram.elements.map(element => [element.id, element]));
    const regions = diagram.elements.filter(element => element.kind === 'region');
    const regionIndex = new Map(regions.map((region, index) => [region.id, index]));
    const cellOf = (id: string) => topOf(byId, id);
    const headers = diagram.elements.filter(element => !element.parent && HEADER_KINDS.has(element.kind));
    const topLevel = diagram.elements.filter(
        element => !element.parent && element.kind !== 'region' && !HEADER_KINDS.has(element.kind)
    );
    const leading = topLevel.filter(element => LEADING_KINDS.has(element.kind));
    const shared = topLevel.filter(element => !LEADING_KINDS.has(element.kind));
    const leadingIds = new Set(leading.map(element => element.id));
    const topLevelIds = new Set(topLevel.map(element => element.id));
    const children = new Map<string, DiagramElement[]>();
    for (const element of diagram.elements)
        if (element.parent) children.set(element.parent, [...(children.get(element.parent) ?? []), element]);
    /** Every leaf drawn inside a region, at any depth. */
    const leavesOf = (id: string): DiagramElement[] =>
        (children.get(id) ?? []).flatMap(child => (child.container ? [child, ...leavesOf(child.id)] : [child]));

    // Edges inside one region go to ELK; the others leave their region through its side: EAST (to the
    // shared column) or WEST (from the leading one) through an ELK port, NORTH or SOUTH (to a region
    // above or below) by a straight exit.
    const inner = new Map<string, DiagramEdge[]>();
    const cross: Array<{ edge: DiagramEdge; from: CrossEnd; to: CrossEnd } | undefined> = [];
    const ports = new Map<string, Array<{ id: string; side: Side; element: string; outgoing: boolean }>>();
    const exits = new Map<string, Array<{ key: string; side: Side; element: string }>>();
    const exitOf = new Map<string, string>();
    /** Edges between two regions: their sides wait for the grid (regions side by side meet below). */
    const betweenRegions: Array<{ index: number; edge: DiagramEdge; a: string; b: string }> = [];
    const end = (
        edge: DiagramEdge,
        element: string,
        cell: string,
        other: string,
        outgoing: boolean,
        regionSide?: Side
    ): CrossEnd => {
        const side: Side = !regionIndex.has(cell)
            ? leadingIds.has(cell)
                ? 'EAST'
                : 'WEST'
            : !regionIndex.has(other)
              ? leadingIds.has(other)
                  ? 'WEST'
                  : 'EAST'
              : regionSide!;
        if (element !== cell) {
            const id = `${edge.id}|${outgoing ? 'from' : 'to'}`;
            // A region laid out by hand (a repeating region's table) has exits, not ELK ports.
            if ((side === 'EAST' || side === 'WEST') && !byId.get(cell)?.repeats)
                ports.set(cell, [...(ports.get(cell) ?? []), { id, side, element, outgoing }]);
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
    for (const edge of diagram.edges) {
        const a = cellOf(edge.source),
            b = cellOf(edge.target);
        if (a === b) {
            inner.set(a, [...(inner.get(a) ?? []), edge]);
            continue;
        }
        if (regionIndex.has(a) && regionIndex.has(b)) {
            betweenRegions.push({ index: cross.length, edge, a, b });
            cross.push(undefined); // filled in once the grid is known
            continue;
        }
        cross.push({ edge, from: end(edge, edge.source, a, b, true), to: end(edge, edge.target, b, a, false) });
    }

    // Inside the regions: one ELK run for all of them (each region's graph is laid out on its own).
    const containers = regions.filter(region => region.container);
    const elkRegions: ElkNode[] = [];
    const packed = new Map<string, { size: Size; positions: Map<string, Point>; width?: number }>();
    const partition = (element: DiagramElement) => ({
        'elk.partitioning.partition': String(Math.max(0, element.tier))
    });
    /** A leaf, or a group with its own header band and its members inside. */
    const elkNode = (element: DiagramElement): ElkNode =>
        element.container
            ? {
                  id: element.id,
                  layoutOptions: {
                      ...GROUP_OPTIONS,
                      ...partition(element),
                      'elk.padding': `[top=${headerHeight(element) + HEADER_GAP},left=${GROUP_PAD},bottom=${GROUP_PAD},right=${GROUP_PAD}]`,
                      'elk.nodeSize.constraints': 'MINIMUM_SIZE',
                      'elk.nodeSize.minimum': `(${Math.ceil(headerWidth(element) + 2 * GROUP_PAD)}, ${headerHeight(element) + 40})`
                  },
                  children: (children.get(element.id) ?? []).map(elkNode)
              }
            : {
                  id: element.id,
                  ...leafSize(element),
                  layoutOptions: {
                      ...partition(element),
                      // ELK puts a box whose only edges go to its region's ports in the last layer
                      // and then fails on the partition edges after it: say it may be anywhere.
                      ...(portOnly.has(element.id) ? { 'elk.layered.layering.layerConstraint': 'NONE' } : {})
                  }
              };
    const joined = new Set([...inner.values()].flat().flatMap(edge => [edge.source, edge.target]));
    const portOnly = new Set(
        [...ports.values()]
            .flat()
            .filter(port => !joined.has(port.element))
            .map(port => port.element)
    );
    for (const region of containers) {
        const inside = children.get(region.id) ?? [];
        const regionPorts = ports.get(region.id) ?? [];
        const edges = inner.get(region.id) ?? [];
        // The inventory packs its cards in rows; a repeating region is a table of rows; the other
        // views keep their tiers in columns.
        if (region.repeats) {
            packed.set(region.id, table(region, inside));
            continue;
        }
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
        const grouped = inside.some(element => element.container);
        elkRegions.push({
            id: region.id,
            layoutOptions: {
                ...INNER_OPTIONS,
                // Only where there is a group: a region without one keeps the flat layout it always had.
                ...(grouped
                    ? HIERARCHY_OPTIONS
                    : diagram.view === 'architecture' && longPath(inside)
                      ? WRAPPING_OPTIONS
                      : {}),
                'elk.padding': `[top=${header + HEADER_GAP},left=${CONTAINER_PAD},bottom=${CONTAINER_PAD},right=${CONTAINER_PAD}]`,
                'elk.nodeSize.minimum': `(${Math.ceil(headerWidth(region) + 2 * CONTAINER_PAD)}, ${header + 40})`
            },
            ports: regionPorts.map((port): ElkPort => ({
                id: port.id,
                width: 1,
                height: 1,
                layoutOptions: { 'elk.port.side': port.side }
            })),
            children: inside.map(elkNode),
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
    // Boxes inside each region, relative to it (a group's members too); the exits through north and
    // south sides from them.
    const relative = new Map<string, Box>();
    const place = (nodes: readonly ElkNode[] | undefined, at: Point) => {
        for (const node of nodes ?? []) {
            const box = { x: at.x + node.x!, y: at.y + node.y!, width: node.width!, height: node.height! };
            relative.set(node.id, box);
            place(node.children, box);
        }
    };
    for (const region of containers) {
        const node = inside.get(region.id);
        if (node) place(node.children, { x: 0, y: 0 });
        else {
            const laidOut = packed.get(region.id)!;
            for (const element of children.get(region.id) ?? [])
                relative.set(element.id, {
                    ...laidOut.positions.get(element.id)!,
                    ...leafSize(element),
                    ...(laidOut.width !== undefined ? { width: laidOut.width } : {})
                });
        }
    }
    // The grid's columns from the regions' sizes: an edge between two regions of one row runs in the
    // gutter below them; between rows, out of the lower side of the upper region.
    const columns = chooseColumns(
        regions.map(regionSize),
        topLevel.map(element => leafSize(element))
    );
    const rowOf = (region: string) => Math.floor(regionIndex.get(region)! / columns);
    for (const { index, edge, a, b } of betweenRegions) {
        const side = (cell: string, other: string): Side => (rowOf(other) >= rowOf(cell) ? 'SOUTH' : 'NORTH');
        cross[index] = {
            edge,
            from: end(edge, edge.source, a, b, true, side(a, b)),
            to: end(edge, edge.target, b, a, false, side(b, a))
        };
    }
    const exitPaths = new Map<string, Point[]>();
    for (const [cell, list] of exits) {
        const size = regionSize(byId.get(cell)!);
        const others = leavesOf(cell)
            .filter(element => !element.container)
            .map(element => relative.get(element.id)!);
        for (const exit of list)
            exitPaths.set(
                exit.key,
                exitPath(relative.get(exit.element)!, exit.side, size, others, headerHeight(byId.get(cell)!))
            );
    }
    // The header row: the topology, then the environment beside it.
    const headerBoxes = new Map<string, Box>();
    let headerX = 20;
    for (const header of headers) {
        headerBoxes.set(header.id, { x: headerX, y: 10, ...leafSize(header) });
        headerX += leafSize(header).width + 32;
    }
    const headerHeightMax = Math.max(0, ...[...headerBoxes.values()].map(box => box.height));
    const headerWidthTotal = headerX - 32 - 20;
    const labelled = new Set<string>();
    const crossEdges: CrossEdge[] = cross.map(item => {
        const { edge, from, to } = item!;
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
        // One label for a bundle of edges with the same words leaving one exit, or entering one
        // shared element.
        const bundle = topLevelIds.has(to.cell)
            ? `to ${to.cell}|${edge.label}`
            : `${exitOf.get(`${edge.id}|from`) ?? edge.source}|${edge.label}`;
        const label = edge.label && !labelled.has(bundle) ? labelSize(edge.label) : undefined;
        labelled.add(bundle);
        return { id: edge.id, from: port(from, 'from'), to: port(to, 'to'), label };
    });
    const arrangement = arrangeGrid(
        regions.map(region => ({ id: region.id, ...regionSize(region) })),
        shared.map(element => ({ id: element.id, ...leafSize(element) })),
        crossEdges,
        headerHeightMax + 16,
        leading.map(element => ({ id: element.id, ...leafSize(element) })),
        columns
    );

    const boxes = new Map<string, Box>();
    for (const region of regions)
        boxes.set(region.id, { ...arrangement.positions.get(region.id)!, ...regionSize(region) });
    for (const element of topLevel)
        boxes.set(element.id, { ...arrangement.positions.get(element.id)!, ...leafSize(element) });
    for (const [id, box] of relative) {
        const at = boxes.get(cellOf(id))!;
        boxes.set(id, { ...box, x: at.x + box.x, y: at.y + box.y });
    }
    const innerPaths = new Map<string, { points: Point[]; labelBox?: Box }>();
    for (const [id, key] of exitOf) {
        const at = boxes.get(cellOf(key.slice(0, key.lastIndexOf('|'))))!;
        const path = exitPaths.get(key)!.map(p => ({ x: at.x + p.x, y: at.y + p.y }));
        innerPaths.set(id, { points: id.endsWith('|from') ? path : [...path].reverse() });
    }
    for (const node of inside.values()) {
        const region = boxes.get(node.id)!;
        const at = { x: region.x - (node.x ?? 0), y: region.y - (node.y ?? 0) };
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

    const elements = diagram.elements.map((element): LaidOutElement => ({
        ...element,
        ...(headerBoxes.get(element.id) ?? boxes.get(element.id)!)
    }));
    const contentWidth = Math.max(arrangement.width, headerWidthTotal + 40);
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

/** A repeating region: its elements as the rows of one table, in the source's order, one width. */
function table(
    region: DiagramElement,
    inside: readonly DiagramElement[]
): { size: Size; positions: Map<string, Point>; width: number } {
    const top = headerHeight(region) + HEADER_GAP;
    const width = Math.max(...inside.map(element => leafSize(element).width), 120);
    const positions = new Map<string, Point>();
    inside.forEach((element, index) => positions.set(element.id, { x: CONTAINER_PAD, y: top + index * ROW_HEIGHT }));
    return {
        size: {
            width: Math.ceil(Math.max(width, headerWidth(region)) + 2 * CONTAINER_PAD),
            height: Math.ceil(top + inside.length * ROW_HEIGHT + CONTAINER_PAD)
        },
        positions,
        width
    };
}

/**
 * From an element straight through its region's north or south side, where no other box is in the
 * way; else along the gap beside its column. East and west: straight out at its middle.
 */
function exitPath(from: Box, side: Side, region: Size, others: readonly Box[], header: number): Point[] {
    if (side === 'EAST' || side === 'WEST') {
        const mid = from.y + from.height / 2;
        return side === 'EAST'
            ? [
                  { x: from.x + from.width, y: mid },
                  { x: region.width, y: mid }
              ]
            : [
                  { x: from.x, y: mid },
                  { x: 0, y: mid }
              ];
    }
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
