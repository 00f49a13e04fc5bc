// The server survives any text a user can type: every prefix-like truncation and random edits of
// the examples must give diagnostics, never a crash inside validation, hover or formatting.

import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { random } from '../bench/generate.js';
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
