// The preview webview's script: shows the SVG the server drew, keeps zoom and pan across updates,
// reports clicks (reveal the source), the failure to simulate and exports. Bundled for the browser.

import type { FromWebview, ToWebview } from '../protocol/messages.js';

interface VsCodeApi {
    postMessage(message: FromWebview): void;
    getState(): State | undefined;
    setState(state: State): void;
}
interface State {
    uri?: string;
    scale: number;
    x: number;
    y: number;
    failures: string[];
}

declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const state: State = { scale: 1, x: 0, y: 0, failures: [], ...vscode.getState() };
const canvas = document.getElementById('canvas')!;
const viewport = document.getElementById('viewport')!;
const lose = document.getElementById('lose') as HTMLSelectElement;
const whatIf = document.getElementById('what-if')!;
const messageBox = document.getElementById('message')!;
let currentSvg = '';

function applyTransform(): void {
    canvas.style.transform = `translate(${state.x}px, ${state.y}px) scale(${state.scale})`;
    vscode.setState(state);
}

function showDiagram(message: Extract<ToWebview, { type: 'diagram' }>): void {
    currentSvg = message.svg;
    state.uri = message.uri;
    state.failures = message.failures;
    // The SVG's own <style> is for standalone files; here the theme's stylesheet colours it.
    canvas.innerHTML = message.svg.replace(/<style>[\s\S]*?<\/style>/, '');
    messageBox.hidden = true;
    const options = [
        ['', 'nothing'],
        ...message.regions.map(r => [`region:${r}`, `region ${r}`]),
        ...message.hosts.map(h => [`host:${h}`, `host ${h}`])
    ];
    lose.replaceChildren(
        ...options.map(([value, label]) => {
            const option = document.createElement('option');
            option.value = value;
            option.textContent = label;
            option.selected = message.failures[0] === value;
            return option;
        })
    );
    whatIf.replaceChildren(
        ...message.whatIf.map(line => {
            const item = document.createElement('li');
            item.textContent = line;
            return item;
        })
    );
    whatIf.hidden = message.whatIf.length === 0;
    applyTransform();
}

function highlight(line: number): void {
    canvas.querySelectorAll('.highlighted').forEach(element => element.classList.remove('highlighted'));
    canvas.querySelectorAll(`[data-line="${line}"]`).forEach(element => element.classList.add('highlighted'));
}

window.addEventListener('message', (event: MessageEvent<ToWebview>) => {
    const message = event.data;
    if (message.type === 'diagram') showDiagram(message);
    else if (message.type === 'highlight') highlight(message.line);
    else if (message.type === 'error') {
        messageBox.textContent = message.message;
        messageBox.hidden = false;
    }
});

canvas.addEventListener('click', event => {
    const element = (event.target as Element).closest('[data-line]');
    if (!element) return;
    vscode.postMessage({
        type: 'reveal',
        line: Number(element.getAttribute('data-line')),
        character: Number(element.getAttribute('data-character'))
    });
});

lose.addEventListener('change', () =>
    vscode.postMessage({ type: 'simulate', failures: lose.value ? [lose.value] : [] })
);

function zoom(factor: number): void {
    state.scale = Math.min(8, Math.max(0.05, state.scale * factor));
    applyTransform();
}
document.getElementById('zoom-in')!.addEventListener('click', () => zoom(1.25));
document.getElementById('zoom-out')!.addEventListener('click', () => zoom(0.8));
document.getElementById('zoom-reset')!.addEventListener('click', () => {
    state.scale = 1;
    state.x = 0;
    state.y = 0;
    applyTransform();
});
viewport.addEventListener(
    'wheel',
    event => {
        event.preventDefault();
        zoom(event.deltaY < 0 ? 1.1 : 0.9);
    },
    { passive: false }
);

let drag: { x: number; y: number } | undefined;
viewport.addEventListener('mousedown', event => {
    drag = { x: event.clientX - state.x, y: event.clientY - state.y };
});
window.addEventListener('mousemove', event => {
    if (!drag) return;
    state.x = event.clientX - drag.x;
    state.y = event.clientY - drag.y;
    applyTransform();
});
window.addEventListener('mouseup', () => {
    drag = undefined;
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
vscode.postMessage({ type: 'ready' });
