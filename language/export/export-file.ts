// What every exporter returns: files to write, by path relative to the export folder.
// Secrets are never written: placeholders name what the operator must supply.

export interface ExportFile {
    path: string;
    content: string;
    /** File mode, when not 0644: 0755 for a script, 0600 for a file holding a secret's placeholder. */
    mode?: number;
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

/** The comment every file starts with: what it is, where it goes, and that it is generated. */
export function header(what: string, installAs?: string, comment = '#'): string {
    return [
        `${comment} ${what}`,
        ...(installAs ? [`${comment} Install as ${installAs}`] : []),
        `${comment} Written by hatopo from the topology model. Edit the .hatopo file and export again.`,
        ''
    ].join('\n');
}

/** Seconds as haproxy and keepalived read them: `3600s`, or `500ms` below a second. */
export function duration(seconds: number): string {
    return Number.isInteger(seconds) ? `${seconds}s` : `${Math.round(seconds * 1000)}ms`;
}
