// Proxy hops typed per kind: every kind declares its settings with units and defaults (one
// catalogue, model/hops.ts); an unknown setting is invalid-value with the nearest known one, and
// a rate is a rate.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { hopLimit } from '../language/analysis/headers.js';
import { DEFAULTS } from '../language/model/defaults.js';
import { buildModel } from '../language/model/build-model.js';
import { HOP_KINDS } from '../language/model/hops.js';
import { check, withRule } from './helpers.js';

const service = (path: string) => `region r { host a 10.0.0.1 }\nservice s port 1 {\n  nodes a\n  path ${path}\n}\n`;

describe('hop settings', () => {
    it('uwsgi buffer_size 65535 is invalid-value suggesting buffer-size', async () => {
        const document = await check(service('haproxy -> uwsgi buffer_size 65535'));
        const invalid = withRule(document, 'invalid-value');
        expect(invalid).toHaveLength(1);
        expect(invalid[0].message).toContain("did you mean 'buffer-size'?");
        expect(invalid[0].data).toMatchObject({ hop: 'uwsgi', suggestion: 'buffer-size' });
        // The setting is not taken: the hop keeps uwsgi's default, 4096.
        const [hop] = buildModel([document]).services[0].path.slice(1);
        expect(hopLimit(hop, undefined)?.bytes).toBe(4096);
    });

    it('repose rate-limit 100/s is a rate, not a size', async () => {
        const document = await check(service('repose rate-limit 100/s -> uwsgi'));
        expect(withRule(document, 'invalid-value')).toEqual([]);
        expect(buildModel([document]).services[0].path[0].settings.get('rate-limit')).toEqual([100]);
        const wrong = await check(service('repose rate-limit 8k -> uwsgi'));
        expect(withRule(wrong, 'invalid-value').map(d => d.message)).toEqual(["'8k' is not a rate (/s)"]);
    });

    it('reads each value in its unit and counts them', async () => {
        const document = await check(
            service('nginx large_client_header_buffers 4 16k -> apache LimitRequestFields 200')
        );
        expect(withRule(document, 'invalid-value')).toEqual([]);
        const [nginx, apache] = buildModel([document]).services[0].path;
        expect(nginx.settings.get('large_client_header_buffers')).toEqual([4, 16384]);
        expect(apache.settings.get('LimitRequestFields')).toEqual([200]);
        const counted = await check(service('nginx large_client_header_buffers 16k'));
        expect(withRule(counted, 'invalid-value').map(d => d.message)).toEqual([
            'nginx large_client_header_buffers takes 2 values (a count such as 100, then a size such as 8192 or 8k), not 1'
        ]);
    });

    it('every kind names its header limit among its settings, with a default', () => {
        for (const kind of HOP_KINDS) {
            const limit = kind.settings.find(setting => setting.name === kind.headerLimit.setting);
            expect(limit?.defaults, kind.kind).toBeDefined();
            expect(limit?.values.at(-1), kind.kind).toBe('size');
        }
        // HAProxy's defaults are the model's (defaults.ts), not a second copy that could drift.
        const haproxy = HOP_KINDS.find(kind => kind.kind === 'haproxy')!;
        expect(haproxy.settings.map(setting => setting.defaults?.[0])).toEqual([DEFAULTS.bufsize, DEFAULTS.maxrewrite]);
    });

    it('docs/language.md lists every kind and setting with its default', () => {
        const docs = readFileSync(new URL('../docs/language.md', import.meta.url), 'utf8');
        for (const kind of HOP_KINDS)
            for (const setting of kind.settings) {
                const row = docs
                    .split('\n')
                    .find(line => line.startsWith(`| \`${kind.kind}\` | \`${setting.name}\` |`));
                expect(row, `${kind.kind} ${setting.name}`).toBeDefined();
                expect(row).toContain(`| ${setting.defaults ? setting.defaults.join(' ') : 'off'} |`);
                expect(row).toContain(`[${setting.source}]`);
            }
    });
});
