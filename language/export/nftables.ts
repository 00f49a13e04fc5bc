// nftables.conf per host. hatopo owns one table, `inet hatopo`, and replaces only it, atomically
// (`nft -f` runs the file as one transaction: create, delete, define): other tables (Docker's,
// libvirt's, the distribution's) are never touched. Its input chain drops by default and admits,
// in order: management (SSH and monitoring from where administrators come from, so loading the
// file never locks them out), exactly the flows the model needs into that host (the analysis's
// flows, plus haproxy's clustercheck), and the haproxy frontends on their VIP only (`ip daddr`).
// A frontend on a sensitive port (MySQL …) admits only the topology's non-public places. Rules that
// differ only in their purpose are merged: one rule per sources and ports, its comment listing them.

import { deriveFlows } from '../analysis/flows.js';
import { internalSources, managementRules } from '../analysis/management.js';
import { addressSet, parseSubnet } from '../model/addresses.js';
import type { Host, PortRange, TopologyModel } from '../model/model.js';
import { header, hostFolder, type ExportFile } from './export-file.js';
import { STATS_PORT } from './haproxy.js';

/** Database, replication, cache and broker ports (DOMAIN.md §2): never open to a public zone. */
const SENSITIVE_PORTS = new Set([3306, 4444, 4567, 4568, 4369, 25672, 11211]);
/** nft keeps comments of at most 128 bytes. */
const COMMENT_BYTES = 120;

/** What one host must admit: from where (undefined: anywhere), to which address, protocol and port. */
interface Want {
    sources?: string[];
    destination?: string;
    protocol: 'tcp' | 'udp' | 'ip';
    port: string;
    purpose: string;
}

export function exportNftables(model: TopologyModel): ExportFile[] {
    const wants = new Map<Host, Want[]>();
    const add = (host: Host, want: Want) => wants.set(host, [...(wants.get(host) ?? []), want]);
    for (const flow of deriveFlows(model))
        add(flow.to, {
            sources: [flow.from.address],
            protocol: flow.protocol,
            port: String(flow.port),
            purpose: flow.purpose
        });
    const internal = internalSources(model);
    for (const haproxy of model.haproxies) {
        for (const backend of haproxy.backends) {
            const check = backend.check;
            if (check.kind !== 'galera') continue;
            for (const server of backend.servers)
                add(server.host, {
                    sources: haproxy.nodes.map(node => node.address),
                    protocol: 'tcp',
                    port: String(check.port),
                    purpose: `haproxy ${haproxy.name} -> clustercheck`
                });
        }
        for (const node of haproxy.nodes)
            for (const frontend of haproxy.frontends) {
                const sensitive = [frontend.port, ...frontend.backend.servers.map(s => s.port)].some(port =>
                    SENSITIVE_PORTS.has(port)
                );
                add(node, {
                    sources: sensitive ? internal : undefined,
                    destination: frontend.vip.address,
                    protocol: 'tcp',
                    port: String(frontend.port),
                    purpose: `frontend ${frontend.name}`
                });
            }
    }
    const management = managementRules(model);
    const haproxyNodes = new Set(model.haproxies.flatMap(haproxy => haproxy.nodes));
    return model.hosts
        .filter(host => wants.has(host))
        .map(host => ({
            path: `${hostFolder(host.name)}/nftables.conf`,
            content: rules(host, wants.get(host)!, management, haproxyNodes.has(host))
        }));
}

function rules(
    host: Host,
    wants: Want[],
    management: ReturnType<typeof managementRules>,
    haproxyNode: boolean
): string {
    const lines = [
        '#!/usr/sbin/nft -f',
        header(
            `nftables.conf for ${host.name} (${host.address})`,
            '/etc/nftables.conf, or load it with `nft -f`'
        ).trimEnd(),
        '# Replaces table inet hatopo (and only it) in one transaction.',
        'table inet hatopo',
        'delete table inet hatopo',
        '',
        'table inet hatopo {',
        '    chain input {',
        '        type filter hook input priority filter; policy drop;',
        '        ct state established,related accept',
        '        ct state invalid drop',
        '        iif "lo" accept',
        '        meta l4proto { icmp, ipv6-icmp } accept'
    ];
    for (const rule of management) {
        const ports = rule.ports.map(portText);
        if (haproxyNode) ports.push(String(STATS_PORT));
        lines.push(
            `        ${match(rule.sources, undefined, 'tcp', sortPorts(ports))} accept comment "${comment(
                `management from ${rule.label}`
            )}"`
        );
    }
    for (const rule of merge(wants)) {
        lines.push(
            `        ${match(rule.sources, rule.destination, rule.protocol, rule.ports)} accept comment "${comment(
                rule.purposes.join(', ')
            )}"`
        );
    }
    lines.push('    }', '}', '');
    return lines.join('\n');
}

