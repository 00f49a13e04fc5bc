// The preview's HTML shell: a strict Content-Security-Policy (scripts only with this page's nonce,
// styles and images only from the extension's media), one script, one stylesheet. No `vscode`
// import, so a browser test can load the very same page.

export interface PreviewHtmlOptions {
    cspSource: string;
    nonce: string;
    scriptUri: string;
    styleUri: string;
}

export function previewHtml({ cspSource, nonce, scriptUri, styleUri }: PreviewHtmlOptions): string {
    const csp = [
        "default-src 'none'",
        `script-src 'nonce-${nonce}'`,
        `style-src ${cspSource}`,
        `img-src ${cspSource} blob: data:`
    ].join('; ');
    return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${styleUri}">
<title>HA Topology Preview</title>
</head>
<body>
<div id="toolbar">
  <label>Lose <select id="lose" title="Simulate the loss of a region or host"><option value="">nothing</option></select></label>
  <button id="zoom-in" title="Zoom in">+</button><button id="zoom-out" title="Zoom out">−</button><button id="zoom-reset" title="Fit">1:1</button>
  <button id="export-svg">Export SVG</button><button id="export-png">Export PNG</button>
</div>
<ul id="what-if" hidden></ul>
<div id="message" hidden></div>
<div id="viewport"><div id="canvas"></div></div>
<script nonce="${nonce}" src="${scriptUri}"></script>
</body>
</html>`;
}

/** 32 characters from [A-Za-z0-9], fresh for every page. */
export function makeNonce(random: (max: number) => number = max => Math.floor(Math.random() * max)): string {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
    return Array.from({ length: 32 }, () => alphabet[random(alphabet.length)]).join('');
}
