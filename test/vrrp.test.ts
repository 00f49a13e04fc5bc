// VRRP elections: the highest priority holds the VIP; equal priorities go to the higher primary
// address (RFC 5798 §6.4.3), which keepalived follows.

import { describe, expect, it } from 'vitest';
import { electedMaster, masterAtStart } from '../language/analysis/vrrp.js';
import { buildModel } from '../language/model/build-model.js';
import { check, withRule } from './helpers.js';

const HOSTS = 'region r 10.1.0.0/24 { host lb1 10.1.0.5  host lb2 10.1.0.6  host lb3 10.1.0.7 }\n';

describe('vrrp-priority on ties', () => {
    it('names the host a tie makes master when it is not the declared one', async () => {
        const document = await check(
            `${HOSTS}vip v 10.1.0.100 vrid 7 { master lb1 priority 100; backup lb2 priority 100 }`
        );
        const [finding] = withRule(document, 'vrrp-priority');
        expect(finding.severity).toBe(1);
        expect(finding.message).toBe(
            "vip 'v': lb1 and lb2 share the highest priority 100; VRRP breaks the tie by the higher primary address (RFC 5798 §6.4.3): all start BACKUP (nopreempt), so lb2 (10.1.0.6) becomes master, not the declared master lb1"
        );
        expect(finding.message).not.toContain('no single master');
    });

    it('says the declared master holds it only until its first failover with preempt', async () => {
        const document = await check(
            `${HOSTS}vip v 10.1.0.100 vrid 7 { master lb1 priority 100; backup lb2 priority 100; preempt }`
        );
        expect(withRule(document, 'vrrp-priority')[0]?.message).toContain(
            'lb1 starts MASTER, but after its first failover lb2 (10.1.0.6) takes the VIP and keeps it, not the declared master lb1'
        );
        const model = buildModel([document]);
        expect(masterAtStart(model.vips[0], model.vips[0].members)?.host.name).toBe('lb1');
    });

    it('warns when the declared master wins the tie only by its address', async () => {
        const document = await check(
            `${HOSTS}vip v 10.1.0.100 vrid 7 { backup lb1 priority 100; master lb2 priority 100 }`
        );
        const [finding] = withRule(document, 'vrrp-priority');
        expect(finding.severity).toBe(2);
        expect(finding.message).toContain('lb2 (10.1.0.6) wins, by its address rather than by design');
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
