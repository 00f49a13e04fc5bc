// A zlib stream (RFC 1950 wrapper around RFC 1951 DEFLATE) made the way stock zlib makes it at its
// default level 6, so that a PKIZ token's size comes out as Keystone's `zlib.compress(der, 6)` made it.
// Node's own zlib is Chromium's fork and packs differently (several per cent on catalog JSON), and the
// engine may not use Node built-ins anyway.
//
// What "the way stock zlib does" means here (zlib's documented algorithm, written anew):
// - a 32 KiB window; strings of 3 bytes hashed into 2^15 buckets whose chains link earlier positions;
//   a match may reach back at most 32 KiB − 262 bytes (zlib keeps 262 bytes of lookahead);
// - lazy matching (level 6: good 8, lazy 16, nice 128, chain 128): the match found at a position is
//   used only if the next position does not find a longer one; past a match of `good` bytes the next
//   search looks at a quarter of the chain; past `lazy` bytes it does not search at all; a 3-byte match
//   further back than 4096 bytes is not worth its distance code (zlib's TOO_FAR);
// - blocks of at most 16,383 symbols (memLevel 8); each block is sent stored, with the fixed codes or
//   with its own Huffman codes (limited to 15 bits, code lengths to 7), whichever is smallest, with
//   zlib's tie rules and its run-length coding of the code lengths.

const WINDOW = 32768;
const WINDOW_MASK = WINDOW - 1;
const MIN_MATCH = 3;
const MAX_MATCH = 258;
const MAX_DISTANCE = WINDOW - (MAX_MATCH + MIN_MATCH + 1);
const HASH_MASK = (1 << 15) - 1;
const TOO_FAR = 4096;
const BLOCK_SYMBOLS = (1 << 14) - 1;
const LEVEL_6 = { good: 8, lazy: 16, nice: 128, chain: 128 };

const END_OF_BLOCK = 256;
const LITERAL_CODES = 286;
const DISTANCE_CODES = 30;
const MAX_BITS = 15;
const MAX_LENGTH_CODE_BITS = 7;
/** The order in which a dynamic block lists the code-length code's lengths (RFC 1951 §3.2.7). */
const LENGTH_CODE_ORDER = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15];

// RFC 1951 §3.2.5: base value and extra bits of each length code (257…285) and distance code (0…29).
const LENGTH_BASE = [
    3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258
];
const LENGTH_EXTRA = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0];
const DISTANCE_BASE = [
    1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145,
    8193, 12289, 16385, 24577
];
const DISTANCE_EXTRA = [
    0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13
];

/** Length − 3 → index of its length code (0…28); distance − 1 → its distance code. */
const LENGTH_CODE = new Uint8Array(MAX_MATCH - MIN_MATCH + 1);
const DISTANCE_CODE = new Uint8Array(WINDOW);
for (let code = 0; code < LENGTH_BASE.length; code++)
    for (let length = LENGTH_BASE[code]; length < LENGTH_BASE[code] + (1 << LENGTH_EXTRA[code]); length++)
        if (length <= MAX_MATCH) LENGTH_CODE[length - MIN_MATCH] = code;
LENGTH_CODE[MAX_MATCH - MIN_MATCH] = 28; // 258 has a code of its own, not 284 + 31
for (let code = 0; code < DISTANCE_BASE.length; code++)
    for (let distance = DISTANCE_BASE[code]; distance < DISTANCE_BASE[code] + (1 << DISTANCE_EXTRA[code]); distance++)
        DISTANCE_CODE[distance - 1] = code;

/** The fixed codes' lengths (RFC 1951 §3.2.6). */
const FIXED_LITERAL_LENGTHS = new Uint8Array(288).map((_, symbol) =>
    symbol < 144 ? 8 : symbol < 256 ? 9 : symbol < 280 ? 7 : 8
);
const FIXED_DISTANCE_LENGTHS = new Uint8Array(DISTANCE_CODES).fill(5);

