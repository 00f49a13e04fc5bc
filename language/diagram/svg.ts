// The one SVG renderer: laid-out diagram → SVG string, used by `hatopo render` and the preview.
// Every piece of user text is escaped. Colours are classes in one <style>; the preview restyles
// them with the editor theme's CSS variables. Elements carry data-id and their source range so a
// click can reveal the definition.

import type { DiagnosticCounts } from './diagram-model.js';
import {
    CHAR_WIDTH,
    LINE_HEIGHT,
    type LaidOutDiagram,
    type LaidOutEdge,
    type LaidOutHost,
    type LaidOutRegion
} from './layout.js';

export function escapeXml(text: string): string {
    return text.replace(
        /[&<>"']/g,
        c => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!
    );
}

const STYLE = `
.title{font:bold 16px monospace;fill:#1f2937}
.region{fill:#f3f6fa;stroke:#64748b;stroke-width:1.5}
.region-name{font:bold 13px monospace;fill:#1e3a5f}
.host{fill:#ffffff;stroke:#94a3b8}
.host-name{font:bold 12px monospace;fill:#111827}
.host-text{font:11px monospace;fill:#475569}
.badge{font:11px monospace;fill:#0f766e}
.link{fill:none;stroke:#2563eb;stroke-width:2}
.blocked{fill:none;stroke:#dc2626;stroke-width:2;stroke-dasharray:6 4}
.edge-label{font:11px monospace;fill:#1f2937}
.edge-label-bg{fill:#ffffff;opacity:.85}
.has-error{stroke:#dc2626;stroke-width:2.5}
.has-warning{stroke:#d97706;stroke-width:2}
.count-error{font:bold 11px monospace;fill:#dc2626}
.count-warning{font:bold 11px monospace;fill:#b45309}
.lost{opacity:.35}
.lost-mark{stroke:#dc2626;stroke-width:2}
`;

export function renderSvg(diagram: LaidOutDiagram): string {
    const width = Math.ceil(diagram.width);
    const height = Math.ceil(diagram.height);
    const parts = [
        `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="monospace">`,
        `<style>${STYLE}</style>`,
        `<rect width="${width}" height="${height}" fill="#ffffff" class="background"/>`,
        `<text class="title" x="20" y="26">${escapeXml(diagram.title)}</text>`,
        ...diagram.regions.map(renderRegion),
        ...diagram.edges.map(renderEdge),
        '</svg>'
    ];
    return parts.join('\n') + '\n';
}

function severityClass(counts: DiagnosticCounts): string {
    return counts.error > 0 ? ' has-error' : counts.warning > 0 ? ' has-warning' : '';
}

function countsText(counts: DiagnosticCounts, x: number, y: number): string {
    const parts: string[] = [];
    if (counts.error > 0)
        parts.push(`<text class="count-error" x="${x}" y="${y}" text-anchor="end">✖${counts.error}</text>`);
    if (counts.warning > 0)
        parts.push(
            `<text class="count-warning" x="${x - (counts.error > 0 ? 34 : 0)}" y="${y}" text-anchor="end">▲${counts.warning}</text>`
        );
    return parts.join('');
}

function sourceAttributes(id: string, source: { uri: string; start: { line: number; character: number } }): string {
    return `data-id="${escapeXml(id)}" data-uri="${escapeXml(source.uri)}" data-line="${source.start.line}" data-character="${source.start.character}"`;
}

function renderRegion(region: LaidOutRegion): string {
    const body = [
        `<g class="region-group" ${sourceAttributes(region.id, region.source)} transform="translate(${region.x},${region.y})">`,
        `<rect class="region${severityClass(region.diagnostics)}" width="${region.width}" height="${region.height}" rx="8"/>`,
        `<text class="region-name" x="10" y="20">${escapeXml(region.collapsed ? `${region.name} (collapsed)` : region.name)}</text>`,
        countsText(region.diagnostics, region.width - 8, 20)
    ];
    region.summary.forEach((line, index) =>
        body.push(`<text class="host-text" x="10" y="${44 + index * LINE_HEIGHT}">${escapeXml(line)}</text>`)
    );
    body.push(...region.hosts.map(renderHost), '</g>');
    return body.join('');
}

function renderHost(host: LaidOutHost): string {
    const lines = [
        `<text class="host-name" x="8" y="${8 + LINE_HEIGHT - 3}">${escapeXml(host.name)}</text>`,
        `<text class="host-text" x="8" y="${8 + 2 * LINE_HEIGHT - 3}">${escapeXml(host.address)}</text>`,
        ...host.badges.map(
            (badge, index) =>
                `<text class="badge" x="8" y="${8 + (3 + index) * LINE_HEIGHT - 3}">${escapeXml(badge)}</text>`
        )
    ];
    const lost = host.lost
        ? `<path class="lost-mark" d="M0,0 L${host.width},${host.height} M${host.width},0 L0,${host.height}"/>`
        : '';
    return (
        `<g class="host-group${host.lost ? ' lost' : ''}" ${sourceAttributes(host.id, host.source)} transform="translate(${host.x},${host.y})">` +
        `<rect class="host${severityClass(host.diagnostics)}" width="${host.width}" height="${host.height}" rx="4"/>` +
        lines.join('') +
        countsText(host.diagnostics, host.width - 4, 8 + LINE_HEIGHT - 3) +
        lost +
        '</g>'
    );
}

function renderEdge(edge: LaidOutEdge): string {
    if (edge.points.length < 2) return '';
    const d = edge.points.map((p, i) => `${i === 0 ? 'M' : 'L'}${round(p.x)},${round(p.y)}`).join(' ');
    const label = edge.labelBox
        ? `<rect class="edge-label-bg" x="${round(edge.labelBox.x)}" y="${round(edge.labelBox.y)}" width="${round(edge.labelBox.width)}" height="${round(edge.labelBox.height)}"/>` +
          `<text class="edge-label" x="${round(edge.labelBox.x + 4)}" y="${round(edge.labelBox.y + LINE_HEIGHT - 1)}" textLength="${round(edge.label.length * CHAR_WIDTH)}">${escapeXml(edge.label)}</text>`
        : '';
    return `<g class="edge-group" ${sourceAttributes(edge.id, edge.source)}><path class="${edge.kind}" d="${d}"/>${label}</g>`;
}

function round(value: number): number {
    return Math.round(value * 10) / 10;
}
