// The top level of the picture, laid out by hand so that it follows the source: regions in a grid in
// the order they are written (row by row, as many columns as make the picture about 16:10), elements
// shared by several regions in a column on the right (the data tier) or, for the ways in (a DNS name
// over several regions), on the left, and the edges between them routed orthogonally through the
// gutters between the cells, each on a track of its own. ELK lays out the inside of each region
// (layout.ts); here the regions are boxes with ports on their sides.

import { LINE } from './style.js';

export type Side = 'NORTH' | 'SOUTH' | 'EAST' | 'WEST';
export interface Point {
    x: number;
    y: number;
}
export interface Size {
    width: number;
    height: number;
}
export interface Box extends Point, Size {}

export interface CrossEnd {
    /** A region cell or a shared element. */
    cell: string;
    side: Side;
    /** A region's own end leaves from its title band, so it does not look like a child's. */
    band?: number;
    /** Where the port is, relative to the cell's top-left corner; spread along the side when absent. */
    port?: Point;
}

export interface CrossEdge {
    id: string;
    from: CrossEnd;
    to: CrossEnd;
    label?: Size;
}

export interface Arrangement {
    positions: Map<string, Point>;
    width: number;
    height: number;
    routes: Map<string, { points: Point[]; labelBox?: Box }>;
}

const MARGIN = 20;
const GUTTER = 28;
const H_TRACK = LINE.label + 6;
const V_TRACK = 10;
const SHARED_GAP = 24;
const PORT_SPACING = LINE.label + 8;
const ASPECT = 1.6;

type Gutter = { horizontal: boolean; index: number };
const key = (g: Gutter) => `${g.horizontal ? 'H' : 'V'}${g.index}`;

/**
 * Places regions (in order), leading elements on the left and shared elements on the right below
 * `top`, and routes the edges between them.
 */
