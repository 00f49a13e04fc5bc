// Header budgets (language/analysis/headers.ts): the token a request carries against every hop's
// limit, with the token actually in use.

import { describe, expect, it } from 'vitest';
import { check, rules } from './helpers.js';

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
