// The CMS SignedData that Keystone's PKI and PKIZ tokens are, as DER, so that a token's size is
// measured on the real structure rather than estimated. keystoneclient's `cms_sign_data` ran
// `openssl cms -sign -nosmimecap -nodetach -nocerts -noattr -md sha256` ([KS-CMS]); that writes
// (checked with `openssl asn1parse -inform DER` on OpenSSL 3.0):
//
//   ContentInfo SEQUENCE { OID signedData, [0] {
//     SignedData SEQUENCE { INTEGER 1, SET { SEQUENCE { OID sha256 } },     -- no NULL parameters
//       SEQUENCE { OID data, [0] { OCTET STRING content } },                -- the token JSON, one piece
//       SET { SignerInfo SEQUENCE { INTEGER 1,                              -- no certificates (-nocerts)
//         IssuerAndSerialNumber SEQUENCE { Name, INTEGER serial },
//         SEQUENCE { OID sha256 },                                          -- no signed attributes (-noattr)
//         SEQUENCE { OID rsaEncryption, NULL },
//         OCTET STRING signature } } } } }                                  -- 256 bytes for RSA-2048
//
// Definite lengths, in the shortest form (0x81 xx, 0x82 xx xx … when over 127). The signer is the
// certificate `keystone-manage pki_setup` made by default: issuer
// /C=US/ST=Unset/L=Unset/O=Unset/CN=www.example.com (`[signing] cert_subject`, C printable, the rest
// UTF8String under its `string_mask = utf8only`), serial 01 (the first certificate of its `serial`
// file), a 2048-bit key (`key_size`) [KS-PKI]. A signature is incompressible: it is stood in for by
// seeded pseudo-random bytes, so one model always gives one size.

const SIGNATURE_BYTES = 256;
const SIGNATURE_SEED = 0x5eed2048;

const OID_SIGNED_DATA = [0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x02]; // 1.2.840.113549.1.7.2
const OID_DATA = [0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x01]; // 1.2.840.113549.1.7.1
const OID_SHA256 = [0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01]; // 2.16.840.1.101.3.4.2.1
const OID_RSA_ENCRYPTION = [0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01]; // 1.2.840.113549.1.1.1

const SEQUENCE = 0x30,
    SET = 0x31,
    INTEGER = 0x02,
    OCTET_STRING = 0x04,
    NULL = 0x05,
    OBJECT_ID = 0x06,
    UTF8_STRING = 0x0c,
    PRINTABLE_STRING = 0x13,
    CONTEXT_0 = 0xa0;

/** X.520 attribute types of a distinguished name: 2.5.4.n. */
const ATTRIBUTE_TYPE = { C: 6, ST: 8, L: 7, O: 10, CN: 3 } as const;

export interface Signer {
    /** The issuer of the signing certificate, in order: [type, value]. */
    issuer: readonly (readonly [keyof typeof ATTRIBUTE_TYPE, string])[];
    serial: number;
}

/** What `keystone-manage pki_setup` produced with its defaults [KS-PKI]. */
export const KEYSTONE_PKI_SETUP_SIGNER: Signer = {
    issuer: [
        ['C', 'US'],
        ['ST', 'Unset'],
        ['L', 'Unset'],
        ['O', 'Unset'],
        ['CN', 'www.example.com']
    ],
    serial: 1
};

/** The DER of `content` signed as `openssl cms -sign -nosmimecap -nodetach -nocerts -noattr -md sha256`. */
export function signedDataDer(content: Uint8Array, signer: Signer = KEYSTONE_PKI_SETUP_SIGNER): Uint8Array {
    const sha256 = tlv(SEQUENCE, tlv(OBJECT_ID, OID_SHA256));
    const signerInfo = tlv(
        SEQUENCE,
        tlv(INTEGER, [1]),
        tlv(SEQUENCE, distinguishedName(signer), integer(signer.serial)),
        sha256,
        tlv(SEQUENCE, tlv(OBJECT_ID, OID_RSA_ENCRYPTION), tlv(NULL)),
        tlv(OCTET_STRING, standInSignature())
    );
    const signedData = tlv(
        SEQUENCE,
        tlv(INTEGER, [1]),
        tlv(SET, sha256),
        tlv(SEQUENCE, tlv(OBJECT_ID, OID_DATA), tlv(CONTEXT_0, tlv(OCTET_STRING, content))),
        tlv(SET, signerInfo)
    );
    return tlv(SEQUENCE, tlv(OBJECT_ID, OID_SIGNED_DATA), tlv(CONTEXT_0, signedData));
}

type Bytes = ArrayLike<number>;

/** Tag, length (short form below 128, else 0x80 + the count of length bytes, big-endian), value. */
function tlv(tag: number, ...parts: Bytes[]): Uint8Array {
    const length = parts.reduce((sum, part) => sum + part.length, 0);
    const header = [tag, ...lengthBytes(length)];
    const out = new Uint8Array(header.length + length);
    out.set(header);
    let offset = header.length;
    for (const part of parts) {
        out.set(part, offset);
        offset += part.length;
    }
    return out;
}

function lengthBytes(length: number): number[] {
    if (length < 0x80) return [length];
    const bytes: number[] = [];
    for (let rest = length; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest & 0xff);
    return [0x80 | bytes.length, ...bytes];
}

/** A non-negative INTEGER: big-endian, a leading 0 when the top bit is set. */
function integer(value: number): Uint8Array {
    const bytes: number[] = [];
    for (let rest = value; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest & 0xff);
    if (bytes.length === 0 || bytes[0] & 0x80) bytes.unshift(0);
    return tlv(INTEGER, bytes);
}

/** Name ::= SEQUENCE OF SET { SEQUENCE { type, value } }, one attribute per set. */
function distinguishedName(signer: Signer): Uint8Array {
    const attributes = signer.issuer.map(([type, value]) =>
        tlv(
            SET,
            tlv(
                SEQUENCE,
                tlv(OBJECT_ID, [0x55, 0x04, ATTRIBUTE_TYPE[type]]),
                tlv(type === 'C' ? PRINTABLE_STRING : UTF8_STRING, new TextEncoder().encode(value))
            )
        )
    );
    return tlv(SEQUENCE, ...attributes);
}

/** 256 pseudo-random bytes (xorshift32 from a fixed seed): incompressible, like an RSA signature. */
function standInSignature(): Uint8Array {
    const bytes = new Uint8Array(SIGNATURE_BYTES);
    let state = SIGNATURE_SEED;
    for (let i = 0; i < bytes.length; i++) {
        state ^= state << 13;
        state ^= state >>> 17;
        state ^= state << 5;
        bytes[i] = (state >>> 24) & 0xff;
    }
    return bytes;
}
