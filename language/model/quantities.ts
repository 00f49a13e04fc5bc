// Units of the language, normalised once so rules compare plain numbers:
// durations in seconds, sizes in bytes, availability as a fraction, rates per second.

export type QuantityKind = 'duration' | 'size' | 'percent' | 'rate';

const UNITS: Record<string, { kind: QuantityKind; factor: number }> = {
    ms: { kind: 'duration', factor: 0.001 },
    s: { kind: 'duration', factor: 1 },
    m: { kind: 'duration', factor: 60 },
    h: { kind: 'duration', factor: 3600 },
    d: { kind: 'duration', factor: 86400 },
    B: { kind: 'size', factor: 1 },
    k: { kind: 'size', factor: 1024 },
    KiB: { kind: 'size', factor: 1024 },
    M: { kind: 'size', factor: 1024 ** 2 },
    MiB: { kind: 'size', factor: 1024 ** 2 },
    G: { kind: 'size', factor: 1024 ** 3 },
    GiB: { kind: 'size', factor: 1024 ** 3 },
    '%': { kind: 'percent', factor: 0.01 },
    '/s': { kind: 'rate', factor: 1 }
};

export type QuantityResult = { ok: true; value: number } | { ok: false; error: string };

/** Reads `24h`, `8k`, `99.95%`, `100/s` as the expected kind; a bare number is taken as the base unit. */
export function readQuantity(text: string | number, expected: QuantityKind): QuantityResult {
    if (typeof text === 'number') return { ok: true, value: text };
    const match = /^(\d+(?:\.\d+)?)(.*)$/.exec(text);
    if (!match) return { ok: false, error: `'${text}' is not a number with a unit` };
    const unit = match[2];
    if (unit === '') return { ok: true, value: Number(match[1]) };
    const known = UNITS[unit];
    if (!known || known.kind !== expected) {
        return { ok: false, error: `'${text}' is not a ${expected} (${unitsOf(expected)})` };
    }
    // A percentage is read as the decimal it is written as (99.9% is 0.999, not 0.9990000000000001).
    if (known.kind === 'percent') return { ok: true, value: Number(`${match[1]}e-2`) };
    return { ok: true, value: Number(match[1]) * known.factor };
}

function unitsOf(kind: QuantityKind): string {
    return Object.entries(UNITS)
        .filter(([, u]) => u.kind === kind)
        .map(([name]) => name)
        .join(', ');
}
