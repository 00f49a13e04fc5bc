// The preview webview in a real browser: Debian's chromium through playwright-core loads the very
// page the extension builds (strict CSP with a nonce), fed by the server's diagram request.
// Asserts: the diagram shows, no CSP violation or console error, clicks report the right source,
// the failure toggle asks for a what-if and shows it, zoom survives an update. Saves a screenshot.

import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { CancellationToken } from 'vscode-languageserver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeNonce, previewHtml } from '../client/preview-html.js';
import type { ToWebview } from '../protocol/messages.js';
import { DiagramRequestHandler } from '../server/diagram-request.js';
import { check, services } from './helpers.js';

const root = path.resolve(import.meta.dirname, '..');
const CHROMIUM = '/usr/bin/chromium';
const example = readFileSync(path.join(root, 'examples/keystone-catalyst.hatopo'), 'utf8');

// Stands in for VS Code's webview API: records what the page sends, keeps its state.
const STUB = `window.__sent = []; let state;
window.acquireVsCodeApi = () => ({ postMessage: m => window.__sent.push(m), getState: () => state, setState: s => { state = s; } });`;

let server: Server;
let browser: Browser;
let page: Page;
let origin: string;
const problems: string[] = [];
const handler = new DiagramRequestHandler(services.shared, services.Hatopo);
let uri: string;

async function diagramMessage(failures: string[] = []): Promise<ToWebview> {
    const result = await handler.handle({ uri, failures }, CancellationToken.None);
    return { type: 'diagram', uri, failures, ...result };
}

async function send(message: ToWebview): Promise<void> {
    await page.evaluate(m => window.postMessage(m, '*'), message);
}

async function sent(): Promise<Array<Record<string, unknown>>> {
    return page.evaluate(() => (window as unknown as { __sent: Array<Record<string, unknown>> }).__sent);
}

beforeAll(async () => {
    if (!existsSync(path.join(root, 'media/preview.js')))
        throw new Error('media/preview.js is missing: npm test builds it first');
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: node test/provision.mjs installs it`);
    uri = (await check(example, 'keystone-catalyst.hatopo')).uri.toString();
    const nonce = makeNonce();
    server = createServer((request, response) => {
        const url = request.url ?? '/';
        if (url === '/') {
            const html = previewHtml({
                cspSource: origin,
                nonce,
                scriptUri: `${origin}/media/preview.js`,
                styleUri: `${origin}/media/preview.css`
            }).replace('<script nonce', `<script nonce="${nonce}" src="${origin}/stub.js"></script>\n<script nonce`);
            response.writeHead(200, { 'content-type': 'text/html' }).end(html);
        } else if (url === '/stub.js') {
            response.writeHead(200, { 'content-type': 'text/javascript' }).end(STUB);
        } else if (url === '/media/preview.js' || url === '/media/preview.css') {
            response
                .writeHead(200, { 'content-type': url.endsWith('.js') ? 'text/javascript' : 'text/css' })
                .end(readFileSync(path.join(root, url)));
        } else if (url === '/favicon.ico') {
            response.writeHead(204).end(); // the browser asks on its own; a webview does not
        } else {
            response.writeHead(404).end();
        }
    });
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await chromium.launch({
        executablePath: CHROMIUM,
        args: [
            '--no-sandbox',
            '--disable-gpu',
            '--disable-quic',
            '--no-first-run',
            '--disable-background-networking',
            '--disable-component-update',
            '--disable-sync',
            '--disable-dev-shm-usage'
        ]
    });
    page = await browser.newPage({ viewport: { width: 1400, height: 700 } });
    page.on('console', message => {
        if (message.type() === 'error' || message.type() === 'warning') problems.push(message.text());
    });
    page.on('pageerror', error => problems.push(error.message));
    await page.addInitScript(() =>
        document.addEventListener('securitypolicyviolation', event =>
            console.error(`CSP violation: ${event.violatedDirective} ${event.blockedURI}`)
        )
    );
    await page.goto(`${origin}/`);
}, 60_000);

afterAll(async () => {
    await browser?.close();
    await new Promise(resolve => (server ? server.close(resolve) : resolve(undefined)));
});

describe('preview webview in chromium', () => {
    it('announces itself, then shows the diagram with every region and no CSP violation', async () => {
        await expect.poll(sent).toContainEqual({ type: 'ready' });
        await send(await diagramMessage());
        await page.waitForSelector('#canvas svg');
        const text = await page.textContent('#canvas');
        for (const region of ['wlg', 'hlz', 'por']) expect(text).toContain(region);
        expect(await page.$$eval('#lose option', options => options.length)).toBeGreaterThan(3);
        expect(problems, problems.join('\n')).toEqual([]);
    });

    it('reports a click on a host with the line of its definition', async () => {
        const line = example.split('\n').findIndex(l => /host wlg-db1\b/.test(l));
        await page.click('[data-id="host:wlg-db1"]');
        const reveal = (await sent()).filter(m => m.type === 'reveal').at(-1);
        expect(reveal).toEqual({ type: 'reveal', line, character: example.split('\n')[line].indexOf('wlg-db1') });
    });

    it('asks for a what-if when a region is picked, and shows what breaks', async () => {
        await page.selectOption('#lose', 'region:wlg');
        expect((await sent()).filter(m => m.type === 'simulate').at(-1)).toEqual({
            type: 'simulate',
            failures: ['region:wlg']
        });
        await send(await diagramMessage(['region:wlg']));
        await page.waitForSelector('#what-if:not([hidden])');
        expect(await page.textContent('#what-if')).toContain('galera keystone-db: weight 6 of 9');
        expect(await page.$$eval('.host-group.lost', groups => groups.length)).toBeGreaterThan(0);
    });

    it('keeps zoom across updates and highlights the element under the cursor', async () => {
        await page.click('#zoom-in');
        const before = await page.$eval('#canvas', element => (element as HTMLElement).style.transform);
        await send(await diagramMessage());
        expect(await page.$eval('#canvas', element => (element as HTMLElement).style.transform)).toBe(before);
        expect(before).toContain('scale(1.25)');
        const line = example.split('\n').findIndex(l => /host hlz-db2\b/.test(l));
        await send({ type: 'highlight', line });
        expect(await page.$$eval('.highlighted', elements => elements.map(e => e.getAttribute('data-id')))).toEqual([
            'host:hlz-db2'
        ]);
        mkdirSync(path.join(root, 'test-results'), { recursive: true });
        await page.click('#zoom-reset');
        await page.screenshot({ path: path.join(root, 'test-results/preview.png') });
        expect(problems).toEqual([]);
    });
});
