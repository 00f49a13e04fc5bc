// IPv4 addresses and subnets as 32-bit numbers, so containment is arithmetic.

export interface Subnet {
    text: string;
    base: number;
    prefix: number;
}

/** Undefined for anything that is not a dotted quad, including text the parser could not recover. */
export function parseIpv4(text: string | undefined): number | undefined {
    if (typeof text !== 'string') return undefined;
    const parts = text.split('.');
    if (parts.length !== 4) return undefined;
    let value = 0;
    for (const part of parts) {
        const octet = Number(part);
        if (!/^\d{1,3}$/.test(part) || octet > 255) return undefined;
        value = value * 256 + octet;
    }
    return value;
}

export function parseSubnet(text: string | undefined): Subnet | undefined {
    if (typeof text !== 'string') return undefined;
    const [address, prefixText] = text.split('/');
    const base = parseIpv4(address);
    const prefix = Number(prefixText);
    if (base === undefined || !Number.isInteger(prefix) || prefix < 0 || prefix > 32) return undefined;
    return { text, base: base - (base % 2 ** (32 - prefix)), prefix };
}

export function subnetContains(subnet: Subnet, address: number): boolean {
    const size = 2 ** (32 - subnet.prefix);
    return address >= subnet.base && address < subnet.base + size;
}

export function formatIpv4(value: number): string {
    return [24, 16, 8, 0].map(shift => Math.floor(value / 2 ** shift) % 256).join('.');
}

/**
 * Addresses and subnets as one list for a firewall set: each as `a.b.c.d` or `a.b.c.d/n` with the
 * host bits cleared, sorted, without duplicates, and without any entry that lies inside another
 * (nft refuses overlapping intervals in one set).
 */
export function addressSet(entries: ReadonlyArray<{ base: number; prefix: number }>): string[] {
    const intervals = entries
        .map(({ base, prefix }) => {
            const size = 2 ** (32 - prefix);
            const start = base - (base % size);
            return { start, end: start + size - 1, prefix };
        })
        .sort((a, b) => a.start - b.start || b.end - a.end);
    const kept: typeof intervals = [];
    for (const interval of intervals) {
        const last = kept[kept.length - 1];
        if (last && interval.start >= last.start && interval.end <= last.end) continue;
        kept.push(interval);
    }
    return kept.map(({ start, prefix }) => (prefix === 32 ? formatIpv4(start) : `${formatIpv4(start)}/${prefix}`));
}
