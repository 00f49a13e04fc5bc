// The one SVG renderer: laid-out diagram → SVG string, used by `hatopo render` and the preview. Every
// piece of user text is escaped. Colours are presentation attributes (no <style>: the webview's CSP
// allows none, and resvg reads attributes best); the preview restyles backgrounds and text through the
// `hx-*` classes with the editor theme. Each element's group carries `data-element="<kind>:<name>"`,
// its source for click-to-source and a <title> that lists its findings.

import type { FindingCounts } from './diagram-model.js';
import { LEGEND_SAMPLE, LEGEND_TITLE } from './legend.js';
import {
    headerHeight,
    PAD,
    shownDetails,
    type LaidOutDiagram,
    type LaidOutEdge,
    type LaidOutElement
} from './layout.js';
import {
    CONTAINER_FILL,
    CONTAINER_STROKE,
    CUT_COLOUR,
    EDGE_STYLES,
    FONT,
    FONT_FAMILY,
    INK,
    kindStyle,
    LINE,
    LOST_COLOUR,
    MUTED,
    PAPER,
    SEVERITY_COLOUR,
    SEVERITY_MARK,
    shortText,
    STANDBY_DASH,
    STANDBY_OPACITY,
    STATUS_CHARS,
    TAG_SPACING,
    textWidth,
    TRUST_COLOUR
} from './style.js';

