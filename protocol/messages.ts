// Every message between the extension, its preview webview and the language server, in one place.
// No `vscode` import: the webview script and the server use this file too.

/**
 * Command `hatopo.openPreview`, with `(uri, options?)`: the title bar and the palette pass a URI, the
 * server's code lenses a string and, for a cluster, the what-if to show.
 */
export const OPEN_PREVIEW_COMMAND = 'hatopo.openPreview';

export interface OpenPreviewOptions {
    /** Failures to preselect in the preview: `region:NAME`, `host:NAME`, `link:NAME`. */
    failures?: string[];
}

/** Language server request: the drawing of a document (layout runs in the server). */
export const DIAGRAM_REQUEST = 'hatopo/diagram';

export interface DiagramParams {
    uri: string;
    /** What-if overlay: `region:NAME`, `host:NAME`, `link:NAME`. */
    failures?: string[];
    expanded?: string[];
}

export interface DiagramResult {
    svg: string;
    /** Regions and hosts the user can pick to "lose". */
    regions: string[];
    hosts: string[];
    /** One line per cluster or service the failures break, empty without failures. */
    whatIf: string[];
}

/** Language server request: write the configs of a document's topology into a folder. */
export const EXPORT_REQUEST = 'hatopo/export';

export interface ExportParams {
    uri: string;
    folder: string;
    force: boolean;
}

export type ExportResult =
    { ok: true; written: string[]; unchanged: string[] } | { ok: false; message: string; edited: boolean };

/** Extension → webview. */
export type ToWebview =
    | {
          type: 'diagram';
          uri: string;
          svg: string;
          regions: string[];
          hosts: string[];
          whatIf: string[];
          failures: string[];
      }
    | { type: 'highlight'; line: number }
    | { type: 'error'; message: string };

/** Webview → extension. */
export type FromWebview =
    | { type: 'ready' }
    | { type: 'reveal'; line: number; character: number }
    | { type: 'simulate'; failures: string[] }
    | { type: 'export'; format: 'svg' }
    | { type: 'export'; format: 'png'; dataUrl: string };

/** Messages from a webview are untrusted input: accept only the shapes above. */
export function parseFromWebview(message: unknown): FromWebview | undefined {
    if (typeof message !== 'object' || message === null) return undefined;
    const m = message as Record<string, unknown>;
    const isCount = (value: unknown) =>
        typeof value === 'number' && Number.isInteger(value) && value >= 0 && value < 10_000_000;
    switch (m.type) {
        case 'ready':
            return { type: 'ready' };
        case 'reveal':
            return isCount(m.line) && isCount(m.character)
                ? { type: 'reveal', line: m.line as number, character: m.character as number }
                : undefined;
        case 'simulate':
            return Array.isArray(m.failures) &&
                m.failures.length <= 100 &&
                m.failures.every(f => typeof f === 'string' && /^(region|host|link):[\w.-]+$/.test(f))
                ? { type: 'simulate', failures: m.failures as string[] }
                : undefined;
        case 'export':
            if (m.format === 'svg') return { type: 'export', format: 'svg' };
            if (m.format === 'png' && typeof m.dataUrl === 'string' && m.dataUrl.startsWith('data:image/png;base64,'))
                return { type: 'export', format: 'png', dataUrl: m.dataUrl };
            return undefined;
        default:
            return undefined;
    }
}
