// The only code that writes exported files. An export is planned and checked in full before its
// first byte is written, so a refused export writes nothing: every path stays inside the folder,
// every name fits the file system, no two paths collide (also not by case), nothing under the
// folder is a symbolic link (directory or file: hatopo never writes or reads through one), and no
// file was edited since the last export (a manifest of hashes says which; --force overwrites).
// Files are written atomically: a new temporary file, then a rename over the old one.

import { createHash, randomBytes } from 'node:crypto';
import { promises as fs, type Stats } from 'node:fs';
import * as path from 'node:path';
import type { ExportFile } from '../language/export/export-file.js';

export const MANIFEST = '.hatopo-manifest.json';

/** Linux's NAME_MAX (bytes of one path component) and PATH_MAX (bytes of a whole path). */
const NAME_MAX = 255;
const PATH_MAX = 4096;

export class ExportError extends Error {}

export interface WriteResult {
    written: string[];
    unchanged: string[];
}

interface PlannedFile {
    relative: string;
    target: string;
    content: string;
    mode: number;
    unchanged: boolean;
}

function sha256(text: string | Buffer): string {
    return createHash('sha256').update(text).digest('hex');
}

/** The absolute target of a relative path, or an error when it would leave the folder. */
export function confine(folder: string, relative: string): string {
    const root = path.resolve(folder);
    const target = path.resolve(root, relative);
    const parts = relative.split(/[\\/]/);
    if (
        path.isAbsolute(relative) ||
        parts.includes('..') ||
        relative.includes('\0') ||
        !target.startsWith(root + path.sep)
    ) {
        throw new ExportError(`refusing to write '${relative}': it would land outside ${root}`);
    }
    return target;
}

export async function writeExport(
    folder: string,
    files: readonly ExportFile[],
    options: { force?: boolean } = {}
): Promise<WriteResult> {
    const { root, planned, manifest } = await planExport(folder, files, options);
    return applyPlan(root, planned, manifest);
}

/** Every check, no write. Throws ExportError (one line) for the first reason to refuse. */
async function planExport(
    folder: string,
    files: readonly ExportFile[],
    options: { force?: boolean }
): Promise<{ root: string; planned: PlannedFile[]; manifest: Record<string, string> }> {
    const root = await exportRoot(folder);
    checkNames(root, files);

    const manifestPath = path.join(root, MANIFEST);
    const previous = await readManifest(root, manifestPath);

    // Edited since the last export: the file's hash no longer matches what was written.
    const edited = (
        await inParallel(Object.entries(previous), async ([relative, hash]) => {
            const current = await readRegular(root, relative);
            return current !== undefined && sha256(current) !== hash ? relative : undefined;
        })
    ).filter(relative => relative !== undefined);
    if (edited.length > 0 && !options.force) {
        throw new ExportError(
            `${edited.length} exported file${edited.length > 1 ? 's were' : ' was'} edited since the last export: ${edited.join(', ')} (use --force to overwrite)`
        );
    }

    const planned = await inParallel(files, async (file): Promise<PlannedFile> => {
        const target = confine(root, file.path);
        const mode = file.mode ?? 0o644;
        const current = await readRegular(root, file.path);
        const stat = current === undefined ? undefined : await fs.lstat(target);
        const unchanged = current?.toString('utf8') === file.content && (stat!.mode & 0o777) === mode;
        return { relative: file.path, target, content: file.content, mode, unchanged };
    });
    const manifest = Object.fromEntries(files.map(file => [file.path, sha256(file.content)]));
    return { root, planned, manifest };
}

/** The folder itself may be a link the user chose (resolved once); it must be a directory. */
async function exportRoot(folder: string): Promise<string> {
    const given = path.resolve(folder);
    const stat = await fs.stat(given).catch(() => undefined);
    if (!stat) return given;
    if (!stat.isDirectory()) throw new ExportError(`refusing to export into ${given}: it is not a folder`);
    return fs.realpath(given);
}

/** Names, lengths and collisions, from the paths alone. */
function checkNames(root: string, files: readonly ExportFile[]): void {
    const seen = new Set<string>();
    const folded = new Map<string, string>();
    const folders = new Set<string>();
    for (const file of files) {
        if (seen.has(file.path)) throw new ExportError(`two exporters wrote ${file.path}: one host plays a role twice`);
        seen.add(file.path);
        const target = confine(root, file.path);
        const parts = file.path.split('/');
        const long = parts.find(part => Buffer.byteLength(part) > NAME_MAX);
        if (long)
            throw new ExportError(
                `refusing to export: the name '${long.slice(0, 40)}…' in ${file.path.slice(0, 60)}… has ${Buffer.byteLength(long)} bytes, more than a file system allows (${NAME_MAX})`
            );
        if (parts.some(part => part === '' || part === '.'))
            throw new ExportError(`refusing to write '${file.path}': it has an empty or '.' component`);
        if (Buffer.byteLength(target) >= PATH_MAX)
            throw new ExportError(
                `refusing to export: ${file.path.slice(0, 60)}… makes a path of more than ${PATH_MAX} bytes`
            );
        // Two names that differ only in case are one file on macOS and Windows.
        const other = folded.get(file.path.toLowerCase());
        if (other) throw new ExportError(`refusing to export: ${other} and ${file.path} differ only in case`);
        folded.set(file.path.toLowerCase(), file.path);
        for (let i = 1; i < parts.length; i++) folders.add(parts.slice(0, i).join('/'));
    }
    const both = [...seen].find(file => folders.has(file));
    if (both) throw new ExportError(`refusing to export: ${both} would be both a file and a folder`);
    if (seen.has(MANIFEST)) throw new ExportError(`refusing to export: an exporter wrote ${MANIFEST}`);
}

