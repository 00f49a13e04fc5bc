// The language server's requests, typed once for both ends: the client sends and the server answers
// with the same parameter and result types. (Not vscode-jsonrpc's RequestType: the client and the
// server each bundle their own copy of vscode-jsonrpc, whose RequestType is nominal — a private
// member — and checked by identity at run time, so one shared instance would fit neither.) The
// webview does not import this file.

import type { DiagramParams, DiagramResult } from './messages.js';

/** A request's method, with its parameter and result types carried along. */
export interface RequestSignature<P, R> {
    readonly method: string;
    /** Never set: carries the types. */
    readonly types?: (params: P) => R;
}

export const DiagramRequest: RequestSignature<DiagramParams, DiagramResult> = { method: 'hatopo/diagram' };

/** What a language client can do (vscode-languageclient's LanguageClient fits). */
export interface RequestSender {
    sendRequest<R>(method: string, params: unknown): Promise<R>;
}

/** What a language server connection can do (vscode-languageserver's Connection fits). */
export interface RequestReceiver<Token> {
    onRequest(method: string, handler: (params: never, token: Token) => unknown): unknown;
}

export function sendRequest<P, R>(client: RequestSender, type: RequestSignature<P, R>, params: P): Promise<R> {
    return client.sendRequest<R>(type.method, params);
}

export function onRequest<P, R, Token>(
    connection: RequestReceiver<Token>,
    type: RequestSignature<P, R>,
    handler: (params: P, token: Token) => Promise<R> | R
): void {
    connection.onRequest(type.method, handler as (params: never, token: Token) => unknown);
}
