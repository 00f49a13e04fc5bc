// Header budgets and memcached exposure in the lab: a token of the size the engine computes goes
// through haproxy → nginx → uwsgi (real programs with the modelled settings); it passes where the
// engine says it fits and is refused at exactly the hop it names. memcached is probed from a
// namespace in the public zone: it connects where port-exposed fires and is refused where it does not.

import { beforeAll, describe, expect, it } from 'vitest';
import { expectAllAgree, lab, requireLab, result } from './lab-helpers.js';
import { front } from './topologies.js';

const TOKEN = 'passes haproxy → nginx → uwsgi';

beforeAll(() => requireLab());

describe.concurrent('header budgets and exposure in the lab', () => {
    it('fits: the token passes every hop; memcached is reachable from the public zone where port-exposed fires', async () => {
        const report = await lab(front({ path: 'haproxy -> nginx -> uwsgi buffer-size 8192' }), [[]]);
        expectAllAgree(report);
        const token = result(report, 'service:keystone', TOKEN);
        expect(token.predicted).toBe('passes every hop');
        expect(token.observed).toBe('passes every hop (HTTP 200)');
        const exposed = result(report, 'memcached:mc', 'public zone edge');
        expect(exposed.predicted).toBe('connects (port-exposed)');
        expect(exposed.observed).toBe('1 of 1 connect');
    }, 180_000);

    it('uwsgi buffer-size 1024: refused at hop 3 uwsgi; a firewall keeps the public zone from memcached (no port-exposed)', async () => {
        const report = await lab(
            front({
                path: 'haproxy -> nginx -> uwsgi buffer-size 1024',
                firewalls: 'firewall appfw protects app {\n  allow tcp 5000 from edge\n}\n'
            }),
            [[]]
        );
        expectAllAgree(report);
        const token = result(report, 'service:keystone', TOKEN);
        expect(token.predicted).toMatch(/^refused at hop 3 uwsgi/);
        expect(token.observed).toMatch(/^refused at hop 3 uwsgi \(through the path: HTTP 502/);
        const guarded = result(report, 'memcached:mc', 'public zone edge');
        expect(guarded.predicted).toBe('refused (no port-exposed)');
        expect(guarded.observed).toBe('0 of 1 connect');
    }, 180_000);

    it('nginx large_client_header_buffers 4 1k: refused at hop 2 nginx with a 4xx', async () => {
        const report = await lab(front({ path: 'haproxy -> nginx large_client_header_buffers 4 1k -> uwsgi' }), [[]]);
        expectAllAgree(report);
        const token = result(report, 'service:keystone', TOKEN);
        expect(token.predicted).toMatch(/^refused at hop 2 nginx/);
        expect(token.observed).toMatch(/^refused at hop 2 nginx \(through the path: HTTP 4\d\d/);
    }, 180_000);

    it('a stand-in hop (eventlet max_header_line 1k, simulated): refused at hop 2 eventlet', async () => {
        const report = await lab(front({ path: 'haproxy -> eventlet max_header_line 1k' }), [[]]);
        expectAllAgree(report);
        expect(result(report, 'service:keystone', 'passes haproxy → eventlet').observed).toMatch(
            /^refused at hop 2 eventlet \(through the path: HTTP 400/
        );
    }, 180_000);

    it('rule order as the engine reads it: a deny before an allow in the firewall wins (memcached refused), the allow after it still lets 5000 in', async () => {
        const report = await lab(
            front({
                firewalls: 'firewall appfw protects app {\n  deny tcp 11211 from edge\n  allow tcp 5000, 11211\n}\n'
            }),
            [[]]
        );
        expectAllAgree(report);
        expect(result(report, 'memcached:mc', 'public zone edge').predicted).toBe('refused (no port-exposed)');
        expect(result(report, 'memcached:mc', 'public zone edge').observed).toBe('0 of 1 connect');
        expect(result(report, 'service:keystone', 'a client').observed).toBe('HTTP 200');
    }, 180_000);

    it('a link from the edge zone to the app zone allowing only 5000/tcp keeps memcached unexposed', async () => {
        const report = await lab(front({ firewalls: 'link edge -> app {\n  allow tcp 5000\n}\n' }), [[]]);
        expect(result(report, 'memcached:mc', 'public zone edge').observed).toBe('0 of 1 connect');
        expectAllAgree(report);
    }, 180_000);
});