/** `input` as a zlib stream, byte for byte the size stock zlib's `compress(input, 6)` gives. */
export function zlibCompress(input: Uint8Array): Uint8Array {
    const out = new BitWriter(Math.max(64, input.length >> 1));
    out.bits(0x78, 8); // CMF: deflate, 32 KiB window
    out.bits(0x9c, 8); // FLG: the default level, check bits so that 0x789c is a multiple of 31
    new Compressor(input, out).run();
    out.align();
    const checksum = adler32(input);
    for (let shift = 24; shift >= 0; shift -= 8) out.bits((checksum >>> shift) & 0xff, 8);
    return out.bytes();
}

/** Adler-32 (RFC 1950 §8.2). */
export function adler32(data: Uint8Array): number {
    let a = 1,
        b = 0;
    for (let start = 0; start < data.length; start += 5552) {
        // 5552 bytes is the most that cannot overflow before the modulo
        const end = Math.min(start + 5552, data.length);
        for (let i = start; i < end; i++) {
            a += data[i];
            b += a;
        }
        a %= 65521;
        b %= 65521;
    }
    return ((b << 16) | a) >>> 0;
}

/** Bits packed from the least significant end of each byte, as RFC 1951 §3.1.1 asks. */
class BitWriter {
    private buffer: Uint8Array;
    private length = 0;
    private pending = 0;
    private pendingBits = 0;

    constructor(capacity: number) {
        this.buffer = new Uint8Array(capacity);
    }

    bits(value: number, count: number): void {
        this.pending |= value << this.pendingBits;
        this.pendingBits += count;
        while (this.pendingBits >= 8) {
            this.byte(this.pending & 0xff);
            this.pending >>>= 8;
            this.pendingBits -= 8;
        }
    }

    align(): void {
        if (this.pendingBits > 0) this.byte(this.pending & 0xff);
        this.pending = 0;
        this.pendingBits = 0;
    }

    copy(data: Uint8Array, start: number, end: number): void {
        for (let i = start; i < end; i++) this.byte(data[i]);
    }

    bytes(): Uint8Array {
        return this.buffer.slice(0, this.length);
    }

    private byte(value: number): void {
        if (this.length === this.buffer.length) {
            const grown = new Uint8Array(this.buffer.length * 2);
            grown.set(this.buffer);
            this.buffer = grown;
        }
        this.buffer[this.length++] = value;
    }
}

/** The match finder and block writer over the whole input (it is all in memory: no window to slide). */
class Compressor {
    // Chains of earlier positions with the same hash; position 0 doubles as "none", as in zlib.
    private readonly head = new Int32Array(HASH_MASK + 1);
    private readonly previous = new Int32Array(WINDOW);
    private position = 0;
    private matchStart = 0;
    // The current block: per symbol a literal byte or a match (length − 3, distance).
    private readonly literalOrLength = new Uint16Array(BLOCK_SYMBOLS);
    private readonly distances = new Uint16Array(BLOCK_SYMBOLS);
    private symbols = 0;
    private blockStart = 0;
    private readonly literalFrequencies = new Uint32Array(LITERAL_CODES);
    private readonly distanceFrequencies = new Uint32Array(DISTANCE_CODES);

    constructor(
        private readonly input: Uint8Array,
        private readonly out: BitWriter
    ) {}

    run(): void {
        const input = this.input;
        let lookahead = input.length;
        let matchLength = MIN_MATCH - 1;
        let pendingLiteral = false;
        while (lookahead > 0) {
            const candidate = lookahead >= MIN_MATCH ? this.insert(this.position) : 0;
            const previousLength = matchLength;
            const previousStart = this.matchStart;
            matchLength = MIN_MATCH - 1;
            if (candidate !== 0 && previousLength < LEVEL_6.lazy && this.position - candidate <= MAX_DISTANCE) {
                matchLength = this.longestMatch(candidate, previousLength, lookahead);
                if (matchLength === MIN_MATCH && this.position - this.matchStart > TOO_FAR) matchLength = MIN_MATCH - 1;
            }
            if (previousLength >= MIN_MATCH && matchLength <= previousLength) {
                // The match that began one byte back is at least as long: take it.
                const lastInsert = this.position + lookahead - MIN_MATCH;
                this.tallyMatch(this.position - 1 - previousStart, previousLength);
                lookahead -= previousLength - 1;
                for (let left = previousLength - 2; left > 0; left--)
                    if (++this.position <= lastInsert) this.insert(this.position);
                pendingLiteral = false;
                matchLength = MIN_MATCH - 1;
                this.position++;
                if (this.symbols === BLOCK_SYMBOLS) this.flushBlock(false);
            } else if (pendingLiteral) {
                this.tallyLiteral(input[this.position - 1]);
                if (this.symbols === BLOCK_SYMBOLS) this.flushBlock(false);
                this.position++;
                lookahead--;
            } else {
                pendingLiteral = true;
                this.position++;
                lookahead--;
            }
        }
        if (pendingLiteral) this.tallyLiteral(input[this.position - 1]);
        this.flushBlock(true);
    }

