// Errors in the operator's words: syntax errors name what the place expects, unresolved
// references name the kind of thing and the nearest names in scope (with a quick fix), and one
// typo gives one error: rules say nothing about an element a syntax error cut short.

import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseHelper } from 'langium/test';
import { describe, expect, it } from 'vitest';
import type { CodeAction, Diagnostic } from 'vscode-languageserver-protocol';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Document } from '../language/generated/ast.js';
import { check, rules, services } from './helpers.js';

const PARSER_WORDS = /Expecting|token of type|but found:|Token sequences|EOF/;

function text(diagnostic: Diagnostic): string {
    return typeof diagnostic.message === 'string' ? diagnostic.message : String(diagnostic.message);
}

const TWO_REGIONS = `topology t
  target availability 99.9%
manage from 10.9.0.0/24
region a 10.1.0.0/16 { host a1 10.1.0.1
  host a2 10.1.0.2
  host a3 10.1.0.3 }
region b 10.2.0.0/16 { host b1 10.2.0.1 }
`;

describe('syntax errors in domain words', () => {
    it('latency 5 ms: one error, naming a duration without a space', async () => {
        const document = await check(`${TWO_REGIONS}link a <-> b {\n  latency 5 ms\n  redundant\n}\n`);
        const diagnostics = document.diagnostics ?? [];
        expect(diagnostics.map(d => `${d.code}: ${text(d)}`)).toEqual([
            'syntax-error: `latency` takes a duration such as 5ms, 30s, 2m (no space before the unit), not `5`'
        ]);
    });

    it('members without commas: one error, naming the comma, and no finding on the half-parsed cluster', async () => {
        const source = `${TWO_REGIONS}galera db {\n  members a1 a2 a3\n}\nservice s port 1 { nodes a1, a2; database db }\n`;
        const document = await check(source);
        const diagnostics = document.diagnostics ?? [];
        expect(diagnostics).toHaveLength(1);
        expect(diagnostics[0].code).toBe('syntax-error');
        expect(text(diagnostics[0])).toContain('a list needs commas between its names');
        expect(text(diagnostics[0])).not.toMatch(PARSER_WORDS);
        // The same file with the commas: the rules judge the cluster again.
        const fixed = await check(source.replace('members a1 a2 a3', 'members a1'));
        expect(rules(fixed)).toContain('galera-min-members');
    });

    it('a trailing comma: one error, not a member called `sst` as well', async () => {
        const document = await check(`${TWO_REGIONS}galera db {\n  members a1, a2, a3,\n  sst mariabackup\n}\n`);
        const diagnostics = document.diagnostics ?? [];
        expect(diagnostics.map(d => d.code)).toEqual(['syntax-error']);
        expect(text(diagnostics[0])).toContain('none after the last');
    });

    it('`host` outside a region says where it belongs', async () => {
        const document = await check('host a 10.0.0.1\n');
        expect((document.diagnostics ?? []).map(text)).toEqual([
            '`host` is written inside a region: `region NAME { host … }`'
        ]);
    });

    it.each([
        ['a port', 'region r { host a 10.0.0.1 }\nservice s port x { nodes a }\n', 'a port number such as 5000'],
        ['an address', 'region r { host a 10.0.0 }\n', 'an IPv4 address such as 10.1.0.5'],
        ['a percentage', 'topology t\n  target availability 99.95\n', 'a percentage such as 99.95%'],
        ['a rate', 'topology t\n  target throughput 100\n', 'a rate such as 100/s'],
        ['a size', 'memcached m { memory 512 MiB }\n', 'a size such as 8192, 8k or 512MiB'],
        ['a subnet', 'region r { zone z 10.0.0.1 }\n', 'a subnet such as 10.1.0.0/24'],
        ['a VRRP id', 'vip v 10.0.0.1 vrid { }\n', 'a VRRP id from 1 to 255'],
        ['the block', 'galera g {\n  members a\n', 'the end of the file']
    ])('names %s', async (_what, source, expected) => {
        const document = await check(source);
        const syntax = (document.diagnostics ?? []).filter(d => d.code === 'syntax-error');
        expect(syntax.length).toBeGreaterThan(0);
        expect(syntax.map(text).join('\n')).toContain(expected);
        for (const diagnostic of syntax) expect(text(diagnostic)).not.toMatch(PARSER_WORDS);
    });

    it('never shows the parser’s words, whatever token of an example is lost', async () => {
        const parse = parseHelper<Document>(services.Hatopo);
        const folder = path.resolve(import.meta.dirname, '../examples');
        let parsed = 0;
        for (const name of readdirSync(folder).filter(file => file.endsWith('.hatopo'))) {
            const source = readFileSync(path.join(folder, name), 'utf8');
            const tokens = [...source.matchAll(/[^\s{}]+|[{}]/g)].filter(
                match => !source.slice(0, match.index).endsWith('//')
            );
            // Every 23rd token of the file, deleted: a deterministic spread over every statement kind.
            for (let i = 0; i < tokens.length; i += 23) {
                const at = tokens[i].index!;
                const mutated = source.slice(0, at) + source.slice(at + tokens[i][0].length);
                const document = await parse(mutated, { documentUri: `file:///mutations/${name}-${i}.hatopo` });
                for (const error of [...document.parseResult.parserErrors, ...document.parseResult.lexerErrors])
                    expect(error.message, `${name} without token ${i} '${tokens[i][0]}'`).not.toMatch(PARSER_WORDS);
                parsed++;
            }
        }
        expect(parsed).toBeGreaterThan(100);
    });

    it('names characters the language does not have', async () => {
        const document = await check('region r { host a 10.0.0.1 § }\n');
        const lexer = (document.diagnostics ?? []).filter(d => d.code === 'syntax-error');
        expect(lexer.map(text).join('\n')).toContain('`§` is not part of the language');
    });
});

