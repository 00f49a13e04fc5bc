// Token sizes, computed rather than guessed (DOMAIN.md §3).
// - UUID: 32 hex characters [KS-OLD].
// - Fernet: base64url(version 1 B, timestamp 8 B, IV 16 B, AES-CBC ciphertext of the msgpack payload
//   padded to 16-byte blocks, HMAC 32 B) [FERNET], padding stripped as Keystone does [KS-FMT].
// - PKI / PKIZ: the whole v3 token body, service catalog included, signed into a CMS SignedData
//   (built as real DER in cms.ts) [KS-FAQ], [KS-OLD]. PKI is the PEM's base64 with its armour and
//   newlines dropped and '/' turned into '-' (keystoneclient's cms_to_token); PKIZ is "PKIZ_" +
//   base64url(zlib level 6 of the DER), '=' padding kept (its pkiz_sign, urlsafe_b64encode) [KS-CMS],
//   with stock zlib's packing (deflate.ts). The catalog is the one the topology implies: each service ×
//   each region it runs in × each interface. Measured against real tokens (openssl cms + stock zlib)
//   in test/tokens.test.ts; what stays a model is the token body itself (ids, names, which fields).

import type { TokenFormat, TopologyModel } from '../model/model.js';
import { signedDataDer } from './cms.js';
import { zlibCompress } from './deflate.js';

/**
 * msgpack size of Keystone's project-scoped Fernet payload: [version, user_id, methods, project_id,
 * expires_at, audit_ids], UUID ids packed as (True, 16 bytes), one 16-byte audit id:
 * 1 + 1 + 20 + 1 + 20 + 9 + 19 bytes.
 */
export const FERNET_PROJECT_SCOPED_PAYLOAD = 71;

export function fernetTokenLength(payloadBytes = FERNET_PROJECT_SCOPED_PAYLOAD): number {
    const ciphertext = 16 * (Math.floor(payloadBytes / 16) + 1); // PKCS#7 always pads
    const raw = 1 + 8 + 16 + ciphertext + 32;
    return Math.ceil((raw * 4) / 3); // base64url without '=' padding
}

export interface CatalogEndpoint {
    service: string;
    type: string;
    region: string;
    interface: string;
    url: string;
}

/** The service catalog that the topology implies. */
export function impliedCatalog(model: TopologyModel): CatalogEndpoint[] {
    const endpoints: CatalogEndpoint[] = [];
    for (const service of model.services) {
        const regions = [...new Set(service.nodes.map(node => node.region))];
        for (const region of regions) {
            const vip = service.frontends.find(frontend =>
                frontend.members.some(member => member.host.region === region)
            );
            const address = vip?.address ?? service.nodes.find(node => node.region === region)!.address;
            for (const iface of service.interfaces) {
                endpoints.push({
                    service: service.name,
                    type: SERVICE_TYPES[service.serviceKind] ?? service.serviceKind,
                    region: region.name,
                    interface: iface,
                    url: `http://${address}:${service.port}${SERVICE_PATHS[service.serviceKind] ?? '/'}`
                });
            }
        }
    }
    return endpoints;
}

const SERVICE_TYPES: Record<string, string> = {
    keystone: 'identity',
    barbican: 'key-manager',
    nova: 'compute',
    glance: 'image',
    neutron: 'network',
    cinder: 'volumev3',
    placement: 'placement',
    heat: 'orchestration',
    swift: 'object-store',
    horizon: 'dashboard'
};
const SERVICE_PATHS: Record<string, string> = {
    keystone: '/v3',
    nova: '/v2.1',
    cinder: '/v3/%(project_id)s',
    swift: '/v1/AUTH_%(project_id)s'
};

/**
 * A stable 32-hex id, so the same model always gives the same sizes: it only has to look like
 * Keystone's uuid4 hex (random to a compressor). Four FNV-1a lanes with their own offsets, each
 * finished with murmur3's avalanche and crossed with the others.
 */
function hexId(seed: string): string {
    const bytes = new TextEncoder().encode(seed);
    const lanes = [0x811c9dc5, 0x2f2b3c17, 0x6a09e667, 0x9e3779b9];
    for (let lane = 0; lane < lanes.length; lane++) {
        let hash = lanes[lane];
        for (const byte of bytes) hash = Math.imul(hash ^ byte, 0x01000193);
        lanes[lane] = avalanche(hash ^ bytes.length);
    }
    return lanes
        .map((hash, lane) => (avalanche(hash ^ lanes[(lane + 1) % 4]) >>> 0).toString(16).padStart(8, '0'))
        .join('');
}

function avalanche(hash: number): number {
    hash = Math.imul(hash ^ (hash >>> 16), 0x85ebca6b);
    hash = Math.imul(hash ^ (hash >>> 13), 0xc2b2ae35);
    return hash ^ (hash >>> 16);
}

