// The modelled links and firewalls as nftables forward chains, pure text. The router (family inet,
// stateful) filters what crosses between segments; each region's bridges (family bridge, where the
// kernel has no connection tracking) filter what stays inside a segment, by port, on new TCP
// connections and other IP protocols such as VRRP. The chains read the model as the engine
// documents it: a link without rules carries everything; with rules the first match decides and
// the rest is dropped; several links joining two places: any that passes will do; a firewall drops
// what enters its place from outside unless a rule lets it in. A link between two zones of one
// region governs the traffic between them. Cut regions and links are dropped.

import type { Endpoint, Firewall, Link, Rule, TopologyModel } from '../language/model/model.js';
import type { LabNode, LabPlan } from './plan.js';

export interface Cut {
    regions: readonly string[];
    links: ReadonlySet<Link>;
}

/** How one table names a place: a set of addresses (router) or of bridge ports (a region's bridge). */
interface Dialect {
    source(place: Endpoint, negate?: boolean): string | undefined;
    destination(place: Endpoint): string | undefined;
}

/** Node i's end on its segment's bridge. */
export function bridgePort(plan: LabPlan, node: LabNode): string {
    return `h${plan.nodes.indexOf(node)}`;
}

export function routerRuleset(model: TopologyModel, plan: LabPlan, cut: Cut): string {
    const addresses = (place: Endpoint): string | undefined => {
        const cidrs =
            place.kind === 'host'
                ? [place.address]
                : place.kind === 'zone'
                  ? place.subnet
                      ? [place.subnet.text]
                      : []
                  : place.subnet
                    ? [place.subnet.text]
                    : plan.segments.filter(s => s.region === place).map(s => s.subnet.text);
        return cidrs.length > 0 ? `{ ${cidrs.join(', ')} }` : undefined;
    };
    const dialect: Dialect = {
        source: (place, negate) => prefix(negate ? 'ip saddr !=' : 'ip saddr', addresses(place)),
        destination: place => prefix('ip daddr', addresses(place))
    };
    const cutSubnets = plan.segments
        .filter(segment => cut.regions.includes(segment.region.name))
        .map(segment => segment.subnet.text);
    const head = [
        ...(cutSubnets.length > 0
            ? [`ip saddr { ${cutSubnets.join(', ')} } drop`, `ip daddr { ${cutSubnets.join(', ')} } drop`]
            : []),
        'ct state established,related accept',
        'meta l4proto icmp accept'
    ];
    const regions = model.regions.map(
        region => dialect.source(region) && `${dialect.source(region)} ${dialect.destination(region)} accept`
    );
    return table(
        'inet',
        head,
        model,
        cut,
        dialect,
        regions.filter((line): line is string => !!line)
    );
}

export function bridgeRuleset(model: TopologyModel, plan: LabPlan, region: string, cut: Cut): string {
    const here = plan.nodes.filter(node => node.segment.region.name === region);
    const ports = (place: Endpoint): string | undefined => {
        const inside = here.filter(node =>
            place.kind === 'host'
                ? node.host === place
                : place.kind === 'zone'
                  ? node.segment.zone === place
                  : node.segment.region === place
        );
        return inside.length > 0 ? `{ ${inside.map(node => `"${bridgePort(plan, node)}"`).join(', ')} }` : undefined;
    };
    const dialect: Dialect = {
        source: (place, negate) => prefix(negate ? 'iifname !=' : 'iifname', ports(place)),
        destination: place => prefix('oifname', ports(place))
    };
    const routers = plan.segments.filter(s => s.region.name === region).map(s => `"g${s.index}"`);
    const head = [
        'meta protocol != ip accept',
        ...(routers.length > 0
            ? [`iifname { ${routers.join(', ')} } accept`, `oifname { ${routers.join(', ')} } accept`]
            : []),
        // No connection tracking on a bridge: only new TCP connections and non-TCP/UDP protocols are judged.
        'meta l4proto tcp tcp flags & (syn | ack) != syn accept',
        'meta l4proto { udp, icmp } accept'
    ];
    return table('bridge', head, model, cut, dialect, ['accept']);
}

function prefix(keyword: string, set: string | undefined): string | undefined {
    return set && `${keyword} ${set}`;
}

function table(
    family: 'inet' | 'bridge',
    head: string[],
    model: TopologyModel,
    cut: Cut,
    dialect: Dialect,
    sameRegion: string[]
): string {
    const chains: Array<[string, string[]]> = [];
    const firewalls: string[] = [];
    model.firewalls.forEach((firewall, index) => {
        const into = dialect.destination(firewall.protects);
        if (!into) return;
        const outside = dialect.source(firewall.protects, true);
        firewalls.push(`${into}${outside ? ` ${outside}` : ''} jump firewall_${index} comment "${comment(firewall)}"`);
        // A firewall with no rules lets everything in; with rules, what no rule allows is dropped.
        chains.push([
            `firewall_${index}`,
            [...ruleLines(firewall.rules, dialect, 'return', 'drop'), firewall.rules.length === 0 ? 'return' : 'drop']
        ]);
    });
    const dispatch: string[] = [];
    const joined: string[] = [];
    model.links.forEach((link, index) => {
        if (cut.links.has(link)) return;
        const directions: Array<[Endpoint, Endpoint]> = [[link.from, link.to]];
        if (link.bidirectional) directions.push([link.to, link.from]);
        let used = false;
        for (const [from, to] of directions) {
            const source = dialect.source(from);
            const destination = dialect.destination(to);
            if (!source || !destination) continue;
            used = true;
            dispatch.push(`${source} ${destination} jump link_${index} comment "${comment(link)}"`);
            joined.push(`${source} ${destination} drop comment "no rule of a link joining these places allows it"`);
        }
        // Allowed: accept. Denied or unmatched: this link does not carry it (another may).
        if (used)
            chains.push([
                `link_${index}`,
                link.rules.length === 0 ? ['accept'] : [...ruleLines(link.rules, dialect, 'accept', 'return'), 'return']
            ]);
    });
    const lines = [
        `table ${family} hatopo_lab {`,
        '    chain forward {',
        '        type filter hook forward priority filter; policy drop;',
        ...head.map(line => `        ${line}`),
        '        jump firewalls',
        '        jump links',
        '    }',
        '    chain firewalls {',
        ...firewalls.map(line => `        ${line}`),
        '    }',
        '    chain links {',
        ...[...dispatch, ...joined, ...sameRegion].map(line => `        ${line}`),
        '    }',
        ...chains.flatMap(([name, body]) => [`    chain ${name} {`, ...body.map(line => `        ${line}`), '    }']),
        '}',
        ''
    ];
    return lines.join('\n');
}

function ruleLines(rules: readonly Rule[], dialect: Dialect, allow: string, deny: string): string[] {
    return rules.flatMap(rule => {
        const from = rule.from ? dialect.source(rule.from) : '';
        if (from === undefined) return []; // its `from` has no host here: it matches nothing in this table
        const match =
            rule.protocol === 'all'
                ? ''
                : rule.protocol === 'ip'
                  ? `ip protocol ${rule.ipProtocol}`
                  : `${rule.protocol} dport { ${rule.ports.map(r => (r.first === r.last ? `${r.first}` : `${r.first}-${r.last}`)).join(', ')} }`;
        return [[from, match, rule.action === 'allow' ? allow : deny].filter(Boolean).join(' ')];
    });
}

function comment(element: Link | Firewall): string {
    return `${element.kind} ${element.name || `${element.kind === 'link' ? `${element.from.name}-${element.to.name}` : ''}`}`
        .replace(/["\\]/g, '')
        .slice(0, 100);
}