export function arrangeGrid(
    regions: ReadonlyArray<{ id: string } & Size>,
    shared: ReadonlyArray<{ id: string } & Size>,
    edges: readonly CrossEdge[],
    top: number,
    leading: ReadonlyArray<{ id: string } & Size> = [],
    columns: number = chooseColumns(regions, [...shared, ...leading])
): Arrangement {
    const cellOf = new Map(
        regions.map((region, i) => [region.id, { row: Math.floor(i / columns), column: i % columns }])
    );
    const rows = Math.ceil(regions.length / columns);
    const sharedIds = new Set(shared.map(element => element.id));
    const leadingIds = new Set(leading.map(element => element.id));

    // Shared (leading) elements grow to give each port on their west (east) side its own row.
    const portCount = new Map<string, number>();
    for (const edge of edges)
        for (const end of [edge.from, edge.to])
            if (sharedIds.has(end.cell) || leadingIds.has(end.cell))
                portCount.set(end.cell, (portCount.get(end.cell) ?? 0) + 1);
    const grown = (list: ReadonlyArray<{ id: string } & Size>) =>
        list.map(element => ({
            ...element,
            height: Math.max(element.height, 16 + (portCount.get(element.id) ?? 0) * PORT_SPACING)
        }));
    const sharedSizes = grown(shared);
    const leadingSizes = grown(leading);
    const leadingWidth = leading.length > 0 ? Math.max(...leadingSizes.map(element => element.width)) : 0;

    // Which gutters each edge travels, from the cells alone; then tracks, then sizes.
    const gutterOf = (end: CrossEnd): Gutter => {
        if (leadingIds.has(end.cell)) return { horizontal: false, index: 0 };
        if (sharedIds.has(end.cell)) return { horizontal: false, index: columns };
        const { row, column } = cellOf.get(end.cell)!;
        if (end.side === 'NORTH') return { horizontal: true, index: row };
        if (end.side === 'SOUTH') return { horizontal: true, index: row + 1 };
        if (end.side === 'EAST') return { horizontal: false, index: column + 1 };
        return { horizontal: false, index: column };
    };
    const paths = new Map<string, Gutter[]>();
    for (const edge of edges) {
        const a = gutterOf(edge.from),
            b = gutterOf(edge.to);
        const ca = cellOf.get(edge.from.cell),
            cb = cellOf.get(edge.to.cell);
        let path: Gutter[];
        if (key(a) === key(b)) path = [a];
        else if (a.horizontal && b.horizontal) {
            const from = ca?.column ?? 0,
                to = cb?.column ?? 0;
            // Between two regions of one column (a region in between): round the side nearer the ends.
            const index = to < from ? from : to > from ? from + 1 : nearerSide(edge, from);
            path = [a, { horizontal: false, index }, b];
        } else if (a.horizontal !== b.horizontal) path = [a, b];
        else path = [a, { horizontal: true, index: (ca ?? cb)?.row !== undefined ? (ca ?? cb)!.row + 1 : 0 }, b];
        paths.set(edge.id, path);
    }
    const tracks = new Map<string, string[]>();
    for (const edge of edges)
        for (const gutter of paths.get(edge.id)!) {
            const list = tracks.get(key(gutter)) ?? [];
            if (!list.includes(edge.id)) list.push(edge.id);
            tracks.set(key(gutter), list);
        }
    const trackOf = (gutter: Gutter, id: string) => tracks.get(key(gutter))!.indexOf(id);
    const count = (gutter: Gutter) => tracks.get(key(gutter))?.length ?? 0;
    const sharedLabels = Math.max(
        0,
        ...edges
            .filter(edge => edge.label && (sharedIds.has(edge.from.cell) || sharedIds.has(edge.to.cell)))
            .map(edge => edge.label!.width)
    );

    const hSize = (index: number) => GUTTER + count({ horizontal: true, index }) * H_TRACK;
    const vSize = (index: number) =>
        GUTTER +
        count({ horizontal: false, index }) * V_TRACK +
        (index === columns && shared.length > 0 ? sharedLabels + SHARED_GAP : 0);
    // A column's edge, for the ports that know where they are (relative to their cell).
    function nearerSide(edge: CrossEdge, column: number): number {
        const width = Math.max(0, ...regions.filter((_, i) => i % columns === column).map(r => r.width));
        const xs = [edge.from, edge.to].map(end => end.port?.x ?? width / 2);
        const left = xs.reduce((sum, x) => sum + x, 0);
        const right = xs.reduce((sum, x) => sum + (width - x), 0);
        return left < right ? column : column + 1;
    }
    const columnWidths = Array.from({ length: columns }, (_, c) =>
        Math.max(0, ...regions.filter((_, i) => i % columns === c).map(r => r.width))
    );
    const rowHeights = Array.from({ length: rows }, (_, r) =>
        Math.max(0, ...regions.slice(r * columns, (r + 1) * columns).map(region => region.height))
    );
    const vStart: number[] = [];
    const columnX: number[] = [];
    const leadingX = MARGIN;
    let x = MARGIN - GUTTER / 2 + (leading.length > 0 ? leadingWidth + SHARED_GAP / 2 : 0);
    for (let c = 0; c <= columns; c++) {
        vStart[c] = x;
        x += vSize(c);
        if (c < columns) {
            columnX[c] = x;
            x += columnWidths[c];
        }
    }
    const hStart: number[] = [];
    const rowY: number[] = [];
    let y = top;
    for (let r = 0; r <= rows; r++) {
        hStart[r] = y;
        y += hSize(r);
        if (r < rows) {
            rowY[r] = y;
            y += rowHeights[r];
        }
    }
    const gridBottom = y;

    const positions = new Map<string, Point>();
    const sizes = new Map<string, Size>();
    regions.forEach(region => {
        const { row, column } = cellOf.get(region.id)!;
        positions.set(region.id, { x: columnX[column], y: rowY[row] });
        sizes.set(region.id, region);
    });
    // A column of elements beside the grid, centred on it.
    const stack = (list: ReadonlyArray<{ id: string } & Size>, at: number): number => {
        const total =
            list.reduce((sum, element) => sum + element.height, 0) + SHARED_GAP * Math.max(0, list.length - 1);
        let y = Math.max(top + GUTTER, top + (gridBottom - top - total) / 2);
        for (const element of list) {
            positions.set(element.id, { x: at, y });
            sizes.set(element.id, element);
            y += element.height + SHARED_GAP;
        }
        return y;
    };
    const sharedX = x;
    const sharedY = stack(sharedSizes, sharedX);
    const leadingY = stack(leadingSizes, leadingX);
    const width = Math.max(sharedX + Math.max(0, ...sharedSizes.map(element => element.width)), x) + MARGIN;
    const height = Math.max(gridBottom, sharedY, leadingY) + MARGIN / 2;

    // Port positions: given by the inner layout, else spread along the side (shared elements' west
    // ports in the order of the other ends, top to bottom, so stubs do not cross).
    const points = new Map<string, { from: Point; to: Point }>();
    const absolute = (end: CrossEnd): Point | undefined => {
        if (!end.port) return undefined;
        const at = positions.get(end.cell)!;
        return { x: at.x + end.port.x, y: at.y + end.port.y };
    };
    const spread = new Map<string, Array<{ edge: string; end: 'from' | 'to'; order: number; band?: number }>>();
    for (const [index, edge] of edges.entries()) {
        for (const end of ['from', 'to'] as const) {
            const which = edge[end];
            if (which.port) continue;
            const other = edge[end === 'from' ? 'to' : 'from'];
            const otherPoint = absolute(other) ?? positions.get(other.cell)!;
            const side = `${which.cell}|${which.side}`;
            const order = which.side === 'NORTH' || which.side === 'SOUTH' ? otherPoint.x : otherPoint.y;
            spread.set(side, [
                ...(spread.get(side) ?? []),
                { edge: edge.id, end, order: order + index / 1e6, band: which.band }
            ]);
        }
    }
    const spreadPoints = new Map<string, Point>();
    for (const [side, list] of spread) {
        const [cell, which] = side.split('|') as [string, Side];
        const at = positions.get(cell)!,
            size = sizes.get(cell)!;
        list.sort((a, b) => a.order - b.order);
        list.forEach((entry, i) => {
            const share = (i + 1) / (list.length + 1);
            const point =
                which === 'NORTH'
                    ? { x: at.x + size.width * share, y: at.y }
                    : which === 'SOUTH'
                      ? { x: at.x + size.width * share, y: at.y + size.height }
                      : which === 'EAST'
                        ? { x: at.x + size.width, y: at.y + size.height * share }
                        : { x: at.x, y: at.y + size.height * share };
            spreadPoints.set(`${entry.edge}|${entry.end}`, point);
        });
    }
    for (const edge of edges)
        points.set(edge.id, {
            from: absolute(edge.from) ?? spreadPoints.get(`${edge.id}|from`)!,
            to: absolute(edge.to) ?? spreadPoints.get(`${edge.id}|to`)!
        });

    const routes = new Map<string, { points: Point[]; labelBox?: Box }>();
    const trackX = (gutter: Gutter, id: string) => vStart[gutter.index] + GUTTER / 2 + trackOf(gutter, id) * V_TRACK;
    const trackY = (gutter: Gutter, id: string) => hStart[gutter.index] + GUTTER / 2 + trackOf(gutter, id) * H_TRACK;
    /** The edge's corners: its ports, and where it enters, turns in and leaves each gutter. */
    const lineOf = (edge: CrossEdge): Point[] => {
        const path = paths.get(edge.id)!;
        const { from, to } = points.get(edge.id)!;
        const line: Point[] = [from];
        const first = path[0];
        line.push(
            first.horizontal ? { x: from.x, y: trackY(first, edge.id) } : { x: trackX(first, edge.id), y: from.y }
        );
        for (let i = 1; i < path.length; i++) {
            const previous = path[i - 1],
                gutter = path[i];
            line.push(
                previous.horizontal
                    ? { x: trackX(gutter, edge.id), y: trackY(previous, edge.id) }
                    : { x: trackX(previous, edge.id), y: trackY(gutter, edge.id) }
            );
        }
        const last = path[path.length - 1];
        line.push(last.horizontal ? { x: to.x, y: trackY(last, edge.id) } : { x: trackX(last, edge.id), y: to.y });
        line.push(to);
        return line;
    };
    untangle(edges, paths, tracks, lineOf);
    for (const edge of edges) {
        const clean = simplify(lineOf(edge));
        const label =
            edge.label &&
            placeLabel(
                clean,
                edge.label,
                sharedIds.has(edge.to.cell),
                sharedIds.has(edge.from.cell),
                leadingIds.has(edge.from.cell)
            );
        if (label) label.x = Math.min(Math.max(label.x, MARGIN / 2), width - MARGIN / 2 - label.width);
        routes.set(edge.id, { points: clean, labelBox: label });
    }
    return { positions, width, height, routes };
}

