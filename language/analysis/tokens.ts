// Token sizes, computed rather than guessed (DOMAIN.md §3).
// - UUID: 32 hex characters [KS-OLD].
// - Fernet: base64url(version 1 B, timestamp 8 B, IV 16 B, AES-CBC ciphertext of the msgpack payload
//   padded to 16-byte blocks, HMAC 32 B) [FERNET], padding stripped as Keystone does [KS-FMT].
// - PKI / PKIZ: the whole v3 token body, service catalog included, in a CMS SignedData envelope;
//   PKI is base64, PKIZ is "PKIZ_" + base64url(zlib(DER)) [KS-FAQ], [KS-OLD]. The catalog is the one
//   the topology implies: each service × each region it runs in × each interface.

import { createHash } from 'node:crypto';
import { deflateSync } from 'node:zlib';
import type { TokenFormat, TopologyModel } from '../model/model.js';

/**
 * msgpack size of Keystone's project-scoped Fernet payload: [version, user_id, methods, project_id,
 * expires_at, audit_ids], UUID ids packed as (True, 16 bytes), one 16-byte audit id:
 * 1 + 1 + 20 + 1 + 20 + 9 + 19 bytes.
 */
export const FERNET_PROJECT_SCOPED_PAYLOAD = 71;

/**
 * What the CMS envelope adds to the signed content: SignedData wrappers, the SHA-256 algorithm ids,
 * the signer's issuer and serial, and a 2048-bit RSA signature, signed with `-nocerts -noattr`.
 * An estimate (UNSOURCED: measured on the structure, not taken from Keystone's docs).
 */
export const CMS_ENVELOPE_BYTES = 470;

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

/** A stable 32-hex id, so the same model always gives the same sizes. */
function hexId(seed: string): string {
    return createHash('sha256').update(seed).digest('hex').slice(0, 32);
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

/** The v3 token body (what `GET /v3/auth/tokens` returns), as Keystone would serialise it. */
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
            const content = Buffer.byteLength(tokenBodyJson(catalog, withCatalog));
            const der = content + CMS_ENVELOPE_BYTES;
            if (format === 'pki')
                return { format, bytes: Math.ceil(der / 3) * 4, catalogEndpoints: withCatalog ? catalog.length : 0 };
            // The signature and ids do not compress: only the JSON content goes through zlib's estimate.
            const compressed =
                deflateSync(Buffer.from(tokenBodyJson(catalog, withCatalog))).length + CMS_ENVELOPE_BYTES;
            return {
                format,
                bytes: 'PKIZ_'.length + Math.ceil((compressed * 4) / 3),
                catalogEndpoints: withCatalog ? catalog.length : 0
            };
        }
    }
}