export function escapeXml(text: string): string {
    return text.replace(
        /[&<>"']/g,
        c => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!
    );
}

const r = (value: number) => Math.round(value * 10) / 10;

export function renderSvg(diagram: LaidOutDiagram): string {
    const width = Math.ceil(diagram.width);
    const height = Math.ceil(diagram.height);
    const colours = new Set<string>();
    const edges = diagram.edges.filter(edge => edge.points.length >= 2);
    for (const edge of edges) colours.add(edgeColour(edge));
    for (const item of diagram.legend.items)
        if (item.type === 'edge') colours.add(EDGE_STYLES[item.key as LaidOutEdge['kind']].colour);
    const containers = diagram.elements.filter(element => element.container);
    const leaves = diagram.elements.filter(element => !element.container);
    const parts = [
        `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="${escapeXml(FONT_FAMILY)}" data-view="${escapeXml(diagram.view)}">`,
        `<defs>${[...colours].map(marker).join('')}</defs>`,
        `<rect class="hx-bg" width="${width}" height="${height}" fill="${PAPER}"/>`,
        ...containers.map(renderContainer),
        ...edges.map(renderEdge),
        ...leaves.map(element => (element.kind === 'topology' ? renderHeader(element) : renderLeaf(element))),
        ...edges.filter(edge => edge.labelBox && edge.label).map(renderLabel),
        renderLegend(diagram),
        '</svg>'
    ];
    return parts.join('\n') + '\n';
}

function markerId(colour: string): string {
    return `arrow-${colour.slice(1)}`;
}

function marker(colour: string): string {
    return `<marker id="${markerId(colour)}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="${colour}"/></marker>`;
}

function tooltip(element: LaidOutElement): string {
    const lines = [
        `${element.tag}: ${element.label}`,
        ...element.details,
        ...(element.status ? [`what-if: ${element.status}`] : []),
        ...element.messages
    ];
    return `<title>${escapeXml(lines.join('\n'))}</title>`;
}

function elementAttributes(element: LaidOutElement, extra: string): string {
    const classes = [
        'element',
        `kind-${element.kind}`,
        extra,
        element.lost ? 'lost' : '',
        element.down ? 'down' : '',
        element.standby ? 'standby' : '',
        element.compact ? 'compact' : '',
        element.findings.error > 0 ? 'has-error' : element.findings.warning > 0 ? 'has-warning' : ''
    ].filter(Boolean);
    const source = element.source
        ? ` data-uri="${escapeXml(element.source.uri)}" data-line="${element.source.start.line}" data-character="${element.source.start.character}"`
        : '';
    return `class="${escapeXml(classes.join(' '))}" data-element="${escapeXml(element.id)}" data-kind="${escapeXml(element.kind)}"${element.parent ? ` data-parent="${escapeXml(element.parent)}"` : ''}${source}`;
}

function badges(findings: FindingCounts, right: number, y: number): string {
    const parts: string[] = [];
    let x = right;
    for (const severity of ['info', 'warning', 'error'] as const) {
        const count = findings[severity];
        if (count === 0) continue;
        const text = `${SEVERITY_MARK[severity]}${count}`;
        const width = textWidth(text, FONT.badge) + 8;
        x -= width;
        parts.push(
            `<g class="badge badge-${severity}"><rect x="${r(x)}" y="${y}" width="${r(width)}" height="14" rx="7" fill="${SEVERITY_COLOUR[severity]}"/>` +
                `<text x="${r(x + width / 2)}" y="${y + 10.5}" font-size="${FONT.badge}" font-weight="bold" fill="#ffffff" text-anchor="middle">${escapeXml(text)}</text></g>`
        );
        x -= 4;
    }
    return parts.join('');
}

/** Tag, title, details and what-if status, top-left aligned at (x, 0). */
function textBlock(
    element: LaidOutElement,
    x: number,
    accent: string,
    titleSize: number,
    titleClass = 'title'
): string {
    let y = 7 + LINE.tag - 3;
    const out = [
        `<text class="hx-tag" x="${x}" y="${y}" font-size="${FONT.tag}" font-weight="bold" letter-spacing="${TAG_SPACING}" fill="${accent}">${escapeXml(element.tag)}</text>`
    ];
    y += LINE.title;
    out.push(
        `<text class="hx-ink ${titleClass}" x="${x}" y="${y}" font-size="${titleSize}" font-weight="bold" fill="${INK}">${escapeXml(element.label)}</text>`
    );
    for (const line of shownDetails(element)) {
        y += LINE.detail;
        out.push(
            `<text class="hx-muted" x="${x}" y="${y}" font-size="${FONT.detail}" fill="${MUTED}">${escapeXml(line)}</text>`
        );
    }
    if (element.status) {
        y += LINE.detail;
        const colour = element.down || element.lost ? CUT_COLOUR : MUTED;
        out.push(
            `<text class="status" x="${x}" y="${y}" font-size="${FONT.detail}" font-weight="bold" fill="${colour}">${escapeXml(shortText(element.status, STATUS_CHARS))}</text>`
        );
    }
    return out.join('');
}

function renderContainer(element: LaidOutElement): string {
    if (element.kind !== 'region') return renderGroup(element);
    const lost = element.lost ? ' opacity="0.55"' : '';
    return (
        `<g ${elementAttributes(element, 'container')} transform="translate(${r(element.x)},${r(element.y)})"${lost}>${tooltip(element)}` +
        `<rect class="hx-container" width="${r(element.width)}" height="${r(element.height)}" rx="10" fill="${element.lost ? '#e5e7eb' : CONTAINER_FILL}" stroke="${element.down ? CUT_COLOUR : CONTAINER_STROKE}" stroke-width="${element.down ? 2.5 : 1.2}"/>` +
        `<line x1="12" x2="${r(element.width - 12)}" y1="${headerHeight(element)}" y2="${headerHeight(element)}" stroke="${CONTAINER_STROKE}" stroke-width="0.6" stroke-dasharray="2 3"/>` +
        textBlock(element, PAD + 4, kindStyle('region').colour, FONT.title + 1, 'region-name') +
        badges(element.findings, element.width - 10, 8) +
        '</g>'
    );
}

/** A group inside a region (a Pacemaker cluster): a tinted box in its kind's colour around its members. */
function renderGroup(element: LaidOutElement): string {
    const colour = element.down ? CUT_COLOUR : element.lost ? LOST_COLOUR : kindStyle(element.kind).colour;
    return (
        `<g ${elementAttributes(element, 'container group')} transform="translate(${r(element.x)},${r(element.y)})"${element.lost ? ' opacity="0.6"' : ''}>${tooltip(element)}` +
        `<rect class="hx-paper" width="${r(element.width)}" height="${r(element.height)}" rx="8" fill="${PAPER}" stroke="${colour}" stroke-width="${element.down ? 2.5 : 1.4}"/>` +
        `<rect width="${r(element.width)}" height="${r(element.height)}" rx="8" fill="${colour}" fill-opacity="0.05"/>` +
        `<rect x="1" y="5" width="3.5" height="${r(Math.max(0, headerHeight(element) - 8))}" rx="1.5" fill="${colour}"/>` +
        textBlock(element, PAD + 2, colour, FONT.title) +
        badges(element.findings, element.width - 8, 6) +
        '</g>'
    );
}

function renderHeader(element: LaidOutElement): string {
    return (
        `<g ${elementAttributes(element, 'header')} transform="translate(${r(element.x)},${r(element.y)})">${tooltip(element)}` +
        `<rect class="hx-bg" width="${r(element.width)}" height="${r(element.height)}" fill="${PAPER}" fill-opacity="0"/>` +
        textBlock(element, 0, MUTED, FONT.header) +
        badges(element.findings, element.width, 6) +
        '</g>'
    );
}

/** A compact element: one row of its region's table, with its kind's colour, title and badges. */
function renderRow(element: LaidOutElement): string {
    const accent = kindStyle(element.kind).colour;
    const border = element.down ? CUT_COLOUR : element.lost ? LOST_COLOUR : accent;
    return (
        `<g ${elementAttributes(element, 'node row')} transform="translate(${r(element.x)},${r(element.y)})"${element.lost ? ' opacity="0.6"' : ''}>${tooltip(element)}` +
        `<rect class="hx-paper" width="${r(element.width)}" height="${r(element.height)}" fill="${element.lost ? '#e5e7eb' : PAPER}" stroke="${element.down ? CUT_COLOUR : CONTAINER_STROKE}" stroke-width="${element.down ? 2 : 0.8}"${element.standby ? ` stroke-dasharray="${STANDBY_DASH}"` : ''}/>` +
        `<rect x="1" y="3" width="3.5" height="${r(element.height - 6)}" rx="1.5" fill="${border}"/>` +
        `<text class="hx-ink title" x="${PAD + 2}" y="${r(element.height / 2 + 4)}" font-size="${FONT.title}" fill="${INK}">${escapeXml(element.label)}</text>` +
        badges(element.findings, element.width - 6, r((element.height - 14) / 2)) +
        '</g>'
    );
}

function renderLeaf(element: LaidOutElement): string {
    if (element.compact) return renderRow(element);
    const accent = element.trust ? TRUST_COLOUR[element.trust] : kindStyle(element.kind).colour;
    const border = element.down ? CUT_COLOUR : element.lost ? LOST_COLOUR : accent;
    const collapsed = element.kind === 'region';
    // Dashed: a collapsed region (more inside), a standby set (checked, not counted).
    const dash = collapsed ? '6 3' : element.standby ? STANDBY_DASH : undefined;
    const body =
        `<rect class="hx-paper" width="${r(element.width)}" height="${r(element.height)}" rx="6" fill="${element.lost ? '#e5e7eb' : collapsed ? CONTAINER_FILL : PAPER}" stroke="${border}" stroke-width="${element.down ? 2.5 : 1.3}"${dash ? ` stroke-dasharray="${dash}"` : ''}/>` +
        (element.trust
            ? `<rect width="${r(element.width)}" height="${r(element.height)}" rx="6" fill="${accent}" fill-opacity="0.08"/>`
            : '') +
        `<rect x="1" y="5" width="3.5" height="${r(Math.max(0, element.height - 10))}" rx="1.5" fill="${border}"${element.standby ? ' fill-opacity="0.45"' : ''}/>`;
    const cross = element.lost
        ? `<path d="M6,6 L${r(element.width - 6)},${r(element.height - 6)} M${r(element.width - 6)},6 L6,${r(element.height - 6)}" stroke="${LOST_COLOUR}" stroke-width="1" opacity="0.6"/>`
        : '';
    const faded = element.standby && !element.lost ? ` opacity="${STANDBY_OPACITY}"` : '';
    return (
        `<g ${elementAttributes(element, 'node')} transform="translate(${r(element.x)},${r(element.y)})"${element.lost ? ' opacity="0.6"' : ''}>${tooltip(element)}` +
        // The badges stay at full strength on a faded standby box: its findings still count.
        `<g${faded}>${body}${cross}${textBlock(element, PAD + 2, border, FONT.title, collapsed ? 'region-name' : 'title')}</g>` +
        badges(element.findings, element.width - 6, 5) +
        '</g>'
    );
}

function edgeColour(edge: LaidOutEdge): string {
    if (edge.cut || edge.kind === 'cut' || edge.blocked) return CUT_COLOUR;
    if (edge.lost) return LOST_COLOUR;
    return EDGE_STYLES[edge.kind].colour;
}

function edgeTooltip(edge: LaidOutEdge): string {
    const lines = [
        edge.label || edge.kind,
        ...edge.details,
        ...(edge.blocked ? ['blocked by the modelled network (port-unreachable)'] : []),
        ...(edge.cut ? ['cut by the what-if'] : [])
    ];
    return `<title>${escapeXml(lines.join('\n'))}</title>`;
}

function edgeAttributes(edge: LaidOutEdge): string {
    const classes = [
        'edge',
        `edge-${edge.kind}`,
        edge.blocked ? 'blocked' : '',
        edge.cut ? 'cut' : '',
        edge.lost ? 'lost' : '',
        edge.standby ? 'standby' : ''
    ];
    const source = edge.at
        ? ` data-uri="${escapeXml(edge.at.uri)}" data-line="${edge.at.start.line}" data-character="${edge.at.start.character}"`
        : '';
    return `class="${classes.filter(Boolean).join(' ')}" data-edge="${escapeXml(edge.id)}" data-source="${escapeXml(edge.source)}" data-target="${escapeXml(edge.target)}"${source}`;
}

function renderEdge(edge: LaidOutEdge): string {
    const style = EDGE_STYLES[edge.kind];
    const colour = edgeColour(edge);
    const dash = edge.blocked
        ? EDGE_STYLES.blocked.dash
        : edge.cut
          ? undefined
          : (style.dash ?? (edge.standby ? STANDBY_DASH : undefined));
    const width = edge.cut ? EDGE_STYLES.cut.width : edge.count > 1 ? style.width + 1 : style.width;
    const d = edge.points.map((p, i) => `${i === 0 ? 'M' : 'L'}${r(p.x)},${r(p.y)}`).join(' ');
    return (
        `<g ${edgeAttributes(edge)}>${edgeTooltip(edge)}` +
        `<path d="${d}" fill="none" stroke="${colour}" stroke-width="${width}"${dash ? ` stroke-dasharray="${dash}"` : ''}${edge.directed ? ` marker-end="url(#${markerId(colour)})"` : ''}${edge.lost || edge.standby ? ` opacity="${edge.lost ? 0.6 : STANDBY_OPACITY}"` : ''}/>` +
        // A wide invisible stroke makes a thin edge easy to hover.
        `<path d="${d}" fill="none" stroke="#000000" stroke-opacity="0" stroke-width="10"/>` +
        '</g>'
    );
}

function renderLabel(edge: LaidOutEdge): string {
    const box = edge.labelBox!;
    const colour = edge.cut || edge.blocked || edge.kind === 'cut' ? CUT_COLOUR : INK;
    return (
        `<g class="edge-label" data-edge="${escapeXml(edge.id)}"${edge.standby && !edge.cut ? ` opacity="${STANDBY_OPACITY}"` : ''}>${edgeTooltip(edge)}` +
        `<rect class="hx-label-bg" x="${r(box.x)}" y="${r(box.y)}" width="${r(box.width)}" height="${r(box.height)}" rx="3" fill="${PAPER}" fill-opacity="0.92"/>` +
        `<text${colour === INK ? ' class="hx-ink"' : ''} x="${r(box.x + box.width / 2)}" y="${r(box.y + box.height - 3.5)}" font-size="${FONT.label}" fill="${colour}" text-anchor="middle">${escapeXml(edge.label)}</text>` +
        '</g>'
    );
}

function renderLegend(diagram: LaidOutDiagram): string {
    const { box, items } = diagram.legend;
    if (items.length === 0) return '';
    const out = [
        `<g class="legend">`,
        `<text class="hx-muted" x="${r(box.x)}" y="${r(box.y + 12)}" font-size="${FONT.tag}" font-weight="bold" letter-spacing="0.6" fill="${MUTED}">${LEGEND_TITLE}</text>`
    ];
    for (const item of items) {
        const x = r(item.x),
            y = r(item.y + 3);
        let sample: string;
        if (item.type === 'element') {
            const colour = kindStyle(item.key).colour;
            sample = `<rect class="hx-paper" x="${x}" y="${y}" width="${LEGEND_SAMPLE}" height="12" rx="3" fill="${PAPER}" stroke="${colour}"/><rect x="${x + 1}" y="${y + 2}" width="3" height="8" fill="${colour}"/>`;
        } else if (item.type === 'trust') {
            const colour = TRUST_COLOUR[item.key as keyof typeof TRUST_COLOUR];
            sample = `<rect x="${x}" y="${y}" width="${LEGEND_SAMPLE}" height="12" rx="3" fill="${colour}" fill-opacity="0.15" stroke="${colour}"/>`;
        } else if (item.type === 'edge') {
            const style = EDGE_STYLES[item.key as LaidOutEdge['kind']];
            sample = `<path d="M${x},${y + 6} L${x + LEGEND_SAMPLE},${y + 6}" stroke="${style.colour}" stroke-width="${style.width}"${style.dash ? ` stroke-dasharray="${style.dash}"` : ''} marker-end="url(#${markerId(style.colour)})"/>`;
        } else if (item.type === 'badge') {
            const severity = item.key as keyof typeof SEVERITY_COLOUR;
            sample = `<rect x="${x + 2}" y="${y}" width="22" height="12" rx="6" fill="${SEVERITY_COLOUR[severity]}"/><text x="${x + 13}" y="${y + 9.5}" font-size="${FONT.badge - 1}" font-weight="bold" fill="#ffffff" text-anchor="middle">${SEVERITY_MARK[severity]}1</text>`;
        } else if (item.type === 'standby') {
            sample = `<rect class="hx-paper" x="${x}" y="${y}" width="${LEGEND_SAMPLE}" height="12" rx="3" fill="${PAPER}" stroke="${MUTED}" stroke-dasharray="${STANDBY_DASH}" opacity="${STANDBY_OPACITY}"/>`;
        } else if (item.key === 'lost') {
            sample = `<rect x="${x}" y="${y}" width="${LEGEND_SAMPLE}" height="12" rx="3" fill="#e5e7eb" stroke="${LOST_COLOUR}" opacity="0.7"/>`;
        } else if (item.key === 'down') {
            sample = `<rect x="${x}" y="${y}" width="${LEGEND_SAMPLE}" height="12" rx="3" fill="${PAPER}" stroke="${CUT_COLOUR}" stroke-width="2.5"/>`;
        } else {
            sample = `<path d="M${x},${y + 6} L${x + LEGEND_SAMPLE},${y + 6}" stroke="${CUT_COLOUR}" stroke-width="2.5"/>`;
        }
        out.push(
            `<g class="legend-item" data-legend="${escapeXml(`${item.type}:${item.key}`)}">${sample}<text class="hx-ink" x="${x + LEGEND_SAMPLE + 6}" y="${y + 10}" font-size="${FONT.label}" fill="${INK}">${escapeXml(item.text)}</text></g>`
        );
    }
    out.push('</g>');
    return out.join('');
}