describe('unresolved references', () => {
    const SOURCE = 'region r { host api1 10.0.0.1\n  host api2 10.0.0.2 }\nservice s port 1 { nodes api22 }\n';

    it('say what kind of thing was looked for and suggest the nearest names in scope', async () => {
        const document = await check(SOURCE);
        const unresolved = (document.diagnostics ?? []).filter(d => d.code === 'unresolved-reference');
        expect(unresolved.map(text)).toEqual(["no host 'api22'; did you mean api2?"]);
        expect((unresolved[0].data as { suggestions: string[] }).suggestions).toEqual(['api2']);
    });

    it('name the kind for every reference type and say nothing when nothing is near', async () => {
        const document = await check(
            'region r { zone apis 10.0.0.0/24\n host a 10.0.0.1 zone apiz }\nlink r -> nowhere-at-all { }\nservice s port 1 { frontend vipp; database dbb; cache mcc }\n'
        );
        const messages = (document.diagnostics ?? []).filter(d => d.code === 'unresolved-reference').map(text);
        expect(messages).toEqual(
            expect.arrayContaining([
                "no zone 'apiz'; did you mean apis?",
                "no region, zone or host 'nowhere-at-all'",
                "no vip 'vipp'",
                "no galera cluster 'dbb'",
                "no memcached pool 'mcc'"
            ])
        );
    });

    it('have a quick fix that writes the suggestion', async () => {
        const document = await check(SOURCE);
        const diagnostic = (document.diagnostics ?? []).find(d => d.code === 'unresolved-reference')!;
        const actions = (await services.Hatopo.lsp.CodeActionProvider!.getCodeActions(document, {
            textDocument: { uri: document.uri.toString() },
            range: diagnostic.range,
            context: { diagnostics: [diagnostic] }
        })) as CodeAction[];
        const fix = actions.find(action => action.title === "Change to 'api2'")!;
        expect(fix.isPreferred).toBe(true);
        const edits = fix.edit!.changes![document.uri.toString()];
        const after = TextDocument.applyEdits(document.textDocument, edits);
        expect(after).toContain('nodes api2 }');
        expect(rules(await check(after))).not.toContain('unresolved-reference');
    });
});

describe('one typo, one error', () => {
    it('a service on a half-parsed cluster and the topology totals stay silent', async () => {
        const source = `${TWO_REGIONS}galera db {\n  members a1 a2 a3\n}\nservice s port 1 { nodes a1; database db }\n`;
        const found = rules(await check(source));
        expect(found).toEqual(['syntax-error']);
        // Without the typo the same topology has findings: spof on the single node, the target.
        const fixed = rules(await check(source.replace('members a1 a2 a3', 'members a1, a2, a3')));
        expect(fixed).toEqual(expect.arrayContaining(['spof', 'availability-target']));
    });

    it('elements the error does not touch are still checked', async () => {
        const source = `${TWO_REGIONS}galera db {\n  members a1 a2 a3\n}\nrabbitmq mq { members a1, a2 }\n`;
        const found = rules(await check(source));
        expect(found).toEqual(expect.arrayContaining(['syntax-error', 'rabbitmq-min-members']));
        expect(found).not.toContain('galera-min-members');
    });
});
