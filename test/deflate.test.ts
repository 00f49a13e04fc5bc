// The engine's own zlib compressor: a real stream (Node's inflate gives the input back) whose size is
// stock zlib's at level 6 (Python's zlib module links the system's zlib), on JSON catalogs within 1 %.

import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { deflateSync, inflateSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { adler32, zlibCompress } from '../language/analysis/deflate.js';
import { requirePython, stockZlib } from './stock-zlib.js';

const text = (value: string) => new TextEncoder().encode(value);

/** A catalog-like JSON of `endpoints` endpoints with random 32-hex ids. */
function catalogLike(endpoints: number): Uint8Array {
    const entries = Array.from({ length: endpoints }, (_, i) => ({
        id: randomBytes(16).toString('hex'),
        interface: ['public', 'internal', 'admin'][i % 3],
        region: `region${i % 10}`,
        region_id: `region${i % 10}`,
        url: `http://10.${i % 10}.0.${i % 250}:${8000 + (i % 17)}/v2.1`
    }));
    return text(JSON.stringify({ catalog: entries }));
}

/** Frequencies like Fibonacci numbers: an unlimited Huffman code would be deeper than 15 bits. */
function skewed(): Uint8Array {
    const bytes: number[] = [];
    let [a, b] = [1, 1];
    for (let symbol = 0; symbol < 26; symbol++) {
        for (let k = 0; k < Math.min(a, 30000); k++) bytes.push(symbol * 9);
        [a, b] = [b, a + b];
    }
    for (let i = bytes.length - 1; i > 0; i--) {
        const j = randomBytes(4).readUInt32LE() % (i + 1);
        [bytes[i], bytes[j]] = [bytes[j], bytes[i]];
    }
    return Uint8Array.from(bytes);
}

const INPUTS: [string, () => Uint8Array][] = [
    ['empty', () => new Uint8Array(0)],
    ['one byte', () => Uint8Array.of(0x41)],
    ['two bytes', () => Uint8Array.of(0, 0)],
    ['repetitive', () => text('abc'.repeat(50_000))],
    ['zeros over 64 KiB', () => new Uint8Array(200_000)],
    ['random', () => randomBytes(70_000)],
    [
        'random, then long matches of it',
        () => {
            const chunk = randomBytes(20_000);
            return Buffer.concat([chunk, chunk, chunk.subarray(0, 7_000), chunk]);
        }
    ],
    ['catalog JSON', () => catalogLike(240)],
    ['JSON over 64 KiB', () => catalogLike(900)],
    ['source text', () => readFileSync(new URL('../language/analysis/deflate.ts', import.meta.url))],
    [
        'text and random mixed',
        () =>
            Buffer.concat([
                randomBytes(5000),
                Buffer.from('x'.repeat(3000)),
                randomBytes(9000),
                readFileSync(new URL('../docs/rules.md', import.meta.url))
            ])
    ],
    ['skewed frequencies (length-limited codes)', skewed]
];

describe('zlibCompress', () => {
    beforeAll(requirePython);

    it.each(INPUTS)('%s: inflates back to the input, the size of stock zlib level 6', (_, make) => {
        const input = make();
        const compressed = zlibCompress(input);
        expect(Buffer.compare(inflateSync(compressed), Buffer.from(input))).toBe(0);
        const stock = stockZlib(input).length;
        expect(Math.abs(compressed.length - stock) / Math.max(stock, 1)).toBeLessThanOrEqual(0.01);
    });

    it('writes the zlib header of the default level and the Adler-32 of the input', () => {
        const input = text('Wikipedia');
        const compressed = zlibCompress(input);
        expect([...compressed.subarray(0, 2)]).toEqual([0x78, 0x9c]);
        expect(adler32(input)).toBe(0x11e60398); // the usual worked example of Adler-32
        expect(Buffer.from(compressed.subarray(-4)).readUInt32BE()).toBe(0x11e60398);
    });

    it('packs catalog JSON like stock zlib, not like Node’s zlib', () => {
        for (const endpoints of [9, 54, 162, 240]) {
            const input = catalogLike(endpoints);
            const ours = zlibCompress(input).length;
            const stock = stockZlib(input).length;
            const node = deflateSync(input, { level: 6 }).length;
            expect(Math.abs(ours - stock) / stock, `${endpoints} endpoints`).toBeLessThanOrEqual(0.01);
            // Node's zlib (Chromium's) packs this JSON several per cent tighter: the gap this file closes.
            if (endpoints >= 162) expect(node).toBeLessThan(stock * 0.98);
        }
    });
});