    /** Adds the string at `position` to its hash chain; returns the previous head of that chain. */
    private insert(position: number): number {
        const input = this.input;
        const hash = ((input[position] << 10) ^ (input[position + 1] << 5) ^ input[position + 2]) & HASH_MASK;
        const candidate = this.head[hash];
        this.previous[position & WINDOW_MASK] = candidate;
        this.head[hash] = position;
        return candidate;
    }

    /** The longest match longer than `best` along the chain from `candidate`; sets matchStart. */
    private longestMatch(candidate: number, best: number, lookahead: number): number {
        const input = this.input;
        const scan = this.position;
        let chain = best >= LEVEL_6.good ? LEVEL_6.chain >> 2 : LEVEL_6.chain;
        const nice = Math.min(LEVEL_6.nice, lookahead);
        const limit = scan > MAX_DISTANCE ? scan - MAX_DISTANCE : 0;
        const longest = Math.min(MAX_MATCH, lookahead);
        let match = candidate;
        do {
            // Cheap rejections first: the byte that would make it longer, the one before, the first two.
            if (
                input[match + best] !== input[scan + best] ||
                input[match + best - 1] !== input[scan + best - 1] ||
                input[match] !== input[scan] ||
                input[match + 1] !== input[scan + 1]
            )
                continue;
            let length = 2;
            while (length < longest && input[match + length] === input[scan + length]) length++;
            if (length > best) {
                this.matchStart = match;
                best = length;
                if (length >= nice) break;
            }
        } while ((match = this.previous[match & WINDOW_MASK]) > limit && --chain !== 0);
        return Math.min(best, lookahead);
    }

    private tallyLiteral(byte: number): void {
        this.literalOrLength[this.symbols] = byte;
        this.distances[this.symbols++] = 0;
        this.literalFrequencies[byte]++;
    }

    private tallyMatch(distance: number, length: number): void {
        this.literalOrLength[this.symbols] = length - MIN_MATCH;
        this.distances[this.symbols++] = distance;
        this.literalFrequencies[257 + LENGTH_CODE[length - MIN_MATCH]]++;
        this.distanceFrequencies[DISTANCE_CODE[distance - 1]]++;
    }

    /** Sends the block as the cheapest of stored, fixed and dynamic, choosing as zlib does. */
    private flushBlock(last: boolean): void {
        const literalFrequencies = this.literalFrequencies;
        literalFrequencies[END_OF_BLOCK] = 1;
        const literalLengths = codeLengths(literalFrequencies, MAX_BITS);
        const distanceLengths = codeLengths(this.distanceFrequencies, MAX_BITS);
        const header = dynamicHeader(literalLengths, distanceLengths);
        const extraBits = this.extraBits();
        const dynamicBits =
            3 +
            header.bits +
            cost(literalFrequencies, literalLengths) +
            cost(this.distanceFrequencies, distanceLengths) +
            extraBits;
        const fixedBits =
            3 +
            cost(literalFrequencies, FIXED_LITERAL_LENGTHS) +
            cost(this.distanceFrequencies, FIXED_DISTANCE_LENGTHS) +
            extraBits;
        const storedLength = this.position - this.blockStart;
        const fixedBytes = (fixedBits + 7) >> 3;
        const bestCodedBytes = Math.min((dynamicBits + 7) >> 3, fixedBytes);
        const out = this.out;
        if (storedLength + 4 <= bestCodedBytes && storedLength <= 0xffff) {
            out.bits(last ? 1 : 0, 3);
            out.align();
            out.bits(storedLength & 0xff, 8);
            out.bits(storedLength >> 8, 8);
            out.bits(~storedLength & 0xff, 8);
            out.bits((~storedLength >> 8) & 0xff, 8);
            out.copy(this.input, this.blockStart, this.position);
        } else if (fixedBytes === bestCodedBytes) {
            out.bits((1 << 1) | (last ? 1 : 0), 3);
            this.sendSymbols(FIXED_LITERAL_LENGTHS, FIXED_DISTANCE_LENGTHS);
        } else {
            out.bits((2 << 1) | (last ? 1 : 0), 3);
            header.send(out);
            this.sendSymbols(literalLengths, distanceLengths);
        }
        this.symbols = 0;
        this.blockStart = this.position;
        literalFrequencies.fill(0);
        this.distanceFrequencies.fill(0);
    }

