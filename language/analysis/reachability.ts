// Decides whether a packet from one host reaches another over the modelled network:
// - a link joins two places (regions, zones or hosts). Where links join places that contain both
//   ends, those links carry the packet: a link without rules carries everything; with rules, the
//   first rule that matches decides and the rest is dropped. Between regions a link is needed;
//   inside a region traffic flows freely unless a link joins the two places (e.g. two zones), and
//   then that link governs it.
// - a firewall in front of a place drops what enters it from outside unless a rule allows it.
// - failed links (the what-if) carry nothing, but the network stays modelled.
// Decisions depend only on the places that rules name, so they are memoised per pair of such
// places: 5,000 hosts do not mean 25 million decisions.

import type { Endpoint, Firewall, Host, Link, Rule, TopologyModel } from '../model/model.js';
import type { Protocol } from './flows.js';

export interface Verdict {
    allowed: boolean;
    reason: string;
    /** The link or firewall that dropped the packet. */
    blocker?: Link | Firewall;
    /** The rule that decided against it while a later rule of the same link or firewall allows it. */
    shadowedBy?: Rule;
    /** Two regions that no link joins. */
    missingLink?: [string, string];
}

export interface ReachabilityOptions {
    /** Links that are down: they carry nothing. */
    failedLinks?: ReadonlySet<Link>;
}

export class Reachability {
    /** Verdicts by the source's scope, then the destination's, then protocol and port: no key strings per flow. */
    private readonly memo = new Map<string, Map<string, Map<number, Verdict>>>();
    private readonly scopes = new Map<Host, string>();
    private readonly named = new Set<Endpoint>();
    private readonly failed: ReadonlySet<Link>;
    /** Whether the model says anything about the network (links or firewalls), failed or not. */
    readonly modelled: boolean;

    constructor(
        private readonly model: TopologyModel,
        options: ReachabilityOptions = {}
    ) {
        this.failed = options.failedLinks ?? new Set();
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
        let scope = this.scopes.get(host);
        if (scope === undefined) {
            if (this.named.has(host)) scope = `host:${host.name}`;
            else if (host.zone && this.named.has(host.zone)) scope = `zone:${host.zone.name}`;
            else scope = `region:${host.region.name}`;
            this.scopes.set(host, scope);
        }
        return scope;
    }

    decide(from: Host, to: Host, protocol: Protocol, port: number): Verdict {
        const source = this.scope(from);
        let bySource = this.memo.get(source);
        if (!bySource) this.memo.set(source, (bySource = new Map()));
        const destination = this.scope(to);
        let byDestination = bySource.get(destination);
        if (!byDestination) bySource.set(destination, (byDestination = new Map()));
        const key = PROTOCOL_INDEX[protocol] * 65536 + port;
        let verdict = byDestination.get(key);
        if (!verdict) {
            verdict = this.compute(from, to, protocol, port);
            byDestination.set(key, verdict);
        }
        return verdict;
    }

    private compute(from: Host, to: Host, protocol: Protocol, port: number): Verdict {
        const what = describePort(protocol, port);
        const joining = this.model.links.filter(link => joins(link, from, to));
        if (joining.length > 0 || from.region !== to.region) {
            const up = joining.filter(link => !this.failed.has(link));
            if (joining.length === 0) {
                const [a, b] = [from.region.name, to.region.name].sort();
                return { allowed: false, reason: `no link joins regions ${a} and ${b}`, missingLink: [a, b] };
            }
            if (up.length === 0) {
                return {
                    allowed: false,
                    reason: `${joining.length > 1 ? 'links' : 'link'} ${joining.map(describeLink).join(', ')} failed`,
                    blocker: joining[0]
                };
            }
            const decisions = up.map(link => ({ link, decision: decideByRules(link.rules, from, protocol, port) }));
            if (!decisions.some(({ decision }) => decision.allowed)) {
                const { link, decision } = decisions[0];
                return {
                    allowed: false,
                    reason: `link ${describeLink(link)} ${refusal(decision, what)}`,
                    blocker: link,
                    shadowedBy: decision.shadowedBy
                };
            }
        }
        for (const firewall of this.model.firewalls) {
            if (!contains(firewall.protects, to) || contains(firewall.protects, from)) continue;
            const decision = decideByRules(firewall.rules, from, protocol, port);
            if (decision.allowed) continue;
            return {
                allowed: false,
                reason: `firewall ${firewall.name} in front of ${firewall.protects.kind} ${firewall.protects.name} ${refusal(decision, what)}`,
                blocker: firewall,
                shadowedBy: decision.shadowedBy
            };
        }
        return { allowed: true, reason: 'allowed' };
    }
}

const PROTOCOL_INDEX: Record<Protocol, number> = { tcp: 0, udp: 1, ip: 2 };

interface RuleDecision {
    allowed: boolean;
    /** The rule that decided, if any did. */
    rule?: Rule;
    /** A deny (the deciding rule) that comes before an allow that would have matched. */
    shadowedBy?: Rule;
    shadowed?: Rule;
}

/** No rules: everything passes. Rules: the first that matches decides; nothing matching is dropped. */
function decideByRules(rules: readonly Rule[], from: Host, protocol: Protocol, port: number): RuleDecision {
    if (rules.length === 0) return { allowed: true };
    const index = rules.findIndex(rule => matches(rule, from, protocol, port));
    if (index < 0) return { allowed: false };
    const rule = rules[index];
    if (rule.action === 'allow') return { allowed: true, rule };
    const shadowed = rules
        .slice(index + 1)
        .find(later => later.action === 'allow' && matches(later, from, protocol, port));
    return shadowed ? { allowed: false, rule, shadowedBy: rule, shadowed } : { allowed: false, rule };
}

function refusal(decision: RuleDecision, what: string): string {
    if (decision.shadowed && decision.shadowedBy) {
        return (
            `drops ${what}: '${describeRule(decision.shadowedBy)}' (line ${decision.shadowedBy.source.start.line + 1}) ` +
            `comes before '${describeRule(decision.shadowed)}' (line ${decision.shadowed.source.start.line + 1}), and the first match decides`
        );
    }
    if (decision.rule) {
        return `does not allow ${what} (line ${decision.rule.source.start.line + 1}: '${describeRule(decision.rule)}')`;
    }
    return `does not allow ${what}`;
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

export function joins(link: Link, from: Host, to: Host): boolean {
    const forward = contains(link.from, from) && contains(link.to, to);
    const backward = contains(link.to, from) && contains(link.from, to);
    return forward || (link.bidirectional && backward);
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

/** `allow tcp 3306, 4567-4568 from wlg`, `deny all`, `allow proto 112`. */
export function describeRule(rule: Rule): string {
    const what =
        rule.protocol === 'all'
            ? 'all'
            : rule.protocol === 'ip'
              ? `proto ${rule.ipProtocol}`
              : `${rule.protocol} ${rule.ports.map(range => (range.first === range.last ? `${range.first}` : `${range.first}-${range.last}`)).join(', ')}`;
    return `${rule.action} ${what}${rule.from ? ` from ${rule.from.name}` : ''}`;
}

export function describeLink(link: Link): string {
    const ends = `${link.from.name} ${link.bidirectional ? '<->' : '->'} ${link.to.name}`;
    return link.name ? `${link.name} (${ends})` : ends;
}
