// Every message between the extension, its preview webview and the language server, in one place.
// No `vscode` or LSP import: the webview script bundles this file (the typed requests, which need
// vscode-jsonrpc, are in requests.ts, which it does not import).

import { parseFailure } from './failure.js';
import { isView, type ViewName } from './views.js';

/**
 * Command `hatopo.openPreview`, with `(uri, options?)`: the title bar and the palette pass a URI, the
 * server's code lenses a string and, for a cluster, the what-if to show.
 */
export const OPEN_PREVIEW_COMMAND = 'hatopo.openPreview';

export interface OpenPreviewOptions {
    /** Failures to preselect in the preview: `region:NAME`, `host:NAME`, `link:NAME`. */
    failures?: string[];
}

export type { ViewName } from './views.js';

/** Language server request `hatopo/diagram`: the drawing of a document (layout runs in the server). */
export interface DiagramParams {
    uri: string;
    /** architecture (default), network or hosts. */
    view?: ViewName;
    /** What-if overlay: `region:NAME`, `host:NAME`, `link:NAME`. */
    failures?: string[];
    expanded?: string[];
}

export interface DiagramResult {
    svg: string;
    view: ViewName;
    /** What the user can pick to "lose", as the failure's NAME: regions, hosts and links. */
    regions: string[];
    hosts: string[];
    links: string[];
    /** One line per cluster or service the failures break, empty without failures. */
    whatIf: string[];
    /** The URIs of every file the drawing comes from (the document and its imports). */
    documents: string[];
}

/** Language server request `hatopo/export`: write the configs of a document's topology into a folder. */
export interface ExportParams {
    uri: string;
    folder: string;
    force: boolean;
}

export type ExportResult =
    { ok: true; written: string[]; unchanged: string[] } | { ok: false; message: string; edited: boolean };

/**
 * Language server request `hatopo/lab`: run `hatopo lab` on a document's file (saved) with a what-if,
 * as the bundled CLI in a child process (the lab needs root; the server does not contain it).
 * Cancelling the request interrupts the lab, which tears down everything it started, then answers.
 */
export interface LabParams {
    uri: string;
    /** The failures to inject: `region:NAME`, `host:NAME`, `link:NAME` (the preview's what-if). */
    failures: string[];
    /** Seconds any one wait may take (the CLI's `--timeout`). */
    timeoutSeconds?: number;
    /** Names this run in its progress notifications. */
    progressId: string;
}

/** One prediction of the engine held against the real programs. */
export interface LabLine {
    subject: string;
    claim: string;
    predicted: string;
    observed: string;
    agrees: boolean;
}

export interface LabSummary {
    predictions: number;
    confirmed: number;
    contradicted: number;
}

export type LabResult =
    | { ok: true; results: LabLine[]; summary: LabSummary; seconds: number; failures: string[] }
    /** Refused before starting (not Linux, not root, a lab already running, …), failed, or cancelled. */
    | { ok: false; message: string; reason: 'machine' | 'busy' | 'input' | 'failed' | 'cancelled' };

/** Server → client notification `hatopo/labProgress`: what the lab is doing (which host, what it waits for). */
export interface LabProgress {
    progressId: string;
    /** Seconds since the lab started, as the CLI says them. */
    seconds?: number;
    line: string;
}

/** Command `hatopo.runLab`, with `(uri?, failures?)`: without failures, the open preview's what-if. */
export const RUN_LAB_COMMAND = 'hatopo.runLab';

/** Extension → webview. */
export type ToWebview =
    | {
          type: 'diagram';
          uri: string;
          view: ViewName;
          svg: string;
          regions: string[];
          hosts: string[];
          links: string[];
          whatIf: string[];
          failures: string[];
      }
    /** The editor's cursor is on this line of this file: mark what is defined there. */
    | { type: 'highlight'; uri: string; line: number }
    | { type: 'error'; message: string };

/** Webview → extension. */
export type FromWebview =
    /** The page is up; after a reload it carries the view and the failure it showed. */
    | { type: 'ready'; view?: ViewName; failures?: string[] }
    /** A click on an element: show its definition, in whichever file of the topology it is. */
    | { type: 'reveal'; uri: string; line: number; character: number }
    | { type: 'simulate'; failures: string[] }
    | { type: 'view'; view: ViewName }
    | { type: 'export'; format: 'svg' }
    | { type: 'export'; format: 'png'; dataUrl: string }
    /** "Run Lab": run `hatopo lab` with the failures the picker holds. */
    | { type: 'lab' };

const MAX_URI = 4096;

function isCount(value: unknown): value is number {
    return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value < 10_000_000;
}

export function isFailures(value: unknown): value is string[] {
    return (
        Array.isArray(value) &&
        value.length <= 100 &&
        value.every(failure => typeof failure === 'string' && parseFailure(failure) !== undefined)
    );
}

/** Messages from a webview are untrusted input: accept only the shapes above. */
export function parseFromWebview(message: unknown): FromWebview | undefined {
    if (typeof message !== 'object' || message === null) return undefined;
    const m = message as Record<string, unknown>;
    switch (m.type) {
        case 'ready': {
            const ready: FromWebview = { type: 'ready' };
            if (m.view !== undefined && !isView(m.view)) return undefined;
            if (m.failures !== undefined && !isFailures(m.failures)) return undefined;
            return {
                ...ready,
                ...(m.view !== undefined ? { view: m.view as ViewName } : {}),
                ...(m.failures !== undefined ? { failures: m.failures as string[] } : {})
            };
        }
        case 'reveal':
            // The URI is only a candidate: the panel opens it only if it is a file of the topology.
            return typeof m.uri === 'string' &&
                m.uri.length > 0 &&
                m.uri.length <= MAX_URI &&
                isCount(m.line) &&
                isCount(m.character)
                ? { type: 'reveal', uri: m.uri, line: m.line, character: m.character }
                : undefined;
        case 'simulate':
            return isFailures(m.failures) ? { type: 'simulate', failures: m.failures } : undefined;
        case 'view':
            return isView(m.view) ? { type: 'view', view: m.view } : undefined;
        case 'lab':
            return { type: 'lab' };
        case 'export':
            if (m.format === 'svg') return { type: 'export', format: 'svg' };
            if (m.format === 'png' && typeof m.dataUrl === 'string' && m.dataUrl.startsWith('data:image/png;base64,'))
                return { type: 'export', format: 'png', dataUrl: m.dataUrl };
            return undefined;
        default:
            return undefined;
    }
}

/**
 * Where a reveal may go: only to a file the drawing came from (never an arbitrary URI a page names),
 * at the position it gives.
 */
export function revealTarget(
    message: Extract<FromWebview, { type: 'reveal' }>,
    documents: readonly string[]
): { uri: string; line: number; character: number } | undefined {
    return documents.includes(message.uri)
        ? { uri: message.uri, line: message.line, character: message.character }
        : undefined;
}
