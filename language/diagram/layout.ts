// Layout with elkjs, in Node (server and CLI), so the preview and `hatopo render` draw the same
// picture. Regions are laid out by ELK's layered algorithm with the region-level edges only; hosts
// are packed inside each region by the box algorithm. Edges live at the level they connect, so a
// 5,000-host estate is a handful of edges, not thousands. Same input, same output: fixed seed,
// input in model order.

import * as elkModule from 'elkjs/lib/elk.bundled.js';
import type { ELK as ElkInstance, ElkExtendedEdge, ElkNode } from 'elkjs/lib/elk-api.js';
import type { DiagramEdge, DiagramGraph, DiagramHost, DiagramRegion } from './diagram-model.js';

export interface Box {
    x: number;
    y: number;
    width: number;
    height: number;
}
export interface LaidOutHost extends DiagramHost, Box {}
export interface LaidOutRegion extends Omit<DiagramRegion, 'hosts'>, Box {
    hosts: LaidOutHost[];
}
export interface LaidOutEdge extends DiagramEdge {
    points: Array<{ x: number; y: number }>;
    labelBox?: Box;
}
export interface LaidOutDiagram {
    title: string;
    width: number;
    height: number;
    regions: LaidOutRegion[];
    edges: LaidOutEdge[];
}

/** Text metrics of the renderer's monospace font: width per character and line height. */
export const CHAR_WIDTH = 7;
export const LINE_HEIGHT = 14;
const PAD = 8;
const TITLE = 28;

export function hostSize(host: DiagramHost): { width: number; height: number } {
    const lines = [host.name, host.address, ...host.badges];
    return {
        width: Math.max(...lines.map(line => line.length)) * CHAR_WIDTH + 2 * PAD,
        height: lines.length * LINE_HEIGHT + 2 * PAD
    };
}

export function summarySize(region: DiagramRegion): { width: number; height: number } {
    return {
        width: Math.max(region.name.length + 4, ...region.summary.map(line => line.length)) * CHAR_WIDTH + 2 * PAD + 24,
        height: TITLE + region.summary.length * LINE_HEIGHT + 2 * PAD
    };
}

// elkjs is CommonJS and sets `default` on its export: the same constructor under ESM and the CJS bundle.
const ELK = (elkModule as unknown as { default: new () => ElkInstance }).default;
const elk = new ELK();

export async function layoutDiagram(graph: DiagramGraph): Promise<LaidOutDiagram> {
    const root: ElkNode = {
        id: 'root',
        layoutOptions: {
            'elk.algorithm': 'layered',
            'elk.direction': 'RIGHT',
            'elk.randomSeed': '1',
            'elk.spacing.nodeNode': '40',
            'elk.layered.spacing.nodeNodeBetweenLayers': '80',
            'elk.edgeRouting': 'POLYLINE',
            'elk.edgeLabels.inline': 'false',
            'elk.padding': '[top=40,left=20,bottom=20,right=20]'
        },
        children: graph.regions.map(region => regionNode(region)),
        edges: graph.edges.map((edge): ElkExtendedEdge => ({
            id: edge.id,
            sources: [edge.from],
            targets: [edge.to],
            labels: [
                {
                    id: `${edge.id}:label`,
                    text: edge.label,
                    width: edge.label.length * CHAR_WIDTH + 8,
                    height: LINE_HEIGHT + 4
                }
            ]
        }))
    };
    const laid = await elk.layout(root);
    const regions = graph.regions.map((region, index) => {
        const node = laid.children![index];
        const hosts = region.hosts.map((host, hostIndex) => {
            const child = node.children![hostIndex];
            return { ...host, x: child.x!, y: child.y!, width: child.width!, height: child.height! };
        });
        return { ...region, hosts, x: node.x!, y: node.y!, width: node.width!, height: node.height! };
    });
    const edges = graph.edges.map((edge, index): LaidOutEdge => {
        const elkEdge = laid.edges![index] as ElkExtendedEdge;
        const section = elkEdge.sections?.[0];
        const points = section ? [section.startPoint, ...(section.bendPoints ?? []), section.endPoint] : [];
        const label = elkEdge.labels?.[0];
        return {
            ...edge,
            points,
            labelBox: label && { x: label.x!, y: label.y!, width: label.width!, height: label.height! }
        };
    });
    return { title: graph.title, width: laid.width!, height: laid.height!, regions, edges };
}

function regionNode(region: DiagramRegion): ElkNode {
    if (region.collapsed) return { id: region.id, ...summarySize(region) };
    const width = Math.max(region.name.length * CHAR_WIDTH + 2 * PAD + 60, 160);
    return {
        id: region.id,
        layoutOptions: {
            'elk.algorithm': 'box',
            'elk.padding': `[top=${TITLE + PAD},left=${PAD},bottom=${PAD},right=${PAD}]`,
            'elk.spacing.nodeNode': '10',
            'elk.nodeSize.minimum': `(${width}, 60)`,
            'elk.nodeSize.constraints': 'MINIMUM_SIZE'
        },
        children: region.hosts.map(host => ({ id: host.id, ...hostSize(host) }))
    };
}