/**
 * The file at `relative` under root, or undefined when there is none. Refuses when any component
 * on the way is a symbolic link, or not what the export needs (a folder where one goes, a file).
 */
async function readRegular(root: string, relative: string): Promise<Buffer | undefined> {
    const parts = relative.split('/');
    let current = root;
    for (let i = 0; i < parts.length; i++) {
        current = path.join(current, parts[i]);
        const stat: Stats | undefined = await fs.lstat(current).catch(() => undefined);
        if (!stat) return undefined;
        const last = i === parts.length - 1;
        if (stat.isSymbolicLink()) {
            const to = await fs.readlink(current).catch(() => '?');
            throw new ExportError(
                `refusing to export: ${current} is a symbolic link (to ${to}); hatopo never writes through links, remove it first`
            );
        }
        if (!last && !stat.isDirectory())
            throw new ExportError(`refusing to export: ${current} is a file where the export needs a folder`);
        if (last && !stat.isFile())
            throw new ExportError(`refusing to export: ${current} is not a regular file, where the export writes one`);
    }
    return fs.readFile(current);
}

async function readManifest(root: string, manifestPath: string): Promise<Record<string, string>> {
    const text = await readRegular(root, MANIFEST);
    if (text === undefined) return {};
    const corrupt = (why: string) =>
        new ExportError(
            `the manifest ${manifestPath} is corrupt (${why}): move it away to export afresh (edits since the last export then go unnoticed)`
        );
    let parsed: unknown;
    try {
        parsed = JSON.parse(text.toString('utf8'));
    } catch (error) {
        throw corrupt(`not JSON: ${(error as Error).message.split('\n')[0]}`);
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw corrupt('not an object');
    for (const [relative, hash] of Object.entries(parsed)) {
        if (typeof hash !== 'string' || !/^[0-9a-f]{64}$/.test(hash)) throw corrupt(`'${relative}' has no SHA-256`);
        try {
            confine(root, relative);
        } catch {
            throw corrupt(`'${relative}' lies outside the folder`);
        }
    }
    return parsed as Record<string, string>;
}

async function applyPlan(root: string, planned: PlannedFile[], manifest: Record<string, string>): Promise<WriteResult> {
    await fs.mkdir(root, { recursive: true });
    const changed = planned.filter(file => !file.unchanged);
    // Each folder once, parents before children (an estate has many host folders of few files each).
    const folders = new Set<string>();
    for (const file of changed) {
        const parts = file.relative.split('/').slice(0, -1);
        for (let i = 1; i <= parts.length; i++) folders.add(parts.slice(0, i).join('/'));
    }
    const depthOf = (folder: string) => folder.split('/').length;
    const deepest = Math.max(0, ...[...folders].map(depthOf));
    for (let depth = 1; depth <= deepest; depth++)
        await inParallel(
            [...folders].filter(folder => depthOf(folder) === depth),
            folder => makeFolder(root, folder)
        );
    await inParallel(changed, file => replace(file.target, file.content, file.mode));
    await replace(path.join(root, MANIFEST), JSON.stringify(manifest, null, 2) + '\n', 0o644);
    return {
        written: changed.map(file => file.relative),
        unchanged: planned.filter(file => file.unchanged).map(file => file.relative)
    };
}

/** One folder whose parent exists, checking that nothing turned it into a link since the plan. */
async function makeFolder(root: string, relative: string): Promise<void> {
    const current = path.join(root, relative);
    await fs.mkdir(current).catch((error: NodeJS.ErrnoException) => {
        if (error.code !== 'EEXIST') throw error;
    });
    const stat = await fs.lstat(current);
    if (!stat.isDirectory() || stat.isSymbolicLink())
        throw new ExportError(`refusing to export: ${current} is not a folder (it changed during the export)`);
}

/**
 * `work` for every item, a few at a time: the file system calls of an estate's thousands of files
 * overlap in libuv's thread pool instead of waiting for each other. Results keep the items' order.
 */
async function inParallel<T, R>(items: readonly T[], work: (item: T) => Promise<R>, limit = 16): Promise<R[]> {
    const results = new Array<R>(items.length);
    let next = 0;
    let failed = false;
    const worker = async () => {
        while (next < items.length && !failed) {
            const i = next++;
            try {
                results[i] = await work(items[i]);
            } catch (error) {
                failed = true; // the others stop after the call they are in: no write after a refusal
                throw error;
            }
        }
    };
    await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
    return results;
}

/** A fresh temporary file (O_EXCL: never an existing file or link) renamed over the target. */
async function replace(target: string, content: string, mode: number): Promise<void> {
    const temporary = `${target}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    await fs.writeFile(temporary, content, { flag: 'wx', mode });
    await fs.chmod(temporary, mode); // the umask may have narrowed it
    await fs.rename(temporary, target);
}