/** The UTF-8 size of `text` (what goes on the wire), without encoding it; lone surrogates count as U+FFFD. */
export function utf8Length(text: string): number {
    let bytes = 0;
    for (let i = 0; i < text.length; i++) {
        const unit = text.charCodeAt(i);
        if (unit < 0x80) bytes += 1;
        else if (unit < 0x800) bytes += 2;
        else if (unit >= 0xd800 && unit < 0xdc00 && i + 1 < text.length) {
            const low = text.charCodeAt(i + 1);
            if (low >= 0xdc00 && low < 0xe000) {
                bytes += 4;
                i++;
            } else bytes += 3;
        } else bytes += 3;
    }
    return bytes;
}

/** Characters of the base64 of `bytes` bytes, '=' padding included (RFC 4648 §4, §5). */
export function base64Length(bytes: number): number {
    return Math.ceil(bytes / 3) * 4;
}

/** The v3 catalog as JSON: what a PKI token embeds and what X-Service-Catalog carries [KSM]. */
export function catalogJson(catalog: readonly CatalogEndpoint[]): string {
    return JSON.stringify(catalogEntries(catalog));
}

function catalogEntries(catalog: readonly CatalogEndpoint[]): object[] {
    const services = new Map<string, { endpoints: object[]; id: string; type: string; name: string }>();
    for (const endpoint of catalog) {
        const entry = services.get(endpoint.service) ?? {
            endpoints: [],
            id: hexId(`service:${endpoint.service}`),
            type: endpoint.type,
            name: endpoint.service
        };
        entry.endpoints.push({
            id: hexId(`endpoint:${endpoint.service}:${endpoint.region}:${endpoint.interface}`),
            interface: endpoint.interface,
            region: endpoint.region,
            region_id: endpoint.region,
            url: endpoint.url
        });
        services.set(endpoint.service, entry);
    }
    return [...services.values()];
}

/**
 * The v3 token body (what `GET /v3/auth/tokens` returns), serialised as Keystone signed it: compact,
 * with its PKIEncoder's ',' and ':' separators [KS-PKI].
 */
export function tokenBodyJson(catalog: readonly CatalogEndpoint[], withCatalog: boolean): string {
    const domain = { id: 'default', name: 'Default' };
    return JSON.stringify({
        token: {
            methods: ['password'],
            user: { domain, id: hexId('user'), name: 'admin', password_expires_at: null },
            audit_ids: ['3T2dc1CGQxyJsHdDu1xkcw'],
            expires_at: '2026-01-02T00:00:00.000000Z',
            project: { domain, id: hexId('project'), name: 'admin' },
            is_domain: false,
            ...(withCatalog ? { catalog: catalogEntries(catalog) } : {}),
            roles: [
                { id: hexId('role:admin'), name: 'admin' },
                { id: hexId('role:member'), name: 'member' }
            ],
            issued_at: '2026-01-01T00:00:00.000000Z'
        }
    });
}

export interface TokenSize {
    format: TokenFormat;
    bytes: number;
    catalogEndpoints: number;
}

export interface SignedTokenSizes {
    /** The CMS SignedData DER of the token body. */
    der: number;
    /** zlib level 6 of the DER. */
    compressed: number;
    pki: number;
    pkiz: number;
}

const PKIZ_PREFIX = 'PKIZ_';
const signedSizes = new Map<string, SignedTokenSizes>();
const SIGNED_SIZES_KEPT = 16;

/** PKI and PKIZ sizes of a token body, as keystoneclient's cms_sign_token / pkiz_sign would make them. */
export function signedTokenSizes(bodyJson: string): SignedTokenSizes {
    const known = signedSizes.get(bodyJson);
    if (known) return known;
    // Compressing ~35 KB runs on every edit of a PKI-family topology: keep the last few bodies.
    const der = signedDataDer(new TextEncoder().encode(bodyJson));
    const compressed = zlibCompress(der).length;
    const sizes = {
        der: der.length,
        compressed,
        pki: base64Length(der.length),
        pkiz: PKIZ_PREFIX.length + base64Length(compressed)
    };
    if (signedSizes.size >= SIGNED_SIZES_KEPT) signedSizes.delete(signedSizes.keys().next().value!);
    signedSizes.set(bodyJson, sizes);
    return sizes;
}

export function tokenSize(format: TokenFormat, model: TopologyModel, nocatalog = false): TokenSize {
    switch (format) {
        case 'uuid':
            return { format, bytes: 32, catalogEndpoints: 0 };
        case 'fernet':
            return { format, bytes: fernetTokenLength(), catalogEndpoints: 0 };
        case 'pki':
        case 'pkiz': {
            // Only the PKI family carries the catalog: build it only for them.
            const catalog = impliedCatalog(model);
            const withCatalog = !nocatalog;
            const sizes = signedTokenSizes(tokenBodyJson(catalog, withCatalog));
            return { format, bytes: sizes[format], catalogEndpoints: withCatalog ? catalog.length : 0 };
        }
    }
}
