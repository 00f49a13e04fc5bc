// `hatopo render --format json`: the laid-out picture as data, for tests and other tools. Ids are the
// model's (`<kind>:<name>`), the same as `data-element` in the SVG and `element` in `check --format json`.

import type { EdgeKind, FindingCounts, ViewName } from './diagram-model.js';
import type { LaidOutDiagram } from './layout.js';

export interface DiagramJson {
    view: ViewName;
    title: string;
    width: number;
    height: number;
    failures: string[];
    elements: Array<{
        id: string;
        kind: string;
        name: string;
        label: string;
        x: number;
        y: number;
        width: number;
        height: number;
        parent?: string;
        /** Findings shown on the element (a collapsed region counts those of what it hides). */
        findings: FindingCounts;
        lost?: true;
        down?: true;
        status?: string;
        collapsed?: true;
        /** Blue/green: the standby set. */
        standby?: true;
        /** Drawn with its title only: its region repeats an earlier region's shape. */
        compact?: true;
        /** A region drawn small: the name of the earlier region whose shape it has. */
        repeats?: string;
    }>;
    edges: Array<{
        id: string;
        kind: EdgeKind;
        source: string;
        target: string;
        label: string;
        count?: number;
        blocked?: true;
        cut?: true;
        lost?: true;
        standby?: true;
    }>;
}

const round = (value: number) => Math.round(value * 10) / 10;

export function diagramJson(diagram: LaidOutDiagram): DiagramJson {
    return {
        view: diagram.view,
        title: diagram.title,
        width: diagram.width,
        height: diagram.height,
        failures: diagram.failures,
        elements: diagram.elements.map(element => ({
            id: element.id,
            kind: element.kind,
            name: element.name,
            label: element.label,
            x: round(element.x),
            y: round(element.y),
            width: round(element.width),
            height: round(element.height),
            ...(element.parent ? { parent: element.parent } : {}),
            findings: { ...element.findings },
            ...(element.lost ? { lost: true as const } : {}),
            ...(element.down ? { down: true as const } : {}),
            ...(element.status ? { status: element.status } : {}),
            ...(element.collapsed ? { collapsed: true as const } : {}),
            ...(element.standby ? { standby: true as const } : {}),
            ...(element.compact ? { compact: true as const } : {}),
            ...(element.repeats ? { repeats: element.repeats } : {})
        })),
        edges: diagram.edges.map(edge => ({
            id: edge.id,
            kind: edge.kind,
            source: edge.source,
            target: edge.target,
            label: edge.label,
            ...(edge.count > 1 ? { count: edge.count } : {}),
            ...(edge.blocked ? { blocked: true as const } : {}),
            ...(edge.cut ? { cut: true as const } : {}),
            ...(edge.lost ? { lost: true as const } : {}),
            ...(edge.standby ? { standby: true as const } : {})
        }))
    };
}
