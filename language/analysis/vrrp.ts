// keepalived / VRRP rules (DOMAIN.md §5, [KA-MAN]): VRIDs unique per L2 segment, one clear master,
// all members of a group on one segment.

import type { TopologyModel, Vip, VipMember } from '../model/model.js';
import type { Finding } from './finding.js';
import { findingAt } from './finding-factory.js';

export function checkVrrp(model: TopologyModel): Finding[] {
    // VIPs that Pacemaker holds have no VRRP.
    const vrrp = model.vips.filter(vip => !vip.pacemaker);
    return [...vridConflicts(vrrp), ...vrrp.flatMap(priorities), ...vrrp.flatMap(crossRegion)];
}

/** The L2 segment a VIP lives on: its members' zone (a subnet), else their region. */
function segmentOf(vip: Vip): string | undefined {
    const first = vip.members[0]?.host;
    if (!first) return undefined;
    return first.zone ? `zone ${first.zone.name}` : `region ${first.region.name}`;
}

function vridConflicts(vips: readonly Vip[]): Finding[] {
    const findings: Finding[] = [];
    const seen = new Map<string, Vip[]>();
    for (const vip of vips) {
        const segment = segmentOf(vip);
        if (!segment) continue;
        const key = `${segment}\n${vip.interface}\n${vip.vrid}`;
        const earlier = seen.get(key) ?? [];
        // Unicast groups with no peer in common do not hear each other ([KA-MAN]).
        const clash = earlier.find(other => !(vip.unicast && other.unicast && disjoint(vip, other)));
        if (clash) {
            findings.push(
                findingAt(
                    'vrrp-vrid-conflict',
                    vip,
                    `vip '${vip.name}' uses VRID ${vip.vrid} on ${segment} (${vip.interface}), like vip '${clash.name}': both claim MAC 00:00:5e:00:01:${vip.vrid.toString(16).padStart(2, '0')}`,
                    { vrid: vip.vrid, segment, other: clash.name }
                )
            );
        }
        seen.set(key, [...earlier, vip]);
    }
    return findings;
}

function disjoint(a: Vip, b: Vip): boolean {
    const hosts = new Set(a.members.map(member => member.host));
    return b.members.every(member => !hosts.has(member.host));
}

function priorities(vip: Vip): Finding[] {
    const findings: Finding[] = [];
    const at = (message: string, data: Record<string, unknown>, range = vip.nameSource, severity?: 'warning') =>
        findings.push(findingAt('vrrp-priority', vip, message, data, { range, severity }));
    // A priority outside 1–254 is an invalid-value (the model reports it where it is written).
    if (vip.members.length === 0) return findings;
    const highest = Math.max(...vip.members.map(member => member.priority));
    const top = vip.members.filter(member => member.priority === highest);
    const masters = vip.members.filter(member => member.state === 'master');
    if (top.length === 0) return findings;
    if (top.length > 1) {
        // Equal priorities (RFC 5798): a backup never takes over from an equal priority (§6.4.2), so
        // whoever claims the VIP first keeps it; only two masters at the same moment leave it to the
        // higher primary address (§6.4.3). The lab saw it: two keepalived started one after the other,
        // the first one kept the VIP whatever its address.
        const winner = electedMaster(top)!;
        const declared = masters.length === 1 ? masters[0] : undefined;
        const names = top.map(member => member.host.name);
        const tie =
            `${names.join(' and ')} share the highest priority ${highest}: whichever claims the VIP first keeps it ` +
            `(an equal priority never takes it over, RFC 5798 §6.4.2), and only two claims at the same moment go to the ` +
            `higher address, ${winner.host.name} (${winner.host.address}, §6.4.3)`;
        const data = { priority: highest, hosts: names, winner: winner.host.name };
        if (declared && !vip.nopreempt) {
            at(
                `vip '${vip.name}': ${tie}: ${declared.host.name} starts MASTER, but after its first failover the VIP stays where it went; give ${declared.host.name} a priority of its own`,
                data
            );
        } else if (declared) {
            at(
                `vip '${vip.name}': ${tie}: with nopreempt every member starts BACKUP, so the declared master ${declared.host.name} holds it only if it starts first; give it a priority of its own`,
                data
            );
        } else {
            at(
                `vip '${vip.name}': ${tie}: no member is the master by design; give one a priority of its own`,
                data,
                vip.nameSource,
                'warning'
            );
        }
    } else if (
        masters.length > 1 ||
        masters.some(master => master !== top[0]) ||
        (!vip.nopreempt && masters.length === 0)
    ) {
        // With nopreempt (the default) every member starts BACKUP, so `master` is optional: it names
        // the member expected to hold the VIP first, which must then be the highest priority.
        at(
            `vip '${vip.name}': the highest priority (${highest}) is ${top[0].host.name}, but the master is ${masters.map(m => m.host.name).join(', ') || 'nobody'}`,
            { priority: highest, highest: top[0].host.name, masters: masters.map(m => m.host.name) }
        );
    }
    const counts = new Map<number, number>();
    for (const member of vip.members) counts.set(member.priority, (counts.get(member.priority) ?? 0) + 1);
    const tied = [...counts]
        .filter(([priority, count]) => count > 1 && priority !== highest)
        .map(([priority]) => priority);
    if (tied.length > 0) {
        const first = tied.map(priority => electedMaster(vip.members.filter(member => member.priority === priority))!);
        at(
            `vip '${vip.name}': backups share priority ${tied.join(', ')}: the higher address takes over first ` +
                `(${first.map(member => `${member.host.name}, ${member.host.address}`).join('; ')}), not a choice written down`,
            { priorities: tied },
            vip.nameSource,
            'warning'
        );
    }
    return findings;
}

