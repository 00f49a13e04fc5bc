// Behaviours fixed after review, each pinned by a test that fails without the fix.

import { EmptyFileSystem, type ValidationChecks } from 'langium';
import { parseHelper } from 'langium/test';
import { describe, expect, it } from 'vitest';
import { deriveFlows } from '../language/analysis/flows.js';
import { isoSeconds } from '../language/analysis/galera-options.js';
import type { Document, HatopoAstType } from '../language/generated/ast.js';
import { createHatopoServices } from '../language/hatopo-module.js';
import { buildModel } from '../language/model/build-model.js';
import { check, rules, services, withRule } from './helpers.js';

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

describe('flows and exposure', () => {
    it('gives garbd group communication (4567) only: it keeps no state, so no IST or SST', async () => {
        const model = buildModel([
            await check(WAN.replace('SUSPECT', 'PT30S').replace('members a1, b1, c1', 'members a1, b1\n  garbd c1'))
        ]);
        const toArbitrator = deriveFlows(model).filter(flow => flow.to.name === 'c1' || flow.from.name === 'c1');
        expect(new Set(toArbitrator.map(flow => flow.port))).toEqual(new Set([4567]));
        expect(
            deriveFlows(model).some(flow => flow.port === 4568 && flow.from.name === 'a1' && flow.to.name === 'b1')
        ).toBe(true);
    });

    it('knows memcached is sensitive on whatever port it is moved to', async () => {
        const text = `region r { zone dmz 10.0.1.0/24 trust public { host web 10.0.1.5 } zone app 10.0.2.0/24 { host mc1 10.0.2.5 } }
memcached mc { servers mc1  port 11299 }`;
        const exposed = withRule(await check(text), 'port-exposed');
        expect(exposed.map(d => d.message)).toEqual([
            expect.stringContaining('listens on 11299/tcp on mc1, reachable from public zone dmz')
        ]);
    });
});

describe('header budgets follow the token actually used', () => {
    it("honours keystone's nocatalog even when another service, checked first, borrows the token", async () => {
        const regions = Array.from({ length: 6 }, (_, r) => `region r${r} { host api${r} 10.${r}.0.1 }`).join('\n');
        const nodes = Array.from({ length: 6 }, (_, r) => `api${r}`).join(', ');
        const services = Array.from(
            { length: 6 },
            (_, s) => `service s${s} kind nova port ${8000 + s} { nodes ${nodes} }`
        ).join('\n');
        const text =
            `${regions}\n${services}\nservice nova port 8774 { nodes ${nodes}\n path uwsgi }\n` +
            `service keystone port 5000 { nodes ${nodes}\n token pki nocatalog\n path uwsgi }\n`;
        expect(rules(await check(text))).not.toContain('header-budget');
        expect(rules(await check(text.replace(' nocatalog', '')))).toContain('header-budget');
    });
});

describe('the language server', () => {
    it('names a check that throws internal-error, so the CLI and the editor agree', async () => {
        const broken = createHatopoServices(EmptyFileSystem);
        const throwing: ValidationChecks<HatopoAstType> = {
            Document: () => {
                throw new Error('boom');
            }
        };
        broken.Hatopo.validation.ValidationRegistry.register(throwing);
        const document = await parseHelper<Document>(broken.Hatopo)('region r { host a 10.0.0.1 }', {
            validation: true
        });
        expect((document.diagnostics ?? []).map(d => d.code)).toContain('internal-error');
    });

    it('offers Open Preview as a code lens above the first statement', async () => {
        const document = await check('\n\nregion r { host a 10.0.0.1 }');
        const lenses = await services.Hatopo.lsp.CodeLensProvider!.provideCodeLens(document, {
            textDocument: { uri: document.uri.toString() }
        });
        expect(lenses).toEqual([
            {
                range: { start: { line: 2, character: 0 }, end: { line: 2, character: 0 } },
                command: { title: 'Open Preview', command: 'hatopo.openPreview', arguments: [document.uri.toString()] }
            }
        ]);
    });
});
