// Galera rules that depend on how the cluster is laid out over regions.

import { describe, expect, it } from 'vitest';
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