/**
 * Who holds the VIP among these members when they claim it together (all BACKUP at start, or after a
 * failover): the highest priority, ties to the higher address (RFC 5798 §6.4.3).
 */
export function electedMaster<M extends VipMember>(members: readonly M[]): M | undefined {
    let best: M | undefined;
    for (const member of members) {
        if (
            !best ||
            member.priority > best.priority ||
            (member.priority === best.priority && (member.host.addressValue ?? -1) > (best.host.addressValue ?? -1))
        )
            best = member;
    }
    return best;
}

function crossRegion(vip: Vip): Finding[] {
    const tally = (key: (member: Vip['members'][number]) => string) => {
        const counts = new Map<string, number>();
        for (const member of vip.members) counts.set(key(member), (counts.get(key(member)) ?? 0) + 1);
        return [...counts].map(([name, count]) => `${name} (${count})`);
    };
    const regions = tally(member => member.host.region.name);
    const zones = tally(member =>
        member.host.zone ? `${member.host.zone.name} ${member.host.zone.subnet?.text ?? ''}`.trim() : '(no zone)'
    );
    if (regions.length > 1) {
        return [
            findingAt(
                'vrrp-cross-region',
                vip,
                `vip '${vip.name}' (${vip.address}) has its ${vip.members.length} members in ${regions.length} regions, ${regions.join(', ')}: a VIP can only move within one L2 segment`,
                { regions }
            )
        ];
    }
    if (zones.length > 1) {
        return [
            findingAt(
                'vrrp-cross-region',
                vip,
                `vip '${vip.name}' (${vip.address}) has its ${vip.members.length} members in ${zones.length} zones, ${zones.join(', ')}: a VIP can only move within one subnet`,
                { zones }
            )
        ];
    }
    return [];
}

/**
 * Who may hold the VIP after the members start: the one highest priority; with a tie, the declared
 * master when it starts MASTER (`preempt`: a backup of equal priority leaves it alone, RFC 5798
 * §6.4.2), otherwise any of the tied members (all start BACKUP; the first to claim it keeps it).
 * The lab predicts the holder with this.
 */
export function mastersAtStart<M extends VipMember>(vip: Vip, members: readonly M[]): M[] {
    if (members.length === 0) return [];
    const highest = Math.max(...members.map(member => member.priority));
    const top = members.filter(member => member.priority === highest);
    if (top.length === 1) return top;
    const declared = top.find(member => member.state === 'master');
    return !vip.nopreempt && declared ? [declared] : top;
}
