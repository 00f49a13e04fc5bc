// The preview webview's script: shows the SVG the server drew, fitted to the window until the user
// zooms or pans (then zoom and pan survive updates), zooms to the selected element, shows each
// element's tooltip, switches views, reports clicks (reveal the source, in whichever file defines
// it), the failure to simulate, "Run Lab" and exports. Bundled for the browser.

import type { FromWebview, ToWebview, ViewName } from '../protocol/messages.js';

interface VsCodeApi {
    postMessage(message: FromWebview): void;
    getState(): State | undefined;
    setState(state: State): void;
}
interface State {
    uri?: string;
    view: ViewName;
    scale: number;
    x: number;
    y: number;
    /** Fit to the window on every update until the user zooms or pans. */
    fit: boolean;
    failures: string[];
}

declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const state: State = { view: 'architecture', scale: 1, x: 0, y: 0, fit: true, failures: [], ...vscode.getState() };
const canvas = document.getElementById('canvas')!;
const viewport = document.getElementById('viewport')!;
const lose = document.getElementById('lose') as HTMLSelectElement;
const whatIf = document.getElementById('what-if')!;
const whatIfLines = document.getElementById('what-if-lines')!;
const messageBox = document.getElementById('message')!;
const tooltip = document.getElementById('tooltip')!;
const zoomSelection = document.getElementById('zoom-selection') as HTMLButtonElement;
let currentSvg = '';
let selected: string | undefined;
let whatIfClosedFor = '';

function applyTransform(): void {
    canvas.style.transform = `translate(${state.x}px, ${state.y}px) scale(${state.scale})`;
    vscode.setState(state);
}

function drawingSize(): { width: number; height: number } {
    const svg = canvas.querySelector('svg');
    return { width: Number(svg?.getAttribute('width') ?? 1), height: Number(svg?.getAttribute('height') ?? 1) };
}

/** Shows a box of the drawing (drawing coordinates) as large as the window allows, centred. */
function showBox(box: { x: number; y: number; width: number; height: number }, maxScale: number): void {
    const margin = 16;
    const width = Math.max(1, viewport.clientWidth - 2 * margin);
    const height = Math.max(1, viewport.clientHeight - 2 * margin);
    state.scale = Math.max(0.02, Math.min(maxScale, width / box.width, height / box.height));
    state.x = margin + (width - box.width * state.scale) / 2 - box.x * state.scale;
    state.y = margin + (height - box.height * state.scale) / 2 - box.y * state.scale;
    applyTransform();
}

function fit(): void {
    state.fit = true;
    showBox({ x: 0, y: 0, ...drawingSize() }, 1.25);
}

function elementBox(id: string): { x: number; y: number; width: number; height: number } | undefined {
    const group = Array.from(canvas.querySelectorAll('[data-element]')).find(
        g => g.getAttribute('data-element') === id
    );
    if (!group) return undefined;
    const rect = group.getBoundingClientRect();
    const origin = canvas.getBoundingClientRect();
    return {
        x: (rect.left - origin.left) / state.scale,
        y: (rect.top - origin.top) / state.scale,
        width: rect.width / state.scale,
        height: rect.height / state.scale
    };
}

function select(id: string | undefined): void {
    selected = id;
    canvas.querySelectorAll('.selected').forEach(element => element.classList.remove('selected'));
    const group =
        id && Array.from(canvas.querySelectorAll('[data-element]')).find(g => g.getAttribute('data-element') === id);
    if (group) group.classList.add('selected');
    else selected = undefined;
    zoomSelection.disabled = !selected;
}

function option(value: string, label: string, chosen: string | undefined): HTMLOptionElement {
    const element = document.createElement('option');
    element.value = value;
    element.textContent = label;
    element.selected = chosen === value;
    return element;
}

