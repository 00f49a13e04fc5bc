// "Did you mean …?": the names closest to a misspelt one, by edit distance (insertions,
// deletions, substitutions and swaps of neighbours), with `_`/`-` and case counted as one word.

/** Damerau–Levenshtein distance (optimal string alignment), cut off above `limit`. */
export function editDistance(a: string, b: string, limit = Infinity): number {
    if (Math.abs(a.length - b.length) > limit) return limit + 1;
    const rows = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array<number>(b.length).fill(0)]);
    for (let j = 1; j <= b.length; j++) rows[0][j] = j;
    for (let i = 1; i <= a.length; i++) {
        for (let j = 1; j <= b.length; j++) {
            const cost = a[i - 1] === b[j - 1] ? 0 : 1;
            let best = Math.min(rows[i - 1][j] + 1, rows[i][j - 1] + 1, rows[i - 1][j - 1] + cost);
            if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
                best = Math.min(best, rows[i - 2][j - 2] + 1);
            rows[i][j] = best;
        }
    }
    return rows[a.length][b.length];
}

const fold = (name: string) => name.toLowerCase().replaceAll('_', '-');

/**
 * Up to `max` candidates within a third of the word's length (at least 1, at most 3 edits),
 * nearest first, ties in the candidates' order. Exact matches are not suggestions.
 */
export function nearestNames(word: string, candidates: Iterable<string>, max = 3): string[] {
    const limit = Math.min(3, Math.max(1, Math.floor(word.length / 3)));
    const scored: Array<{ name: string; distance: number; order: number }> = [];
    let order = 0;
    for (const name of new Set(candidates)) {
        if (name === word) continue;
        const distance = fold(name) === fold(word) ? 0.5 : editDistance(fold(word), fold(name), limit);
        if (distance <= limit) scored.push({ name, distance, order: order++ });
    }
    return scored
        .sort((a, b) => a.distance - b.distance || a.order - b.order)
        .slice(0, max)
        .map(entry => entry.name);
}

/** "api2", "api2 or api3", "api1, api2 or api3". */
export function orList(names: readonly string[]): string {
    return names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} or ${names.at(-1)}`;
}
