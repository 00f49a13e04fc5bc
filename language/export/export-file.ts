// What every exporter returns: files to write, by path relative to the export folder.
// Secrets are never written: placeholders name what the operator must supply.

export interface ExportFile {
    path: string;
    content: string;
}

/** A placeholder for a secret, e.g. `@@SST_PASSWORD@@`: greppable, and rejected by no parser. */
export function secret(name: string): string {
    return `@@${name}@@`;
}

/** A host's folder: its name, kept to characters that are safe in every file system. */
export function hostFolder(name: string): string {
    const safe = name.replace(/[^A-Za-z0-9_.-]/g, '_').replace(/^\.+/, '_');
    return safe || '_';
}

export function header(what: string): string {
    return `# ${what}\n# Written by hatopo from the topology model. Edit the .hatopo file and export again.\n`;
}
