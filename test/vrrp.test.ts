// VRRP elections: the highest priority holds the VIP; equal priorities go to the higher primary
// address (RFC 5798 §6.4.3), which keepalived follows.

import { describe, expect, it } from 'vitest';
import { electedMaster, mastersAtStart } from '../language/analysis/vrrp.js';
import { buildModel } from '../language/model/build-model.js';
import { check, withRule } from './helpers.js';

const HOSTS = 'region r 10.1.0.0/24 { host lb1 10.1.0.5  host lb2 10.1.0.6  host lb3 10.1.0.7 }\n';

describe('vrrp-priority on ties', () => {
    it('says a tie is kept by whoever claims the VIP first, not by the declared master', async () => {
        const document = await check(
            `${HOSTS}vip v 10.1.0.100 vrid 7 { master lb1 priority 100; backup lb2 priority 100 }`
        );
        const [finding] = withRule(document, 'vrrp-priority');
        expect(finding.severity).toBe(1);
        expect(finding.message).toBe(
            "vip 'v': lb1 and lb2 share the highest priority 100: whichever claims the VIP first keeps it (an equal priority never takes it over, RFC 5798 §6.4.2), and only two claims at the same moment go to the higher address, lb2 (10.1.0.6, §6.4.3): with nopreempt every member starts BACKUP, so the declared master lb1 holds it only if it starts first; give it a priority of its own"
        );
        expect(finding.message).not.toContain('no single master');
    });

    it('says the declared master holds it only until its first failover with preempt', async () => {
        const document = await check(
            `${HOSTS}vip v 10.1.0.100 vrid 7 { master lb1 priority 100; backup lb2 priority 100; preempt }`
        );
        expect(withRule(document, 'vrrp-priority')[0]?.message).toContain(
            'lb1 starts MASTER, but after its first failover the VIP stays where it went'
        );
        const model = buildModel([document]);
        expect(mastersAtStart(model.vips[0], model.vips[0].members).map(m => m.host.name)).toEqual(['lb1']);
    });

    it('warns when no master is declared and the tie decides', async () => {
        const document = await check(
            `${HOSTS}vip v 10.1.0.100 vrid 7 { backup lb1 priority 100; backup lb2 priority 100 }`
        );
        const [finding] = withRule(document, 'vrrp-priority');
        expect(finding.severity).toBe(2);
        expect(finding.message).toContain('no member is the master by design');
        const model = buildModel([document]);
        expect(mastersAtStart(model.vips[0], model.vips[0].members).map(m => m.host.name)).toEqual(['lb1', 'lb2']);
    });

    it('says which tied backup takes over first', async () => {
        const document = await check(
            `${HOSTS}vip v 10.1.0.100 vrid 7 { master lb1 priority 150; backup lb2 priority 100; backup lb3 priority 100 }`
        );
        expect(withRule(document, 'vrrp-priority').map(d => d.message)).toEqual([
            "vip 'v': backups share priority 100: the higher address takes over first (lb3, 10.1.0.7), not a choice written down"
        ]);
    });

    it('elects by priority, then by the higher address', async () => {
        const model = buildModel([
            await check(
                `${HOSTS}vip v 10.1.0.100 vrid 7 { master lb1 priority 100; backup lb2 priority 100; backup lb3 priority 90 }`
            )
        ]);
        const members = model.vips[0].members;
        expect(electedMaster(members)?.host.name).toBe('lb2');
        expect(electedMaster(members.filter(m => m.host.name !== 'lb2'))?.host.name).toBe('lb1');
    });
});