/** One rule per protocol, destination and sources, with every port those share. */
function merge(wants: Want[]): Array<Omit<Want, 'port' | 'purpose'> & { ports: string[]; purposes: string[] }> {
    // First each port gathers every source that needs it, then ports with the same sources join.
    const byPort = new Map<string, { want: Want; sources?: Set<string>; purposes: Set<string> }>();
    for (const want of wants) {
        const key = `${want.protocol}|${want.destination ?? ''}|${want.port}`;
        const entry = byPort.get(key) ?? { want, sources: new Set<string>(), purposes: new Set<string>() };
        if (!want.sources) entry.sources = undefined;
        else for (const source of want.sources) entry.sources?.add(source);
        entry.purposes.add(want.purpose);
        byPort.set(key, entry);
    }
    const bySources = new Map<
        string,
        { sources?: string[]; destination?: string; protocol: Want['protocol']; ports: string[]; purposes: Set<string> }
    >();
    for (const { want, sources, purposes } of byPort.values()) {
        const set =
            sources &&
            addressSet([...sources].map(source => parseSubnet(source.includes('/') ? source : `${source}/32`)!));
        const key = `${want.protocol}|${want.destination ?? ''}|${set?.join(',') ?? '*'}`;
        const entry = bySources.get(key) ?? {
            sources: set,
            destination: want.destination,
            protocol: want.protocol,
            ports: [],
            purposes: new Set<string>()
        };
        entry.ports.push(want.port);
        for (const purpose of purposes) entry.purposes.add(purpose);
        bySources.set(key, entry);
    }
    return [...bySources.values()]
        .map(entry => ({ ...entry, ports: sortPorts(entry.ports), purposes: [...entry.purposes] }))
        .sort(
            (a, b) =>
                Number(a.destination !== undefined) - Number(b.destination !== undefined) ||
                firstPort(a.ports) - firstPort(b.ports) ||
                a.protocol.localeCompare(b.protocol)
        );
}

function match(
    sources: string[] | undefined,
    destination: string | undefined,
    protocol: Want['protocol'],
    ports: string[]
): string {
    const parts = [
        ...(sources ? [`ip saddr ${set(sources)}`] : []),
        ...(destination ? [`ip daddr ${destination}`] : []),
        protocol === 'ip' ? `ip protocol ${set(ports)}` : `${protocol} dport ${set(ports)}`
    ];
    return parts.join(' ');
}

function set(items: string[]): string {
    return items.length === 1 ? items[0] : `{ ${items.join(', ')} }`;
}

function portText(range: PortRange): string {
    return range.first === range.last ? String(range.first) : `${range.first}-${range.last}`;
}

/** Ports and ranges sorted, overlapping ones joined: nft refuses overlapping intervals in one set. */
function sortPorts(ports: string[]): string[] {
    const ranges = ports
        .map(port => port.split('-').map(Number))
        .map(([first, last]) => ({ first, last: last ?? first }))
        .sort((a, b) => a.first - b.first || b.last - a.last);
    const joined: Array<{ first: number; last: number }> = [];
    for (const range of ranges) {
        const previous = joined[joined.length - 1];
        if (previous && range.first <= previous.last + 1) previous.last = Math.max(previous.last, range.last);
        else joined.push({ ...range });
    }
    return joined.map(portText);
}

function firstPort(ports: string[]): number {
    return Number.parseInt(ports[0] ?? '0', 10);
}

/** A quoted nft comment: ASCII, no quotes, at most COMMENT_BYTES, naming how many purposes it leaves out. */
function comment(text: string): string {
    const plain = text
        .replace(/→/g, '->')
        .replace(/[^\x20-\x7e]/g, '?')
        .replace(/["\\]/g, '');
    if (plain.length <= COMMENT_BYTES) return plain;
    const parts = plain.split(', ');
    for (let kept = parts.length - 1; kept > 0; kept--) {
        const shortened = `${parts.slice(0, kept).join(', ')} and ${parts.length - kept} more`;
        if (shortened.length <= COMMENT_BYTES) return shortened;
    }
    return `${plain.slice(0, COMMENT_BYTES - 3)}...`;
}
