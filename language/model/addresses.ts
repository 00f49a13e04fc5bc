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
