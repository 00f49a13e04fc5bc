// Galera rules beyond the quorum arithmetic (test/arithmetic.test.ts): how the cluster is laid out
// over regions, and the WAN settings it then needs, read from its Galera options.

import { describe, expect, it } from 'vitest';
import { isoSeconds } from '../language/analysis/galera-options.js';
import { check, rules, withRule } from './helpers.js';

const THREE_REGIONS = `
region r1 { host a 10.1.0.1 }
region r2 { host b 10.2.0.1 }
region r3 { host c 10.3.0.1 }
`;
const WAN = `
  option evs.suspect_timeout = PT30S
  option evs.inactive_timeout = PT1M
  option evs.keepalive_period = PT3S
  option evs.install_timeout = PT1M`;

describe('galera-wan-settings and segments', () => {
    it('fires when every region has the same gmcast.segment', async () => {
        const document = await check(
            `${THREE_REGIONS}galera db {\n  members a segment 1, b segment 1, c segment 2${WAN}\n}`
        );
        const [finding] = withRule(document, 'galera-wan-settings');
        expect(finding?.message).toBe(
            "galera 'db' spans 3 regions with LAN settings: regions r1, r2 share gmcast.segment 1: each region needs its own segment (write `segments by region`)"
        );
    });

    it('fires when one cluster-wide segment is written for all regions', async () => {
        const document = await check(
            `${THREE_REGIONS}galera db {\n  members a, b, c\n  option gmcast.segment = 3${WAN}\n}`
        );
        expect(withRule(document, 'galera-wan-settings')[0]?.message).toContain(
            'regions r1, r2, r3 share gmcast.segment 3'
        );
    });

    it('is satisfied by one segment per region', async () => {
        for (const segments of ['segments by region', '']) {
            const members = segments ? 'members a, b, c' : 'members a segment 0, b segment 1, c segment 2';
            const document = await check(`${THREE_REGIONS}galera db {\n  ${members}\n  ${segments}${WAN}\n}`);
            expect(rules(document)).not.toContain('galera-wan-settings');
        }
    });
});

const WAN_CLUSTER = `region a { host a1 10.1.0.1 host a2 10.1.0.2 } region b { host b1 10.2.0.1 } region c { host c1 10.3.0.1 }
galera db {
  members a1, b1, c1
  segments by region
  option evs.keepalive_period = PT3S
  option evs.inactive_timeout = PT1M
  option evs.install_timeout = PT1M
  option evs.suspect_timeout = SUSPECT
}
`;

describe('galera-wan-settings compares values with the LAN defaults', () => {
    it('reads Galera durations', () => {
        expect(isoSeconds('PT30S')).toBe(30);
        expect(isoSeconds('PT1M')).toBe(60);
        expect(isoSeconds('PT1H30M')).toBe(5400);
        expect(isoSeconds('PT7.5S')).toBe(7.5);
        expect(isoSeconds('PT')).toBeUndefined();
        expect(isoSeconds('30s')).toBeUndefined();
    });

    it('still fires when a timeout is written at its LAN default, not when raised', async () => {
        const lan = withRule(await check(WAN_CLUSTER.replace('SUSPECT', 'PT5S')), 'galera-wan-settings');
        expect(lan).toHaveLength(1);
        expect(lan[0].message).toContain('evs.suspect_timeout');
        expect(rules(await check(WAN_CLUSTER.replace('SUSPECT', 'PT30S')))).not.toContain('galera-wan-settings');
    });
});
