// Reading the CLI's input files safely: only regular files (a FIFO, a device or a socket would block or
// never end), and only up to a size limit (a huge file would run the parser out of memory after
// minutes). Files are opened non-blocking and checked on the open descriptor, so a FIFO cannot block
// even when it replaces a file between a check and the read.

import * as fs from 'node:fs';
import { NodeFileSystemProvider } from 'langium/node';
import type { URI } from 'langium';

/** 10 MiB: the largest bundled example is 10 KB, a generated 2,000-host topology about 1 MB. */
export const DEFAULT_MAX_FILE_SIZE = 10 * 1024 * 1024;
export const MAX_FILE_SIZE_VARIABLE = 'HATOPO_MAX_FILE_SIZE';

/** An input that is not a regular file, or is too big: one line, exit 2. */
export class InputFileError extends Error {
    constructor(
        readonly file: string,
        readonly reason: string
    ) {
        super(file ? `${file}: ${reason}` : reason);
    }
}

const UNITS: Record<string, number> = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 };

/** The limit in bytes: `HATOPO_MAX_FILE_SIZE` as bytes or with a k, M or G suffix (binary), else 10 MiB. */
export function maxFileSize(env: NodeJS.ProcessEnv = process.env): number {
    const text = env[MAX_FILE_SIZE_VARIABLE]?.trim();
    if (!text) return DEFAULT_MAX_FILE_SIZE;
    const match = /^(\d+(?:\.\d+)?)\s*([kmg]?)(?:i?b)?$/i.exec(text);
    if (!match || Number(match[1]) <= 0)
        throw new InputFileError(
            '',
            `${MAX_FILE_SIZE_VARIABLE}=${text} is not a size (bytes, or a number with k, M or G)`
        );
    return Math.floor(Number(match[1]) * UNITS[match[2].toLowerCase()]);
}

export function formatSize(bytes: number): string {
    if (bytes >= 1024 ** 2) return `${+(bytes / 1024 ** 2).toFixed(1)} MiB`;
    if (bytes >= 1024) return `${+(bytes / 1024).toFixed(1)} KiB`;
    return `${bytes} bytes`;
}

function kindOf(stat: fs.Stats): string {
    if (stat.isDirectory()) return 'a directory';
    if (stat.isFIFO()) return 'a FIFO';
    if (stat.isSocket()) return 'a socket';
    if (stat.isCharacterDevice()) return 'a character device';
    if (stat.isBlockDevice()) return 'a block device';
    return 'a special file';
}

/** Throws when the file behind `stat` is not one to read. */
export function checkInputStat(file: string, stat: fs.Stats, limit = maxFileSize()): void {
    if (!stat.isFile()) throw new InputFileError(file, `${kindOf(stat)}, not a regular file: refused`);
    if (stat.size > limit) throw tooBig(file, limit, stat.size);
}

function tooBig(file: string, limit: number, size?: number): InputFileError {
    const what = size === undefined ? 'over' : `${formatSize(size)}, over`;
    return new InputFileError(
        file,
        `${what} the input limit of ${formatSize(limit)} (${MAX_FILE_SIZE_VARIABLE} raises it): refused`
    );
}

const OPEN_FLAGS = fs.constants.O_RDONLY | fs.constants.O_NONBLOCK;
const CHUNK = 1 << 16;

export async function readInputFile(file: string): Promise<string> {
    const limit = maxFileSize();
    const handle = await fs.promises.open(file, OPEN_FLAGS);
    try {
        checkInputStat(file, await handle.stat(), limit);
        // Read at most one byte past the limit: a file that grows after the check is still refused.
        const chunks: Buffer[] = [];
        let total = 0;
        for (;;) {
            const { bytesRead, buffer } = await handle.read(Buffer.alloc(CHUNK), 0, CHUNK, null);
            if (bytesRead === 0) break;
            chunks.push(buffer.subarray(0, bytesRead));
            total += bytesRead;
            if (total > limit) throw tooBig(file, limit);
        }
        return new TextDecoder().decode(Buffer.concat(chunks, total));
    } finally {
        await handle.close();
    }
}

export function readInputFileSync(file: string): string {
    const limit = maxFileSize();
    const fd = fs.openSync(file, OPEN_FLAGS);
    try {
        checkInputStat(file, fs.fstatSync(fd), limit);
        const chunks: Buffer[] = [];
        let total = 0;
        for (;;) {
            const buffer = Buffer.alloc(CHUNK);
            const bytesRead = fs.readSync(fd, buffer, 0, CHUNK, null);
            if (bytesRead === 0) break;
            chunks.push(buffer.subarray(0, bytesRead));
            total += bytesRead;
            if (total > limit) throw tooBig(file, limit);
        }
        return new TextDecoder().decode(Buffer.concat(chunks, total));
    } finally {
        fs.closeSync(fd);
    }
}

/** Langium's Node file system with the reads above: imports and hatopo.json are read the same way. */
export class InputFileSystemProvider extends NodeFileSystemProvider {
    override readFile(uri: URI): Promise<string> {
        return readInputFile(uri.fsPath);
    }

    override readFileSync(uri: URI): string {
        return readInputFileSync(uri.fsPath);
    }
}

export const InputFileSystem = { fileSystemProvider: () => new InputFileSystemProvider() };
