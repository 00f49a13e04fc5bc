// Galera rules beyond the quorum arithmetic (test/arithmetic.test.ts): the WAN settings a cluster
// across regions needs, read from its Galera options.

import { describe, expect, it } from 'vitest';
import { isoSeconds } from '../language/analysis/galera.js';
import { check, rules, withRule } from './helpers.js';

const WAN = `region a { host a1 10.1.0.1 host a2 10.1.0.2 } region b { host b1 10.2.0.1 } region c { host c1 10.3.0.1 }
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
        const lan = withRule(await check(WAN.replace('SUSPECT', 'PT5S')), 'galera-wan-settings');
        expect(lan).toHaveLength(1);
        expect(lan[0].message).toContain('evs.suspect_timeout');
        expect(rules(await check(WAN.replace('SUSPECT', 'PT30S')))).not.toContain('galera-wan-settings');
    });
});
