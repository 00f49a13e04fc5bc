// The legend under the picture: the kinds of element and edge this drawing uses, zone trust colours,
// the finding badges and, in a what-if, how losses are drawn. Only what appears is listed.

import type { Diagram, EdgeKind } from './diagram-model.js';
import type { Box, Point } from './grid-routing.js';
import { EDGE_STYLES, FONT, kindStyle, textWidth } from './style.js';

export interface LegendItem {
    type: 'element' | 'edge' | 'trust' | 'badge' | 'standby' | 'whatif';
    /** The element kind, edge kind, trust, severity or what-if mark it shows. */
    key: string;
    text: string;
}
export interface Legend {
    box: Box;
    items: Array<LegendItem & Point>;
}

const SAMPLE = 26;
const ROW = 18;
const TITLE = 'LEGEND';

export function legendOf(diagram: Diagram, area: { x: number; y: number; width: number }): Legend {
    const items: LegendItem[] = [];
    const kinds = new Set(diagram.elements.map(element => element.kind));
    const trusted = diagram.elements.some(element => element.trust);
    for (const kind of kinds)
        if (kind !== 'topology' && kind !== 'region' && kind !== 'environment' && !(kind === 'zone' && trusted))
            items.push({ type: 'element', key: kind, text: kindStyle(kind).name });
    for (const trust of ['public', 'internal', 'management'])
        if (diagram.elements.some(element => element.trust === trust))
            items.push({ type: 'trust', key: trust, text: `${trust} zone` });
    const edgeKinds = new Set<EdgeKind>(diagram.edges.map(edge => edge.kind));
    for (const kind of edgeKinds) items.push({ type: 'edge', key: kind, text: EDGE_STYLES[kind].name });
    if (diagram.elements.some(element => element.standby))
        items.push({ type: 'standby', key: 'standby', text: 'standby (blue/green): checked, not counted' });
    if (diagram.edges.some(edge => edge.blocked) && !edgeKinds.has('blocked'))
        items.push({ type: 'edge', key: 'blocked', text: 'flow blocked by the network' });
    for (const severity of ['error', 'warning', 'info'] as const)
        if (diagram.elements.some(element => element.findings[severity] > 0))
            items.push({ type: 'badge', key: severity, text: `${severity}s (count)` });
    if (diagram.failures.length > 0) {
        items.push({ type: 'whatif', key: 'lost', text: 'lost in the what-if' });
        items.push({ type: 'whatif', key: 'down', text: 'down / lost Primary' });
        items.push({ type: 'whatif', key: 'cut', text: 'cut flow / failed link' });
    }
    const placed: Array<LegendItem & Point> = [];
    let x = textWidth(TITLE, FONT.tag) + 16,
        y = 0;
    for (const item of items) {
        const width = SAMPLE + 6 + textWidth(item.text, FONT.label) + 18;
        if (x > 0 && x + width > area.width) {
            x = textWidth(TITLE, FONT.tag) + 16;
            y += ROW;
        }
        placed.push({ ...item, x: area.x + x, y: area.y + y });
        x += width;
    }
    return {
        box: { x: area.x, y: area.y, width: area.width, height: items.length > 0 ? y + ROW + 4 : 0 },
        items: placed
    };
}

export const LEGEND_TITLE = TITLE;
export const LEGEND_SAMPLE = SAMPLE;
