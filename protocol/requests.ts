// The language server's requests and notifications, typed once for the client and the server: each
// side sends and answers with the same parameter and result types. These are vscode-jsonrpc's own
// RequestType / NotificationType: the project resolves one copy of vscode-jsonrpc (and of
// vscode-languageserver-protocol, pinned in package.json's overrides) for vscode-languageclient and
// vscode-languageserver alike, so the types are the same class on both sides, and each bundle holds
// one copy at run time (jsonrpc compares a type's parameter structure by identity with its own).
// The webview does not import this file: its bundle stays free of vscode-jsonrpc (messages.ts has
// the shapes it needs).

import { NotificationType, RequestType } from 'vscode-jsonrpc';
import type {
    DiagramParams,
    DiagramResult,
    ExportParams,
    ExportResult,
    LabParams,
    LabProgress,
    LabResult
} from './messages.js';

/** The drawing of a document (layout runs in the server, so the preview draws what `render` draws). */
export const DiagramRequest = new RequestType<DiagramParams, DiagramResult, void>('hatopo/diagram');

/** Write the configs of a document's topology into a folder. */
export const ExportRequest = new RequestType<ExportParams, ExportResult, void>('hatopo/export');

/** Run `hatopo lab` on a document's file with a what-if; cancel to interrupt and tear down. */
export const LabRequest = new RequestType<LabParams, LabResult, void>('hatopo/lab');

/** What a running lab is doing, line by line. */
export const LabProgressNotification = new NotificationType<LabProgress>('hatopo/labProgress');
