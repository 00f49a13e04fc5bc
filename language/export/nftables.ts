// nftables.conf per host: default drop, and exactly the flows the model needs into that host (the
// analysis's flows), each commented with its purpose; VRRP as IP protocol 112; clients may reach the
// VIP frontends on the haproxy nodes and the API ports the frontends do not cover.

import { deriveFlows, type Flow } from '../analysis/flows.js';
import type { Host, TopologyModel } from '../model/model.js';
import { header, hostFolder, type ExportFile } from './export-file.js';

export function exportNftables(model: TopologyModel): ExportFile[] {
    const inbound = new Map<Host, Flow[]>();
    for (const flow of deriveFlows(model)) inbound.set(flow.to, [...(inbound.get(flow.to) ?? []), flow]);
    const publicPorts = new Map<Host, Map<number, string>>();
    for (const haproxy of model.haproxies) {
        for (const node of haproxy.nodes) {
            const ports = publicPorts.get(node) ?? new Map<number, string>();
            for (const frontend of haproxy.frontends)
                ports.set(frontend.port, `clients → haproxy frontend ${frontend.name} on ${frontend.vip.address}`);
            publicPorts.set(node, ports);
        }
    }
    const hosts = model.hosts.filter(host => inbound.has(host) || publicPorts.has(host));
    return hosts.map(host => ({
        path: `${hostFolder(host.name)}/nftables.conf`,
        content: rules(host, inbound.get(host) ?? [], publicPorts.get(host))
    }));
}

function rules(host: Host, flows: Flow[], publicPorts: Map<number, string> | undefined): string {
    // One rule per protocol, port and purpose, with the set of sources it accepts.
    const grouped = new Map<string, { flow: Flow; sources: Set<string> }>();
    for (const flow of flows) {
        const key = `${flow.protocol}|${flow.port}|${flow.purpose}`;
        const group = grouped.get(key) ?? { flow, sources: new Set<string>() };
        group.sources.add(flow.from.address);
        grouped.set(key, group);
    }
    const lines = [
        header(`nftables.conf for ${host.name} (${host.address})`).trimEnd(),
        'flush ruleset',
        '',
        'table inet hatopo {',
        '    chain input {',
        '        type filter hook input priority filter; policy drop;',
        '        ct state established,related accept',
        '        ct state invalid drop',
        '        iif "lo" accept',
        '        meta l4proto { icmp, ipv6-icmp } accept'
    ];
    const sorted = [...grouped.values()].sort(
        (a, b) => a.flow.port - b.flow.port || a.flow.purpose.localeCompare(b.flow.purpose)
    );
    for (const { flow, sources } of sorted) {
        const set = `{ ${[...sources].sort().join(', ')} }`;
        const match = flow.protocol === 'ip' ? `ip protocol ${flow.port}` : `${flow.protocol} dport ${flow.port}`;
        lines.push(`        ip saddr ${set} ${match} accept comment "${comment(flow.purpose)}"`);
    }
    for (const [port, purpose] of [...(publicPorts ?? new Map<number, string>())].sort((a, b) => a[0] - b[0])) {
        lines.push(`        tcp dport ${port} accept comment "${comment(purpose)}"`);
    }
    lines.push(
        '    }',
        '',
        '    chain forward {',
        '        type filter hook forward priority filter; policy drop;',
        '    }',
        '',
        '    chain output {',
        '        type filter hook output priority filter; policy accept;',
        '    }',
        '}',
        ''
    );
    return lines.join('\n');
}

/** nft comments are quoted strings of at most 128 bytes. */
function comment(text: string): string {
    return text.replace(/["\\]/g, '').slice(0, 120);
}
