// Decides whether a packet from one host reaches another over the modelled network:
// - between regions it needs a link joining places that contain both ends (a link without rules
//   carries everything; with rules, the first rule that matches decides and the rest is dropped);
// - a firewall in front of a place drops what enters it from outside unless a rule allows it.
// Decisions depend only on the places that rules name, so they are memoised per pair of such
// places: 5,000 hosts do not mean 25 million decisions.

import type { Endpoint, Firewall, Host, Link, Rule, TopologyModel } from '../model/model.js';
import type { Protocol } from './flows.js';

export interface Verdict {
    allowed: boolean;
    reason: string;
    blocker?: Link | Firewall;
    missingLink?: [string, string];
}

export class Reachability {
    private readonly memo = new Map<string, Verdict>();
    private readonly named = new Set<Endpoint>();
    readonly modelled: boolean;

    constructor(private readonly model: TopologyModel) {
        for (const link of model.links) {
            this.named.add(link.from);
            this.named.add(link.to);
        }
        for (const firewall of model.firewalls) this.named.add(firewall.protects);
        for (const rule of [...model.links, ...model.firewalls].flatMap(element => element.rules))
            if (rule.from) this.named.add(rule.from);
        this.modelled = model.links.length > 0 || model.firewalls.length > 0;
    }

    /** The most specific place of a host that any link, firewall or rule names: hosts of one scope get one verdict. */
    scope(host: Host): string {
        if (this.named.has(host)) return `host:${host.name}`;
        if (host.zone && this.named.has(host.zone)) return `zone:${host.zone.name}`;
        return `region:${host.region.name}`;
    }

    decide(from: Host, to: Host, protocol: Protocol, port: number): Verdict {
        const key = `${this.scope(from)}|${this.scope(to)}|${protocol}|${port}`;
        let verdict = this.memo.get(key);
        if (!verdict) {
            verdict = this.compute(from, to, protocol, port);
            this.memo.set(key, verdict);
        }
        return verdict;
    }

    private compute(from: Host, to: Host, protocol: Protocol, port: number): Verdict {
        if (from.region !== to.region) {
            const links = this.model.links.filter(link => joins(link, from, to));
            if (links.length === 0) {
                const [a, b] = [from.region.name, to.region.name].sort();
                return { allowed: false, reason: `no link joins regions ${a} and ${b}`, missingLink: [a, b] };
            }
            const open = links.find(link => passes(link.rules, from, protocol, port));
            if (!open) {
                return {
                    allowed: false,
                    reason: `link ${describeLink(links[0])} does not allow ${describePort(protocol, port)}`,
                    blocker: links[0]
                };
            }
        }
        for (const firewall of this.model.firewalls) {
            if (
                contains(firewall.protects, to) &&
                !contains(firewall.protects, from) &&
                !passes(firewall.rules, from, protocol, port)
            ) {
                return {
                    allowed: false,
                    reason: `firewall ${firewall.name} in front of ${firewall.protects.kind} ${firewall.protects.name} does not allow ${describePort(protocol, port)}`,
                    blocker: firewall
                };
            }
        }
        return { allowed: true, reason: 'allowed' };
    }
}

export function contains(place: Endpoint, host: Host): boolean {
    switch (place.kind) {
        case 'host':
            return place === host;
        case 'zone':
            return host.zone === place;
        case 'region':
            return host.region === place;
    }
}

function joins(link: Link, from: Host, to: Host): boolean {
    const forward = contains(link.from, from) && contains(link.to, to);
    const backward = contains(link.to, from) && contains(link.from, to);
    return forward || (link.bidirectional && backward);
}

/** No rules: everything passes. Rules: the first that matches decides; nothing matching is dropped. */
function passes(rules: readonly Rule[], from: Host, protocol: Protocol, port: number): boolean {
    if (rules.length === 0) return true;
    for (const rule of rules) if (matches(rule, from, protocol, port)) return rule.action === 'allow';
    return false;
}

function matches(rule: Rule, from: Host, protocol: Protocol, port: number): boolean {
    if (rule.from && !contains(rule.from, from)) return false;
    if (rule.protocol === 'all') return true;
    if (rule.protocol === 'ip') return protocol === 'ip' && rule.ipProtocol === port;
    return rule.protocol === protocol && rule.ports.some(range => port >= range.first && port <= range.last);
}

export function describePort(protocol: Protocol, port: number): string {
    return protocol === 'ip' ? `IP protocol ${port}` : `${port}/${protocol}`;
}

export function describeLink(link: Link): string {
    const ends = `${link.from.name} ${link.bidirectional ? '<->' : '->'} ${link.to.name}`;
    return link.name ? `${link.name} (${ends})` : ends;
}