function group(label: string, kind: string, names: readonly string[], chosen: string | undefined): HTMLOptGroupElement {
    const element = document.createElement('optgroup');
    element.label = label;
    element.append(...names.map(name => option(`${kind}:${name}`, `${kind} ${name}`, chosen)));
    return element;
}

function showDiagram(message: Extract<ToWebview, { type: 'diagram' }>): void {
    currentSvg = message.svg;
    const viewChanged = state.view !== message.view || state.uri !== message.uri;
    state.uri = message.uri;
    state.view = message.view;
    state.failures = message.failures;
    canvas.innerHTML = message.svg;
    // Tooltips are drawn by the page (the <title>s would show a second, native one).
    canvas.querySelectorAll('title').forEach(title => {
        title.parentElement?.setAttribute('data-tip', title.textContent ?? '');
        title.remove();
    });
    messageBox.hidden = true;
    const chosen = message.failures[0];
    lose.replaceChildren(
        option('', 'nothing', chosen ?? ''),
        group('Regions', 'region', message.regions, chosen),
        ...(message.links.length > 0 ? [group('Links', 'link', message.links, chosen)] : []),
        group('Hosts', 'host', message.hosts, chosen)
    );
    document
        .querySelectorAll('button.view')
        .forEach(button =>
            button.setAttribute('aria-pressed', String(button.getAttribute('data-view') === message.view))
        );
    document.getElementById('what-if-title')!.textContent = `What if ${message.failures.join(' and ')} fails`;
    whatIfLines.replaceChildren(
        ...message.whatIf.map(line => {
            const item = document.createElement('li');
            item.textContent = line;
            if (/^DOWN\b/.test(line)) item.className = 'down';
            return item;
        })
    );
    whatIf.hidden = message.whatIf.length === 0 || whatIfClosedFor === message.failures.join(',');
    select(selected);
    if (viewChanged || state.fit) fit();
    else applyTransform();
}

function highlight(uri: string, line: number): void {
    canvas.querySelectorAll('.highlighted').forEach(element => element.classList.remove('highlighted'));
    canvas.querySelectorAll('[data-line]').forEach(element => {
        if (element.getAttribute('data-line') === String(line) && element.getAttribute('data-uri') === uri)
            element.classList.add('highlighted');
    });
}

window.addEventListener('message', (event: MessageEvent<ToWebview>) => {
    const message = event.data;
    if (message.type === 'diagram') showDiagram(message);
    else if (message.type === 'highlight') highlight(message.uri, message.line);
    else if (message.type === 'error') {
        messageBox.textContent = message.message;
        messageBox.hidden = false;
    }
});

let dragged = false;
canvas.addEventListener('click', event => {
    if (dragged) return; // the end of a pan, not a click
    const element = (event.target as Element).closest('[data-element]');
    select(element?.getAttribute('data-element') ?? undefined);
    const source = (event.target as Element).closest('[data-line]');
    if (!source) return;
    vscode.postMessage({
        type: 'reveal',
        uri: source.getAttribute('data-uri') ?? '',
        line: Number(source.getAttribute('data-line')),
        character: Number(source.getAttribute('data-character'))
    });
});

canvas.addEventListener('mousemove', event => {
    const target = (event.target as Element).closest('[data-tip]');
    const text = target?.getAttribute('data-tip');
    if (!text || drag) {
        tooltip.hidden = true;
        return;
    }
    tooltip.textContent = text;
    tooltip.hidden = false;
    const x = Math.min(event.clientX + 14, window.innerWidth - tooltip.offsetWidth - 8);
    const y =
        event.clientY + 18 + tooltip.offsetHeight > window.innerHeight
            ? event.clientY - tooltip.offsetHeight - 10
            : event.clientY + 18;
    tooltip.style.left = `${Math.max(4, x)}px`;
    tooltip.style.top = `${Math.max(4, y)}px`;
});
canvas.addEventListener('mouseleave', () => (tooltip.hidden = true));

