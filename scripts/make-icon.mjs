// Draws media/icon.png (the extension's 128×128 icon): three cluster nodes joined in a ring
// around a VIP. Written as a PNG by hand so no image tool is needed.
import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

const size = 128;
const nodes = [
    [64, 26],
    [28, 92],
    [100, 92]
];
const pixels = Buffer.alloc(size * (size * 4 + 1));
const segmentDistance = (px, py, [ax, ay], [bx, by]) => {
    const t = Math.max(
        0,
        Math.min(1, ((px - ax) * (bx - ax) + (py - ay) * (by - ay)) / ((bx - ax) ** 2 + (by - ay) ** 2))
    );
    return Math.hypot(px - (ax + t * (bx - ax)), py - (ay + t * (by - ay)));
};
for (let y = 0; y < size; y++) {
    pixels[y * (size * 4 + 1)] = 0; // filter: none
    for (let x = 0; x < size; x++) {
        let color = [22, 44, 78, 255];
        const corner = Math.max(Math.abs(x - 63.5) - 48, 0) ** 2 + Math.max(Math.abs(y - 63.5) - 48, 0) ** 2;
        if (corner > 16 * 16) color = [0, 0, 0, 0];
        else {
            const edge = Math.min(...nodes.map((a, i) => segmentDistance(x, y, a, nodes[(i + 1) % 3])));
            if (edge < 3) color = [120, 170, 230, 255];
            if (Math.hypot(x - 64, y - 70) < 9) color = [250, 190, 60, 255];
            if (nodes.some(([nx, ny]) => Math.hypot(x - nx, y - ny) < 14)) color = [90, 200, 140, 255];
        }
        pixels.set(color, y * (size * 4 + 1) + 1 + x * 4);
    }
}
const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
});
const crc = buffer => {
    let c = 0xffffffff;
    for (const byte of buffer) c = crcTable[(c ^ byte) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
};
const chunk = (type, data) => {
    const body = Buffer.concat([Buffer.from(type), data]);
    const out = Buffer.alloc(12 + data.length);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc(body), 8 + data.length);
    return out;
};
const header = Buffer.alloc(13);
header.writeUInt32BE(size, 0);
header.writeUInt32BE(size, 4);
header[8] = 8;
header[9] = 6;
writeFileSync(
    new URL('../media/icon.png', import.meta.url),
    Buffer.concat([
        Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]),
        chunk('IHDR', header),
        chunk('IDAT', deflateSync(pixels)),
        chunk('IEND', Buffer.alloc(0))
    ])
);