/** An edge's run along one gutter: its extent, and where its two ends turn off it, to which side. */
interface Run {
    lo: number;
    hi: number;
    /** Position along the gutter, and -1 (toward the smaller coordinate across it) or +1. */
    ends: Array<{ at: number; toward: number }>;
}

/**
 * Orders the tracks of each gutter so that fewer edges cross: of two edges, the one whose ends turn
 * toward the other's track goes second when its ends fall inside the other's run. A pairwise
 * insertion, stable where nothing crosses, so a picture without crossings keeps its tracks.
 */
function untangle(
    edges: readonly CrossEdge[],
    paths: ReadonlyMap<string, Gutter[]>,
    tracks: Map<string, string[]>,
    lineOf: (edge: CrossEdge) => Point[]
): void {
    const runs = new Map<string, Map<string, Run>>();
    for (const edge of edges) {
        const line = lineOf(edge);
        paths.get(edge.id)!.forEach((gutter, i) => {
            const [before, start, end, after] = [line[i], line[i + 1], line[i + 2], line[i + 3]];
            const along = (point: Point) => (gutter.horizontal ? point.x : point.y);
            const across = (point: Point) => (gutter.horizontal ? point.y : point.x);
            const run: Run = {
                lo: Math.min(along(start), along(end)),
                hi: Math.max(along(start), along(end)),
                ends: [
                    { at: along(start), toward: Math.sign(across(before) - across(start)) },
                    { at: along(end), toward: Math.sign(across(after) - across(end)) }
                ]
            };
            const inGutter = runs.get(key(gutter)) ?? new Map<string, Run>();
            inGutter.set(edge.id, run);
            runs.set(key(gutter), inGutter);
        });
    }
    /** Crossings when `a` has the track before (the smaller coordinate than) `b`. */
    const crossings = (a: Run, b: Run) =>
        a.ends.filter(end => end.toward > 0 && b.lo < end.at && end.at < b.hi).length +
        b.ends.filter(end => end.toward < 0 && a.lo < end.at && end.at < a.hi).length;
    for (const [gutter, list] of tracks) {
        const inGutter = runs.get(gutter);
        if (!inGutter || list.length < 2) continue;
        const ordered: string[] = [];
        for (const id of list) {
            const run = inGutter.get(id)!;
            let at = ordered.length;
            while (at > 0) {
                const other = inGutter.get(ordered[at - 1])!;
                if (crossings(run, other) < crossings(other, run)) at--;
                else break;
            }
            ordered.splice(at, 0, id);
        }
        tracks.set(gutter, ordered);
    }
}