    private extraBits(): number {
        let bits = 0;
        for (let code = 0; code < LENGTH_EXTRA.length; code++)
            bits += this.literalFrequencies[257 + code] * LENGTH_EXTRA[code];
        for (let code = 0; code < DISTANCE_CODES; code++) bits += this.distanceFrequencies[code] * DISTANCE_EXTRA[code];
        return bits;
    }

    private sendSymbols(literalLengths: Uint8Array, distanceLengths: Uint8Array): void {
        const out = this.out;
        const literalCodes = canonicalCodes(literalLengths);
        const distanceCodes = canonicalCodes(distanceLengths);
        for (let i = 0; i < this.symbols; i++) {
            const distance = this.distances[i];
            if (distance === 0) {
                const byte = this.literalOrLength[i];
                out.bits(literalCodes[byte], literalLengths[byte]);
                continue;
            }
            const lengthOffset = this.literalOrLength[i];
            const lengthCode = LENGTH_CODE[lengthOffset];
            out.bits(literalCodes[257 + lengthCode], literalLengths[257 + lengthCode]);
            if (LENGTH_EXTRA[lengthCode] > 0)
                out.bits(lengthOffset + MIN_MATCH - LENGTH_BASE[lengthCode], LENGTH_EXTRA[lengthCode]);
            const distanceCode = DISTANCE_CODE[distance - 1];
            out.bits(distanceCodes[distanceCode], distanceLengths[distanceCode]);
            if (DISTANCE_EXTRA[distanceCode] > 0)
                out.bits(distance - DISTANCE_BASE[distanceCode], DISTANCE_EXTRA[distanceCode]);
        }
        out.bits(literalCodes[END_OF_BLOCK], literalLengths[END_OF_BLOCK]);
    }
}

function cost(frequencies: Uint32Array, lengths: Uint8Array): number {
    let bits = 0;
    for (let symbol = 0; symbol < frequencies.length; symbol++) bits += frequencies[symbol] * lengths[symbol];
    return bits;
}

/**
 * Huffman code lengths for `frequencies`, none longer than `maxBits`. Ties between equal weights go
 * to the shallower subtree (which keeps trees flat, as zlib does). At least two symbols get a code,
 * as zlib gives them: a lone code would be one bit anyway, and inflaters want a complete code.
 */
