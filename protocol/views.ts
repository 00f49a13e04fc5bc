// The diagram's views, shared by the engine (which draws them), the CLI, the server and the webview's
// view switcher.

export const VIEWS = ['architecture', 'network', 'hosts'] as const;
export type ViewName = (typeof VIEWS)[number];

export function isView(value: unknown): value is ViewName {
    return typeof value === 'string' && (VIEWS as readonly string[]).includes(value);
}
