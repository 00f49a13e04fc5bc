// Sensitive ports and who can reach them (language/analysis/ports.ts): exposure follows the
// listener, not the well-known port.

import { describe, expect, it } from 'vitest';
import { check, withRule } from './helpers.js';

describe('port-exposed', () => {
    it('knows memcached is sensitive on whatever port it is moved to', async () => {
        const text = `region r { zone dmz 10.0.1.0/24 trust public { host web 10.0.1.5 } zone app 10.0.2.0/24 { host mc1 10.0.2.5 } }
memcached mc { servers mc1  port 11299 }`;
        const exposed = withRule(await check(text), 'port-exposed');
        expect(exposed.map(d => d.message)).toEqual([
            expect.stringContaining('listens on 11299/tcp on mc1, reachable from public zone dmz')
        ]);
    });
});
