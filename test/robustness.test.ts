// The server survives any text a user can type: every prefix-like truncation and random edits of
// the examples must give diagnostics, never a crash inside validation, hover or formatting.

import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { random } from '../bench/generate.js';
import { whatIf } from '../language/analysis/what-if.js';
import { diagramOf } from '../language/diagram/diagram-model.js';
import { layoutDiagram } from '../language/diagram/layout.js';
import { renderSvg } from '../language/diagram/svg.js';
import { check, formatText, services } from './helpers.js';

const examples = path.resolve(import.meta.dirname, '../examples');
const files = readdirSync(examples).filter(file => file.endsWith('.hatopo'));

const TYPED = ['{', '}', ' ', '\n', '-', '->', '.', '/', '"', '10.0.0', 'galera', 'host', '%', '999999999999', 'x'];

function variants(text: string, seed: number): string[] {
    const next = random(seed);
    const result: string[] = [];
    for (let i = 0; i < 12; i++) result.push(text.slice(0, Math.floor(next() * text.length)));
    for (let i = 0; i < 12; i++) {
        const at = Math.floor(next() * text.length);
        const cut = Math.floor(next() * 20);
        result.push(text.slice(0, at) + TYPED[Math.floor(next() * TYPED.length)] + text.slice(at + cut));
    }
    return result;
}

describe('robustness', () => {
    it.each(files)(
        'survives truncations and random edits of %s',
        async file => {
            const text = readFileSync(path.join(examples, file), 'utf8');
            for (const variant of variants(text, file.length * 7919)) {
                const document = await check(variant, file);
                const crashes = (document.diagnostics ?? []).filter(d =>
                    JSON.stringify(d.message).includes('An error occurred')
                );
                expect(
                    crashes.map(d => d.message),
                    `after an edit of ${file}`
                ).toEqual([]);
                const hover = services.Hatopo.lsp.HoverProvider!;
                await hover.getHoverContent(document, {
                    textDocument: { uri: document.uri.toString() },
                    position: document.textDocument.positionAt(Math.floor(variant.length / 2))
                });
                await formatText(variant);
            }
        },
        60_000
    );
});

describe('input cut short while typing', () => {
    it('checks and hovers a service whose token format is not written yet', async () => {
        const text =
            'region r { host h 10.0.0.1 }\nservice k kind keystone port 5000 { token x  path haproxy -> eventlet }\n';
        const document = await check(text);
        expect((document.diagnostics ?? []).map(d => d.code)).not.toContain('internal-error');
        const hover = await services.Hatopo.lsp.HoverProvider!.getHoverContent(document, {
            textDocument: { uri: document.uri.toString() },
            position: document.textDocument.positionAt(text.indexOf('k kind'))
        });
        expect(JSON.stringify(hover ?? '')).not.toContain('error');
    });

    it('builds, checks and draws a host without an address yet', async () => {
        const document = await check('region r {\n  host h\n}\n');
        expect((document.diagnostics ?? []).map(d => d.code)).not.toContain('internal-error');
        const { model, findings } = services.Hatopo.analysis.ModelCache.get(document);
        const svg = renderSvg(await layoutDiagram(diagramOf(model, findings)));
        expect(svg).toContain('<svg');
    });
});

describe('diagrams of half-typed files', () => {
    it('draws a file whose tiers ELK refuses to partition, with the failures the fuzz picked', async () => {
        const text = readFileSync(
            path.resolve(import.meta.dirname, 'fixtures/diagram/elk-refuses-partitions.hatopo'),
            'utf8'
        );
        const document = await check(text, 'elk-refuses-partitions.hatopo');
        const { model, findings } = services.Hatopo.analysis.ModelCache.get(document);
        const outcome = whatIf(model, ['host:por-api1']);
        const svg = renderSvg(await layoutDiagram(diagramOf(model, findings, { whatIf: outcome })));
        expect(svg).toContain('data-element="galera:keystone-db"');
    });
});
