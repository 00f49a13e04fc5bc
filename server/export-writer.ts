// The only code that writes exported files: confined to the export folder whatever the names,
// atomic (write a temporary file, then rename), and guarded by a manifest of hashes so that a
// re-export refuses to overwrite a file the user edited since (unless forced) and says which.

import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { ExportFile } from '../language/export/export-file.js';

export const MANIFEST = '.hatopo-manifest.json';

export class ExportError extends Error {}

export interface WriteResult {
    written: string[];
    unchanged: string[];
}

function sha256(text: string | Buffer): string {
    return createHash('sha256').update(text).digest('hex');
}

/** The absolute target of a relative path, or an error when it would leave the folder. */
export function confine(folder: string, relative: string): string {
    const root = path.resolve(folder);
    const target = path.resolve(root, relative);
    if (path.isAbsolute(relative) || relative.split(/[\\/]/).includes('..') || !target.startsWith(root + path.sep)) {
        throw new ExportError(`refusing to write '${relative}': it would land outside ${root}`);
    }
    return target;
}

export async function writeExport(
    folder: string,
    files: readonly ExportFile[],
    options: { force?: boolean } = {}
): Promise<WriteResult> {
    const root = path.resolve(folder);
    const seen = new Set<string>();
    for (const file of files) {
        if (seen.has(file.path)) throw new ExportError(`two exporters wrote ${file.path}: one host plays a role twice`);
        seen.add(file.path);
        confine(root, file.path);
    }
    await fs.mkdir(root, { recursive: true });
    const manifestPath = path.join(root, MANIFEST);
    const previous: Record<string, string> = JSON.parse(await fs.readFile(manifestPath, 'utf8').catch(() => '{}'));

    // Edited since the last export: the file's hash no longer matches what we wrote.
    const edited: string[] = [];
    for (const [relative, hash] of Object.entries(previous)) {
        const current = await fs.readFile(confine(root, relative)).catch(() => undefined);
        if (current !== undefined && sha256(current) !== hash) edited.push(relative);
    }
    if (edited.length > 0 && !options.force) {
        throw new ExportError(
            `${edited.length} exported file${edited.length > 1 ? 's were' : ' was'} edited since the last export: ${edited.join(', ')} (use --force to overwrite)`
        );
    }

    const result: WriteResult = { written: [], unchanged: [] };
    const manifest: Record<string, string> = {};
    for (const file of files) {
        const target = confine(root, file.path);
        manifest[file.path] = sha256(file.content);
        const current = await fs.readFile(target, 'utf8').catch(() => undefined);
        if (current === file.content) {
            result.unchanged.push(file.path);
            continue;
        }
        await fs.mkdir(path.dirname(target), { recursive: true });
        const temporary = `${target}.${process.pid}.tmp`;
        await fs.writeFile(temporary, file.content);
        await fs.rename(temporary, target);
        result.written.push(file.path);
    }
    const temporary = `${manifestPath}.${process.pid}.tmp`;
    await fs.writeFile(temporary, JSON.stringify(manifest, null, 2) + '\n');
    await fs.rename(temporary, manifestPath);
    return result;
}
