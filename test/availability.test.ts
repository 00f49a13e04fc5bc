// Availability, single points of failure and capacity, as a careful operator would check them.

import { describe, expect, it } from 'vitest';
import { formatPercent, serviceAvailability } from '../language/analysis/availability.js';
import { whatIf } from '../language/analysis/what-if.js';
import { buildModel } from '../language/model/build-model.js';
import { check, withRule } from './helpers.js';

const ONE_HAPROXY = `
region r { host lb1 10.1.0.1  host lb2 10.1.0.2  host api1 10.1.0.11  host api2 10.1.0.12 }
vip v 10.1.0.100 vrid 9 { master lb1 priority 150; backup lb2 priority 100 }
haproxy lb {
  nodes lb1
  frontend api bind v port 5000 backend api
  backend api { server api1 port 5000; server api2 port 5000 }
}
service keystone port 5000 { nodes api1, api2  frontend v }
`;

describe('a VIP whose backup holder runs no haproxy', () => {
    it('is a single point of failure', async () => {
        const document = await check(ONE_HAPROXY);
        expect(withRule(document, 'spof').map(d => d.message)).toEqual([
            "keystone is served through vip 'v' (10.1.0.100), held by 2 hosts, but only lb1 runs its haproxy: a failover to lb2 answers nothing"
        ]);
    });

    it('counts only the holder that serves it in the availability', async () => {
        const model = buildModel([await check(ONE_HAPROXY)]);
        expect(serviceAvailability(model.services[0], model).parts['load balancers']).toBeCloseTo(0.999, 9);
        const both = buildModel([await check(ONE_HAPROXY.replace('nodes lb1\n', 'nodes lb1, lb2\n'))]);
        expect(serviceAvailability(both.services[0], both).parts['load balancers']).toBeCloseTo(0.999999, 9);
    });

    it('takes the service down when the haproxy host is lost', async () => {
        const model = buildModel([await check(ONE_HAPROXY)]);
        expect(whatIf(model, ['host:lb1']).services[0]).toMatchObject({ up: false });
        expect(whatIf(model, ['host:lb2']).services[0]).toMatchObject({ up: true });
    });
});

describe('HSM capacity per device', () => {
    const TOPOLOGY = (hsm: string, target = 50) => `
topology t
  target throughput ${target}/s
region r { host api 10.1.0.9  host luna1 10.1.0.21  host luna2 10.1.0.22 }
hsm luna { ${hsm} haonly }
service barbican port 9311 { nodes api  hsm luna }
`;

    it('adds the devices up, and checks the target with one device lost', async () => {
        const document = await check(TOPOLOGY('members luna1 (40/s), luna2 (40/s)'));
        expect(withRule(document, 'capacity-target').map(d => d.message)).toEqual([
            "barbican: hsm 'luna' carries 80/s, but with one device lost 40/s, below the throughput target 50/s"
        ]);
    });

    it('is satisfied when the pair still carries the target with one device down', async () => {
        const document = await check(TOPOLOGY('members luna1, luna2  capacity 40/s per device', 40));
        expect(withRule(document, 'capacity-target')).toEqual([]);
    });

    it('reports a target above the whole group', async () => {
        const document = await check(TOPOLOGY('members luna1 (40/s), luna2 (40/s)', 100));
        expect(withRule(document, 'capacity-target')[0]?.message).toBe(
            "barbican: the throughput target 100/s exceeds hsm 'luna' capacity 80/s, the bottleneck of its request path"
        );
    });

    it('shares a group figure equally between its devices', async () => {
        const document = await check(TOPOLOGY('members luna1, luna2  capacity 80/s'));
        expect(withRule(document, 'capacity-target')[0]?.message).toContain(
            "with one device lost 40/s (the group's 80/s shared by 2 devices)"
        );
    });
});

describe('availability figures', () => {
    it('meets a 99.9 % target with one 99.9 % host, without rounding noise', async () => {
        const document = await check(`
topology t
  target availability 99.9%
region r { host api 10.1.0.9 availability 99.9% }
service keystone port 5000 { nodes api }
`);
        expect(withRule(document, 'availability-target')).toEqual([]);
    });

    it('never prints an availability below 100 % as 100 %', () => {
        expect(formatPercent(0.9999999999)).toBe('99.99999999 %');
        expect(formatPercent(0.9995)).toBe('99.95 %');
        expect(formatPercent(1)).toBe('100 %');
    });
});
