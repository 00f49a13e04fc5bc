// keepalived in the lab: who holds the VIP, with IP protocol 112 blocked between the holders, after
// the master is lost (the backup takes it within the Master_Down_Interval and clients still get
// through), and with every holder lost.

import { beforeAll, describe, expect, it } from 'vitest';
import { expectAllAgree, failures, lab, requireLab, result } from './lab-helpers.js';
import { front } from './topologies.js';

beforeAll(() => requireLab());

describe.concurrent('VRRP in the lab', () => {
    it('a firewall in front of lb2 that lacks IP protocol 112: both hold the VIP (split brain), as port-unreachable says', async () => {
        const report = await lab(front({ firewalls: 'firewall lb2fw protects lb2 {\n  allow tcp 5000\n}\n' }), [[]]);
        expectAllAgree(report);
        const vip = result(report, 'vip:api-vip');
        expect(vip.predicted).toMatch(/^lb1 and lb2/);
        expect(vip.observed).toBe('lb1 and lb2');
    }, 180_000);

    it('the master holds the VIP; when it is lost the backup takes over within 3 adverts + skew and clients still reach the service', async () => {
        const report = await lab(front(), [[], failures('host:lb1')]);
        expectAllAgree(report);
        const [booted, after] = report.results.filter(r => r.subject === 'vip:api-vip');
        expect(booted.observed).toBe('lb1');
        expect(after.predicted).toBe('lb2, within 3.6 s');
        expect(after.observed).toMatch(/^lb2, after \d\.\d s$/);
        const served = report.results.filter(r => r.subject === 'service:keystone' && r.claim.startsWith('a client'));
        expect(served.map(r => r.observed)).toEqual(['HTTP 200', 'HTTP 200']);
    }, 180_000);

    it('with both load balancers lost nobody holds the VIP and the service is down, as predicted', async () => {
        const report = await lab(front(), [failures('host:lb1', 'host:lb2')]);
        expectAllAgree(report);
        const down = result(report, 'service:keystone', 'a client');
        expect(down.predicted).toMatch(/^down: no surviving load balancer serves api-vip/);
        expect(down.observed).not.toBe('HTTP 200');
    }, 180_000);

    it('equal priorities: exactly one holds the VIP, whichever claimed it first; with preempt the declared master', async () => {
        const tie = await lab(front({ members: '  master lb1 priority 100\n  backup lb2 priority 100' }), [[]]);
        expectAllAgree(tie);
        expect(result(tie, 'vip:api-vip').predicted).toMatch(/^one of lb1, lb2 \(a tie of priority 100/);
        expect(result(tie, 'vip:api-vip').observed).toMatch(/^lb[12]$/);
        const preempt = await lab(
            front({ members: '  master lb1 priority 100\n  backup lb2 priority 100\n  preempt' }),
            [[]]
        );
        expectAllAgree(preempt);
        expect(result(preempt, 'vip:api-vip').observed).toBe('lb1');
    }, 240_000);

    it('losing the only haproxy host takes the service down', async () => {
        const report = await lab(front({ haproxyNodes: 'lb1' }), [failures('host:lb1')]);
        expect(result(report, 'vip:api-vip').observed).toMatch(/^lb2/);
        expect(result(report, 'service:keystone', 'a client').observed).not.toBe('HTTP 200');
        expectAllAgree(report);
    }, 180_000);
});