export function codeLengths(frequencies: Uint32Array, maxBits: number): Uint8Array {
    const symbols = frequencies.length;
    const lengths = new Uint8Array(symbols);
    const weights: number[] = [];
    const depths: number[] = [];
    const parents: number[] = [];
    const leaves: number[] = [];
    let maxCode = -1;
    for (let symbol = 0; symbol < symbols; symbol++)
        if (frequencies[symbol] > 0) {
            leaves.push(symbol);
            maxCode = symbol;
        }
    while (leaves.length < 2) {
        // zlib's stand-ins for a missing code: the next symbols above the highest, or symbol 0
        const stand = maxCode < 2 ? ++maxCode : 0;
        if (!leaves.includes(stand)) leaves.push(stand);
    }
    if (leaves.length === 2) {
        for (const leaf of leaves) lengths[leaf] = 1;
        return lengths;
    }
    // Nodes 0…k−1 are the leaves (in symbol order), later ones the merged subtrees.
    for (const leaf of leaves) {
        weights.push(Math.max(1, frequencies[leaf]));
        depths.push(0);
        parents.push(-1);
    }
    const lighter = (a: number, b: number) =>
        weights[a] < weights[b] || (weights[a] === weights[b] && depths[a] <= depths[b]);
    const heap = new MinHeap(lighter);
    for (let node = 0; node < leaves.length; node++) heap.push(node);
    while (heap.size > 1) {
        const a = heap.pop(),
            b = heap.pop();
        const node = weights.length;
        weights.push(weights[a] + weights[b]);
        depths.push(Math.max(depths[a], depths[b]) + 1);
        parents.push(-1);
        parents[a] = node;
        parents[b] = node;
        heap.push(node);
    }
    // Depth of each node, from the root (the last node) down: parents always come after children.
    const depth = new Array<number>(weights.length).fill(0);
    for (let node = weights.length - 2; node >= 0; node--) depth[node] = depth[parents[node]] + 1;
    let tooLong = false;
    for (let node = 0; node < leaves.length; node++) {
        lengths[leaves[node]] = Math.min(depth[node], maxBits);
        if (depth[node] > maxBits) tooLong = true;
    }
    if (tooLong) limitLengths(lengths, leaves, frequencies, maxBits);
    return lengths;
}

/**
 * Makes clamped lengths a complete prefix code again: each step moves one code from the deepest level
 * below `maxBits` one level down and lifts one `maxBits` code up beside it (the Kraft sum drops by one
 * unit of 2^−maxBits), then hands the lengths back out, shortest to the most frequent.
 */
function limitLengths(lengths: Uint8Array, leaves: number[], frequencies: Uint32Array, maxBits: number): void {
    const count = new Array<number>(maxBits + 1).fill(0);
    for (const leaf of leaves) count[lengths[leaf]]++;
    let kraft = 0;
    for (let bits = 1; bits <= maxBits; bits++) kraft += count[bits] * 2 ** (maxBits - bits);
    while (kraft > 2 ** maxBits) {
        let bits = maxBits - 1;
        while (count[bits] === 0) bits--;
        count[bits]--;
        count[bits + 1] += 2;
        count[maxBits]--;
        kraft--;
    }
    const byWeight = [...leaves].sort((a, b) => frequencies[b] - frequencies[a] || a - b);
    let next = 0;
    for (let bits = 1; bits <= maxBits; bits++) for (let k = 0; k < count[bits]; k++) lengths[byWeight[next++]] = bits;
}

class MinHeap {
    private readonly items: number[] = [];

    constructor(private readonly lighter: (a: number, b: number) => boolean) {}

    get size(): number {
        return this.items.length;
    }

    push(item: number): void {
        const items = this.items;
        let index = items.push(item) - 1;
        while (index > 0) {
            const parent = (index - 1) >> 1;
            if (this.lighter(items[parent], items[index])) break;
            [items[parent], items[index]] = [items[index], items[parent]];
            index = parent;
        }
    }

    pop(): number {
        const items = this.items;
        const top = items[0];
        const last = items.pop()!;
        if (items.length > 0) {
            items[0] = last;
            let index = 0;
            for (;;) {
                const left = 2 * index + 1;
                if (left >= items.length) break;
                const right = left + 1;
                const child = right < items.length && this.lighter(items[right], items[left]) ? right : left;
                if (this.lighter(items[index], items[child])) break;
                [items[index], items[child]] = [items[child], items[index]];
                index = child;
            }
        }
        return top;
    }
}

/** Canonical codes (RFC 1951 §3.2.2), bit-reversed so they can be sent least significant bit first. */
function canonicalCodes(lengths: Uint8Array): Uint16Array {
    const count = new Uint16Array(MAX_BITS + 1);
    for (const length of lengths) if (length > 0) count[length]++;
    const next = new Uint16Array(MAX_BITS + 1);
    for (let bits = 1, code = 0; bits <= MAX_BITS; bits++) {
        code = (code + count[bits - 1]) << 1; // count[0] stays 0: unused symbols take no code
        next[bits] = code;
    }
    const codes = new Uint16Array(lengths.length);
    for (let symbol = 0; symbol < lengths.length; symbol++) {
        const length = lengths[symbol];
        if (length === 0) continue;
        let code = next[length]++;
        let reversed = 0;
        for (let bit = 0; bit < length; bit++) {
            reversed = (reversed << 1) | (code & 1);
            code >>= 1;
        }
        codes[symbol] = reversed;
    }
    return codes;
}

