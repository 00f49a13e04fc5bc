// The picture's look in one place: fonts and their metrics (layout sizes boxes by them), the colour
// of each kind of element and edge, and the legend's words for them. Mid-tone accents read on light
// and dark backgrounds; the preview restyles only backgrounds and text with the editor's theme.

import type { EdgeKind } from './diagram-model.js';

/** One monospace family everywhere, so text widths are known without measuring: 0.602 em a character. */
export const FONT_FAMILY = "'DejaVu Sans Mono', Menlo, Consolas, monospace";
export const EM = 0.602;
export const FONT = { header: 16, title: 12, tag: 9, detail: 11, label: 10, badge: 10 } as const;
export const LINE = { tag: 13, title: 16, detail: 14, label: 14 } as const;

export function textWidth(text: string, size: number): number {
    return [...text].length * size * EM;
}

/** Tags are drawn spaced out (`letter-spacing`): their width counts the spacing too. */
export const TAG_SPACING = 0.6;
export function tagWidth(text: string): number {
    return textWidth(text, FONT.tag) + [...text].length * TAG_SPACING;
}

/** What-if status lines are cut here on the picture (the tooltip has them whole). */
export const STATUS_CHARS = 52;

export function shortText(text: string, max: number): string {
    const chars = [...text];
    return chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : text;
}

export const INK = '#1f2937';
export const MUTED = '#475569';
export const PAPER = '#ffffff';
export const CONTAINER_FILL = '#f5f7fa';
export const CONTAINER_STROKE = '#94a3b8';

export const SEVERITY_COLOUR = { error: '#dc2626', warning: '#d97706', info: '#2563eb' } as const;
export const SEVERITY_MARK = { error: '✖', warning: '▲', info: '●' } as const;
export const LOST_COLOUR = '#9ca3af';
/** Blue/green: the standby set's boxes and edges are dashed and faded, still badged. */
export const STANDBY_DASH = '5 3';
export const STANDBY_OPACITY = 0.62;
export const CUT_COLOUR = '#dc2626';

export interface KindStyle {
    colour: string;
    /** What the legend calls it. */
    name: string;
}

export const KIND_STYLES: Record<string, KindStyle> = {
    entry: { colour: '#64748b', name: 'entry (clients)' },
    dns: { colour: '#0284c7', name: 'DNS name' },
    vip: { colour: '#7c3aed', name: 'VIP (keepalived VRRP)' },
    haproxy: { colour: '#2563eb', name: 'load balancer (haproxy)' },
    service: { colour: '#059669', name: 'service (API nodes)' },
    galera: { colour: '#ea580c', name: 'Galera cluster' },
    rabbitmq: { colour: '#db2777', name: 'RabbitMQ cluster' },
    memcached: { colour: '#0891b2', name: 'memcached pool' },
    hsm: { colour: '#65a30d', name: 'HSM group' },
    pacemaker: { colour: '#6366f1', name: 'Pacemaker cluster (its VIPs and resources)' },
    firewall: { colour: '#b91c1c', name: 'firewall' },
    link: { colour: '#0f766e', name: 'link / VPN tunnel' },
    zone: { colour: '#3b82f6', name: 'zone' },
    hosts: { colour: '#64748b', name: 'hosts outside zones' },
    host: { colour: '#64748b', name: 'host' },
    region: { colour: '#334155', name: 'region' },
    environment: { colour: '#0f766e', name: 'environment' },
    manage: { colour: '#8b5cf6', name: 'management access' },
    topology: { colour: '#1f2937', name: 'topology' }
};

export function kindStyle(kind: string): KindStyle {
    return KIND_STYLES[kind] ?? { colour: '#64748b', name: kind };
}

export const TRUST_COLOUR = { public: '#f97316', internal: '#3b82f6', management: '#8b5cf6' } as const;

export interface EdgeStyle {
    colour: string;
    width: number;
    dash?: string;
    name: string;
}

export const EDGE_STYLES: Record<EdgeKind, EdgeStyle> = {
    entry: { colour: '#64748b', width: 1.5, name: 'clients call' },
    resolves: { colour: '#0284c7', width: 1.6, dash: '2 3', name: 'DNS resolves to' },
    request: { colour: '#334155', width: 1.5, name: 'request path' },
    backup: { colour: '#64748b', width: 1.3, dash: '6 4', name: 'backup servers' },
    dependency: { colour: '#334155', width: 1.5, name: 'depends on' },
    link: { colour: '#0f766e', width: 2, name: 'link' },
    protects: { colour: '#b91c1c', width: 1.5, dash: '2 3', name: 'firewall protects' },
    manage: { colour: '#8b5cf6', width: 1.3, dash: '4 2 1 2', name: 'management access (SSH …)' },
    blocked: { colour: '#dc2626', width: 2, dash: '7 4', name: 'blocked flow' },
    cut: { colour: '#dc2626', width: 2.5, name: 'cut by the failure' }
};
