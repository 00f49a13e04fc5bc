// docs/language.md is the reference: every keyword of the grammar has a heading there, the
// defaults it states are the model's, and the loader that completion and hovers use reads it.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { languageDocs, parseLanguageDocs, STATEMENT_OF_TYPE } from '../language/language-docs.js';
import { DEFAULTS, PORTS } from '../language/model/defaults.js';
import { reflection } from '../language/generated/ast.js';
import { GRAMMAR_KEYWORDS } from './grammar-keywords.js';

const docs = languageDocs();

describe('docs/language.md', () => {
    it('has a heading for every keyword of the grammar', () => {
        expect(GRAMMAR_KEYWORDS.filter(keyword => !docs.keywords.has(keyword))).toEqual([]);
    });

    it('documents DNS, blue/green, VPN and firewall devices, Pacemaker fencing and quorum queues', () => {
        for (const keyword of [
            'dns',
            'points-to',
            'round-robin',
            'standby',
            'vpn',
            'devices',
            'pacemaker',
            'fencing',
            'quorum',
            'environment'
        ])
            expect(docs.lookup(keyword), keyword).toBeTruthy();
        expect(docs.lookup('round-robin')).toContain('alternatives');
        expect(docs.lookup('fencing', 'pacemaker')).toContain('pacemaker-fencing');
    });

    it('states the defaults the model applies', () => {
        const cases: Array<[string, string, string]> = [
            ['weight', 'galera', `default **${DEFAULTS.galeraWeight}**`],
            ['segment', 'galera', `Default **${DEFAULTS.galeraSegment}**`],
            ['sst', 'galera', `Default **${DEFAULTS.sst}**`],
            ['port', 'memcached', `Default **${DEFAULTS.memcachedPort}**`],
            ['priority', 'vip', `**${DEFAULTS.vrrpPriority}**`],
            ['interface', 'vip', `Default **${DEFAULTS.interface}**`],
            ['advert', 'vip', `Default **${DEFAULTS.advertSeconds}s**`],
            ['bufsize', 'haproxy', `Default **${DEFAULTS.bufsize}**`],
            ['maxrewrite', 'haproxy', `Default **${DEFAULTS.maxrewrite}**`],
            ['expiration', 'service', `${DEFAULTS.tokenExpiration} s)`],
            ['allow_expired_window', 'service', `${DEFAULTS.allowExpiredWindow} s)`],
            ['max_active_keys', 'service', `Default **${DEFAULTS.maxActiveKeys}**`],
            ['port', 'hsm', `Default **${PORTS.lunaNtls}**`],
            ['trust', 'zone', `Default **${DEFAULTS.trust}**`],
            ['endpoints', 'service', `Default **${DEFAULTS.interfaces.join(', ')}**`],
            ['availability', 'host', `Default **${DEFAULTS.hostAvailability * 100} %**`]
        ];
        for (const [keyword, statement, text] of cases)
            expect(docs.lookup(keyword, statement)?.toLowerCase(), `${statement} ${keyword}`).toContain(
                text.toLowerCase()
            );
    });

    it('has a short example for every statement', () => {
        const statements = [
            'import',
            'topology',
            'region',
            'host',
            'galera',
            'rabbitmq',
            'memcached',
            'vip',
            'haproxy',
            'service',
            'hsm',
            'link',
            'firewall',
            'dns',
            'pacemaker',
            'environment'
        ];
        for (const statement of statements) expect(docs.lookup(statement), statement).toContain('```hatopo');
    });

    it('is linked from the README', () => {
        expect(readFileSync(new URL('../README.md', import.meta.url), 'utf8')).toContain('(docs/language.md)');
    });
});

describe('the loader', () => {
    it('maps a keyword to its entry under a statement, else to its own section', () => {
        const parsed = parseLanguageDocs(
            '# T\n\n## `galera`\n\nA cluster.\n\n```hatopo\n## `not-a-heading`\n```\n\n### `members`\n\nData nodes.\n\n## `hsm`\n\n### `members` `haonly`\n\nDevices.\n'
        );
        expect(parsed.lookup('members', 'galera')).toBe('Data nodes.');
        expect(parsed.lookup('members', 'hsm')).toBe('Devices.');
        expect(parsed.lookup('haonly')).toBe('Devices.');
        expect(parsed.lookup('galera')).toContain('A cluster.');
        expect(parsed.lookup('galera')).toContain('## `not-a-heading`');
        expect(parsed.keywords.has('not-a-heading')).toBe(false);
        expect(parsed.lookup('missing')).toBeUndefined();
    });

    it('knows the statement of every AST type that holds keywords', () => {
        const types = reflection
            .getAllTypes()
            .filter(type => !['Document', 'Element', 'Endpoint', 'Override', 'PacemakerResource'].includes(type));
        expect(types.filter(type => !(type in STATEMENT_OF_TYPE))).toEqual([]);
        for (const statement of Object.values(STATEMENT_OF_TYPE))
            expect(docs.lookup(statement), statement).toBeTruthy();
    });
});