lose.addEventListener('change', () =>
    vscode.postMessage({ type: 'simulate', failures: lose.value ? [lose.value] : [] })
);
document.getElementById('run-lab')!.addEventListener('click', () => vscode.postMessage({ type: 'lab' }));

document.querySelectorAll('button.view').forEach(button =>
    button.addEventListener('click', () => {
        const view = button.getAttribute('data-view') as ViewName;
        if (view !== state.view) vscode.postMessage({ type: 'view', view });
    })
);

document.getElementById('what-if-close')!.addEventListener('click', () => {
    whatIfClosedFor = state.failures.join(',');
    whatIf.hidden = true;
});

/** Zooms by a factor, keeping the point (window coordinates) under the cursor where it is. */
function zoom(factor: number, at = { x: viewport.clientWidth / 2, y: viewport.clientHeight / 2 }): void {
    const scale = Math.min(8, Math.max(0.02, state.scale * factor));
    state.x = at.x - ((at.x - state.x) * scale) / state.scale;
    state.y = at.y - ((at.y - state.y) * scale) / state.scale;
    state.scale = scale;
    state.fit = false;
    applyTransform();
}
document.getElementById('zoom-in')!.addEventListener('click', () => zoom(1.25));
document.getElementById('zoom-out')!.addEventListener('click', () => zoom(0.8));
document.getElementById('fit')!.addEventListener('click', fit);
document.getElementById('zoom-reset')!.addEventListener('click', () => {
    state.fit = false;
    state.scale = 1;
    state.x = 0;
    state.y = 0;
    applyTransform();
});
zoomSelection.addEventListener('click', () => {
    const box = selected && elementBox(selected);
    if (!box) return;
    state.fit = false;
    showBox({ x: box.x - 24, y: box.y - 24, width: box.width + 48, height: box.height + 48 }, 3);
});
viewport.addEventListener(
    'wheel',
    event => {
        event.preventDefault();
        const origin = viewport.getBoundingClientRect();
        zoom(event.deltaY < 0 ? 1.1 : 0.9, { x: event.clientX - origin.left, y: event.clientY - origin.top });
    },
    { passive: false }
);

let drag: { x: number; y: number; startX: number; startY: number } | undefined;
viewport.addEventListener('mousedown', event => {
    drag = { x: event.clientX - state.x, y: event.clientY - state.y, startX: event.clientX, startY: event.clientY };
    dragged = false;
});
window.addEventListener('mousemove', event => {
    if (!drag) return;
    if (Math.abs(event.clientX - drag.startX) + Math.abs(event.clientY - drag.startY) < 4) return;
    dragged = true;
    state.fit = false;
    state.x = event.clientX - drag.x;
    state.y = event.clientY - drag.y;
    applyTransform();
});
window.addEventListener('mouseup', () => {
    drag = undefined;
    setTimeout(() => (dragged = false), 0);
});
window.addEventListener('resize', () => {
    if (state.fit) fit();
});

document
    .getElementById('export-svg')!
    .addEventListener('click', () => vscode.postMessage({ type: 'export', format: 'svg' }));
document.getElementById('export-png')!.addEventListener('click', () => {
    // The standalone SVG (with its own colours) drawn on a canvas, twice the size for sharpness.
    const image = new Image();
    const url = URL.createObjectURL(new Blob([currentSvg], { type: 'image/svg+xml' }));
    image.onload = () => {
        const scale = 2;
        const board = document.createElement('canvas');
        board.width = image.width * scale;
        board.height = image.height * scale;
        const context = board.getContext('2d')!;
        context.scale(scale, scale);
        context.drawImage(image, 0, 0);
        URL.revokeObjectURL(url);
        vscode.postMessage({ type: 'export', format: 'png', dataUrl: board.toDataURL('image/png') });
    };
    image.src = url;
});

applyTransform();
vscode.postMessage({ type: 'ready', view: state.view, failures: state.failures });
