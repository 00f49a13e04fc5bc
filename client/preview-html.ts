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
  <div class="group" role="group" aria-label="View">
    <button class="view" data-view="architecture" aria-pressed="true" title="The request path: VIPs, load balancers, services, databases">Architecture</button>
    <button class="view" data-view="network" aria-pressed="false" title="Zones by trust, firewalls, links and blocked flows">Network</button>
    <button class="view" data-view="hosts" aria-pressed="false" title="Every host and what it runs">Hosts</button>
  </div>
  <label>Lose <select id="lose" title="What if this region, host or link fails?"><option value="">nothing</option></select></label>
  <button id="run-lab" title="Run hatopo lab with this what-if: boot the topology in network namespaces and check every verdict against the real programs (Linux, as root)">Run Lab</button>
  <div class="group" role="group" aria-label="Zoom">
    <button id="zoom-out" title="Zoom out">−</button><button id="zoom-in" title="Zoom in">+</button>
    <button id="fit" title="Fit the drawing to the window">Fit</button><button id="zoom-reset" title="Actual size">1:1</button>
    <button id="zoom-selection" title="Zoom to the selected element (click one first)" disabled>Zoom to selection</button>
  </div>
  <span class="spacer"></span>
  <button id="export-svg" title="Save the drawing as SVG">Export SVG</button><button id="export-png" title="Save the drawing as PNG">Export PNG</button>
</div>
<div id="message" hidden></div>
<div id="viewport"><div id="canvas"></div></div>
<aside id="what-if" hidden aria-live="polite"><header><strong id="what-if-title">What if</strong><button id="what-if-close" title="Hide">×</button></header><ul id="what-if-lines"></ul></aside>
<div id="tooltip" role="tooltip" hidden></div>
<script nonce="${nonce}" src="${scriptUri}"></script>
</body>
</html>`;
}

/** 32 characters from [A-Za-z0-9], fresh for every page. */
export function makeNonce(random: (max: number) => number = max => Math.floor(Math.random() * max)): string {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
    return Array.from({ length: 32 }, () => alphabet[random(alphabet.length)]).join('');
}