/** A run-length coded code length (RFC 1951 §3.2.7): 0…15 itself, 16 repeat, 17/18 zeros, with extra bits. */
interface LengthSymbol {
    symbol: number;
    extra: number;
    extraBits: number;
}

/**
 * The code lengths of one alphabet, run-length coded with zlib's policy: a run of a non-zero length
 * sends the length once and then repeats of 3–6 (16); zeros go in runs of 3–10 (17) or 11–138 (18);
 * shorter runs are sent as they are.
 */
function runLengths(lengths: Uint8Array, used: number, out: LengthSymbol[]): void {
    let previous = -1;
    let next = lengths[0];
    let run = 0;
    let maxRun = next === 0 ? 138 : 7;
    let minRun = next === 0 ? 3 : 4;
    for (let n = 0; n < used; n++) {
        const current = next;
        next = n + 1 < used ? lengths[n + 1] : -1;
        if (++run < maxRun && current === next) continue;
        if (run < minRun) {
            for (let k = 0; k < run; k++) out.push({ symbol: current, extra: 0, extraBits: 0 });
        } else if (current !== 0) {
            if (current !== previous) {
                out.push({ symbol: current, extra: 0, extraBits: 0 });
                run--;
            }
            out.push({ symbol: 16, extra: run - 3, extraBits: 2 });
        } else if (run <= 10) {
            out.push({ symbol: 17, extra: run - 3, extraBits: 3 });
        } else {
            out.push({ symbol: 18, extra: run - 11, extraBits: 7 });
        }
        run = 0;
        previous = current;
        if (next === 0) {
            maxRun = 138;
            minRun = 3;
        } else if (current === next) {
            maxRun = 6;
            minRun = 3;
        } else {
            maxRun = 7;
            minRun = 4;
        }
    }
}

/** A dynamic block's header (HLIT, HDIST, HCLEN and the coded code lengths): its size and its writer. */
function dynamicHeader(
    literalLengths: Uint8Array,
    distanceLengths: Uint8Array
): { bits: number; send: (out: BitWriter) => void } {
    const literalsUsed = lastUsed(literalLengths, 257);
    const distancesUsed = lastUsed(distanceLengths, 1);
    const symbols: LengthSymbol[] = [];
    runLengths(literalLengths, literalsUsed, symbols);
    runLengths(distanceLengths, distancesUsed, symbols);
    const frequencies = new Uint32Array(19);
    for (const { symbol } of symbols) frequencies[symbol]++;
    const lengthLengths = codeLengths(frequencies, MAX_LENGTH_CODE_BITS);
    let lengthCodesUsed = 19;
    while (lengthCodesUsed > 4 && lengthLengths[LENGTH_CODE_ORDER[lengthCodesUsed - 1]] === 0) lengthCodesUsed--;
    let bits = 5 + 5 + 4 + 3 * lengthCodesUsed;
    for (const { symbol, extraBits } of symbols) bits += lengthLengths[symbol] + extraBits;
    return {
        bits,
        send(out) {
            out.bits(literalsUsed - 257, 5);
            out.bits(distancesUsed - 1, 5);
            out.bits(lengthCodesUsed - 4, 4);
            for (let i = 0; i < lengthCodesUsed; i++) out.bits(lengthLengths[LENGTH_CODE_ORDER[i]], 3);
            const codes = canonicalCodes(lengthLengths);
            for (const { symbol, extra, extraBits } of symbols) {
                out.bits(codes[symbol], lengthLengths[symbol]);
                if (extraBits > 0) out.bits(extra, extraBits);
            }
        }
    };
}

/** How many symbols of an alphabet the header must list: up to the last with a code, at least `minimum`. */
function lastUsed(lengths: Uint8Array, minimum: number): number {
    let used = lengths.length;
    while (used > minimum && lengths[used - 1] === 0) used--;
    return used;
}
