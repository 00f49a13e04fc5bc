// Token sizes: Fernet from its byte layout against a real Fernet token built here with Node's
// crypto, UUID exactly 32, PKI/PKIZ growing with the catalog the topology implies.

import { createCipheriv, createHmac, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { FERNET_PROJECT_SCOPED_PAYLOAD, fernetTokenLength, tokenSize } from '../language/analysis/tokens.js';
import { buildModel } from '../language/model/build-model.js';
import { check } from './helpers.js';

/** A Fernet token per the spec: version 0x80, timestamp, IV, AES-128-CBC ciphertext, HMAC-SHA256. */
function realFernetToken(payload: Buffer): string {
    const signingKey = randomBytes(16),
        encryptionKey = randomBytes(16),
        iv = randomBytes(16);
    const cipher = createCipheriv('aes-128-cbc', encryptionKey, iv);
    const ciphertext = Buffer.concat([cipher.update(payload), cipher.final()]);
    const timestamp = Buffer.alloc(8);
    timestamp.writeBigUInt64BE(BigInt(Math.floor(Date.now() / 1000)));
    const signed = Buffer.concat([Buffer.from([0x80]), timestamp, iv, ciphertext]);
    const hmac = createHmac('sha256', signingKey).update(signed).digest();
    return Buffer.concat([signed, hmac]).toString('base64url'); // Keystone strips the '=' padding
}

/** Keystone's project-scoped payload, msgpack by hand: [2, (True, uuid), 1, (True, uuid), expires, [audit]]. */
function keystonePayload(): Buffer {
    const uuidBin = () => Buffer.concat([Buffer.from([0x92, 0xc3, 0xc4, 16]), randomBytes(16)]);
    const expires = Buffer.alloc(9);
    expires[0] = 0xcb;
    expires.writeDoubleBE(Date.now() / 1000 + 3600, 1);
    const audit = Buffer.concat([Buffer.from([0x91, 0xc4, 16]), randomBytes(16)]);
    return Buffer.concat([Buffer.from([0x96, 0x02]), uuidBin(), Buffer.from([0x01]), uuidBin(), expires, audit]);
}

describe('token sizes', () => {
    it('models the msgpack payload of a project-scoped Keystone token', () => {
        expect(keystonePayload().length).toBe(FERNET_PROJECT_SCOPED_PAYLOAD);
    });

    it('computes a Fernet token within a few bytes of a real one with the same payload', () => {
        for (const payloadBytes of [FERNET_PROJECT_SCOPED_PAYLOAD, 15, 16, 100, 200]) {
            const payload =
                payloadBytes === FERNET_PROJECT_SCOPED_PAYLOAD ? keystonePayload() : randomBytes(payloadBytes);
            expect(Math.abs(fernetTokenLength(payload.length) - realFernetToken(payload).length)).toBeLessThanOrEqual(
                2
            );
        }
        expect(fernetTokenLength()).toBeLessThan(250); // "kept under a 250 byte limit" [KS-FAQ]
    });

    it('grows PKI and PKIZ with the implied catalog, PKIZ far smaller than PKI', async () => {
        const sizes = [];
        for (const regions of [1, 5, 10]) {
            const model = buildModel([await check(estate(regions, 8))]);
            sizes.push({
                pki: tokenSize('pki', model).bytes,
                pkiz: tokenSize('pkiz', model),
                uuid: tokenSize('uuid', model).bytes
            });
        }
        expect(sizes.map(s => s.uuid)).toEqual([32, 32, 32]);
        expect(sizes[0].pki).toBeGreaterThan(1600); // "typically exceed 1600 bytes" [KS-FAQ]
        expect(sizes[1].pki).toBeGreaterThan(sizes[0].pki * 3);
        expect(sizes[2].pkiz.catalogEndpoints).toBe(8 * 10 * 3);
        expect(sizes[2].pkiz.bytes).toBeGreaterThan(8192);
        expect(sizes[2].pkiz.bytes).toBeLessThan(sizes[2].pki / 2);
    });
});

/** `services` services with API nodes in each of `regions` regions. */
function estate(regions: number, services: number): string {
    const lines: string[] = [];
    for (let r = 1; r <= regions; r++) lines.push(`region region${r} { host api${r} 10.${r}.0.1 }`);
    const nodes = Array.from({ length: regions }, (_, r) => `api${r + 1}`).join(', ');
    const kinds = ['keystone', 'nova', 'glance', 'neutron', 'cinder', 'placement', 'heat', 'barbican'];
    for (let s = 0; s < services; s++)
        lines.push(
            `service ${kinds[s % kinds.length]}${s} kind ${kinds[s % kinds.length]} port ${9000 + s} { nodes ${nodes} }`
        );
    return lines.join('\n');
}