/**
 * Columns for the grid: the count whose picture is closest to 16:10; fewer columns on a near tie, so
 * a region that grows a little does not reflow the grid.
 */
export function chooseColumns(regions: ReadonlyArray<Size>, shared: ReadonlyArray<Size>): number {
    if (regions.length <= 1) return 1;
    const sharedWidth = shared.length > 0 ? Math.max(...shared.map(s => s.width)) + 80 : 0;
    const sharedHeight = shared.reduce((sum, s) => sum + s.height + SHARED_GAP, 0);
    let best = 1,
        bestScore = Infinity;
    for (let columns = 1; columns <= regions.length; columns++) {
        let width = sharedWidth,
            height = 0;
        for (let c = 0; c < columns; c++)
            width += Math.max(0, ...regions.filter((_, i) => i % columns === c).map(r => r.width)) + GUTTER;
        for (let r = 0; r * columns < regions.length; r++)
            height += Math.max(...regions.slice(r * columns, (r + 1) * columns).map(s => s.height)) + GUTTER;
        height = Math.max(height, sharedHeight);
        const score = Math.abs(Math.log(width / height / ASPECT));
        if (score < bestScore - 0.15) {
            best = columns;
            bestScore = score;
        }
    }
    return best;
}

function simplify(points: readonly Point[]): Point[] {
    const out: Point[] = [];
    for (const point of points) {
        const last = out[out.length - 1];
        if (last && Math.abs(last.x - point.x) < 0.01 && Math.abs(last.y - point.y) < 0.01) continue;
        const before = out[out.length - 2];
        if (
            before &&
            last &&
            ((Math.abs(before.x - last.x) < 0.01 && Math.abs(last.x - point.x) < 0.01) ||
                (Math.abs(before.y - last.y) < 0.01 && Math.abs(last.y - point.y) < 0.01))
        )
            out[out.length - 1] = point;
        else out.push(point);
    }
    return out;
}

/** On the stub next to a shared (or leading) element, else centred on the longest horizontal segment. */
function placeLabel(
    points: readonly Point[],
    label: Size,
    toShared: boolean,
    fromShared: boolean,
    fromLeading: boolean
): Box {
    if (fromLeading) return { x: points[0].x + 6, y: points[0].y - label.height / 2, ...label };
    if (toShared || fromShared) {
        const end = toShared ? points[points.length - 1] : points[0];
        return { x: end.x - 6 - label.width, y: end.y - label.height / 2, ...label };
    }
    let best = { length: -1, x: points[0].x, y: points[0].y };
    for (let i = 0; i + 1 < points.length; i++) {
        const a = points[i],
            b = points[i + 1];
        if (Math.abs(a.y - b.y) > 0.01) continue;
        const length = Math.abs(a.x - b.x);
        if (length > best.length) best = { length, x: (a.x + b.x) / 2, y: a.y };
    }
    return { x: best.x - label.width / 2, y: best.y - label.height / 2, ...label };
}
