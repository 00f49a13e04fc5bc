// The preview webview in a real browser: Debian's chromium through playwright-core loads the very
// page the extension builds (strict CSP with a nonce), fed by the server's diagram request.
// Asserts: the diagram shows fitted to the window, with no CSP violation or console error; clicks
// report the right file and position (an imported file too); the view switcher, fit, zoom to
// selection and tooltips work; the what-if summary is visible over the drawing; an edit to an
// imported file draws anew; every view's SVG parses as XML. Saves a screenshot of every example in
// every view under test-results/ for review.

import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { URI } from 'langium';
import { chromium, type Browser, type Page } from 'playwright-core';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { CancellationToken } from 'vscode-languageserver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeNonce, previewHtml } from '../client/preview-html.js';
import {
    parseFromWebview,
    revealTarget,
    type DiagramResult,
    type ToWebview,
    type ViewName
} from '../protocol/messages.js';
import { VIEWS } from '../protocol/views.js';
import { DiagramRequestHandler } from '../server/diagram-request.js';
import { check, checkFiles, services } from './helpers.js';

const root = path.resolve(import.meta.dirname, '..');
const results = path.join(root, 'test-results');
const CHROMIUM = '/usr/bin/chromium';
const EXAMPLES = ['barbican-rackspace', 'keystone-catalyst', 'keystone-platform9', 'kolla-ha', 'openstack-ha-plumgrid'];
const texts = new Map(EXAMPLES.map(name => [name, readFileSync(path.join(root, `examples/${name}.hatopo`), 'utf8')]));
const catalyst = texts.get('keystone-catalyst')!;

// Stands in for VS Code's webview API: records what the page sends, keeps its state.
const STUB = `window.__sent = []; let state;
window.acquireVsCodeApi = () => ({ postMessage: m => window.__sent.push(m), getState: () => state, setState: s => { state = s; } });`;

let server: Server;
let browser: Browser;
let page: Page;
let origin: string;
const problems: string[] = [];
const handler = new DiagramRequestHandler(services.shared, services.Hatopo);
const uris = new Map<string, string>();

async function diagram(uri: string, view: ViewName = 'architecture', failures: string[] = []): Promise<DiagramResult> {
    return handler.handle({ uri, view, failures }, CancellationToken.None);
}

async function show(uri: string, view: ViewName = 'architecture', failures: string[] = []): Promise<DiagramResult> {
    const result = await diagram(uri, view, failures);
    const { svg, regions, hosts, links, whatIf } = result;
    // Mark the drawing shown now, so the wait below sees the new one, not the old of the same view.
    await page.evaluate(() => document.querySelector('#canvas svg')?.setAttribute('data-stale', ''));
    await send({ type: 'diagram', uri, view: result.view, svg, regions, hosts, links, whatIf, failures });
    await page.waitForSelector(`#canvas svg[data-view="${view}"]:not([data-stale])`);
    return result;
}

async function send(message: ToWebview): Promise<void> {
    await page.evaluate(m => window.postMessage(m, '*'), message);
}

async function sent(): Promise<Array<Record<string, unknown>>> {
    return page.evaluate(() => (window as unknown as { __sent: Array<Record<string, unknown>> }).__sent);
}

async function box(selector: string) {
    return (await page.locator(selector).first().boundingBox())!;
}

const lineOf = (text: string, pattern: RegExp) => text.split('\n').findIndex(line => pattern.test(line));

beforeAll(async () => {
    if (!existsSync(path.join(root, 'media/preview.js')))
        throw new Error('media/preview.js is missing: npm test builds it first');
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: node test/provision.mjs installs it`);
    for (const [name, text] of texts) uris.set(name, (await check(text, `${name}.hatopo`)).uri.toString());
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
    page = await browser.newPage({ viewport: { width: 1400, height: 800 } });
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
    mkdirSync(results, { recursive: true });
}, 60_000);

afterAll(async () => {
    await browser?.close();
    await new Promise(resolve => (server ? server.close(resolve) : resolve(undefined)));
});

describe('preview webview in chromium', () => {
    it('announces itself, then shows the drawing fitted to the window, with no CSP violation', async () => {
        await expect.poll(sent).toContainEqual({ type: 'ready', view: 'architecture', failures: [] });
        await show(uris.get('keystone-catalyst')!);
        const text = await page.textContent('#canvas');
        for (const region of ['wlg', 'hlz', 'por']) expect(text).toContain(region);
        const drawing = await box('#canvas svg');
        const viewport = await box('#viewport');
        expect(drawing.x).toBeGreaterThanOrEqual(viewport.x - 1);
        expect(drawing.y).toBeGreaterThanOrEqual(viewport.y - 1);
        expect(drawing.x + drawing.width).toBeLessThanOrEqual(viewport.x + viewport.width + 1);
        expect(drawing.y + drawing.height).toBeLessThanOrEqual(viewport.y + viewport.height + 1);
        // Fitted: it fills the window in one direction.
        expect(Math.max(drawing.width / viewport.width, drawing.height / viewport.height)).toBeGreaterThan(0.9);
        expect(problems, problems.join('\n')).toEqual([]);
    });

    it('reports a click with the file and position of the definition', async () => {
        const line = lineOf(catalyst, /^service keystone-hlz\b/);
        await page.click('[data-element="service:keystone-hlz"]');
        const reveal = (await sent()).filter(m => m.type === 'reveal').at(-1);
        expect(reveal).toEqual({
            type: 'reveal',
            uri: uris.get('keystone-catalyst'),
            line,
            character: catalyst.split('\n')[line].indexOf('keystone-hlz')
        });
        expect(await page.$$eval('.selected', groups => groups.map(g => g.getAttribute('data-element')))).toEqual([
            'service:keystone-hlz'
        ]);
    });

    it('zooms to the selected element, and fits again', async () => {
        await page.click('#zoom-selection');
        const element = await box('[data-element="service:keystone-hlz"]');
        const viewport = await box('#viewport');
        expect(Math.abs(element.x + element.width / 2 - (viewport.x + viewport.width / 2))).toBeLessThan(20);
        expect(element.width / viewport.width).toBeGreaterThan(0.5);
        await page.click('#fit');
        const drawing = await box('#canvas svg');
        expect(drawing.width).toBeLessThanOrEqual(viewport.width + 1);
        expect(drawing.height).toBeLessThanOrEqual(viewport.height + 1);
    });

    it('shows an element’s findings in a tooltip', async () => {
        await page.hover('[data-element="galera:keystone-db"] text >> nth=1');
        await page.waitForSelector('#tooltip:not([hidden])');
        const tip = await page.textContent('#tooltip');
        expect(tip).toContain('GALERA CLUSTER: keystone-db');
        expect(tip).toContain('warning: ');
        expect(await page.$$('#canvas title')).toHaveLength(0); // no second, native tooltip
    });

    it('switches views', async () => {
        await page.click('button.view[data-view="network"]');
        expect((await sent()).at(-1)).toEqual({ type: 'view', view: 'network' });
        await show(uris.get('keystone-catalyst')!, 'network');
        expect(await page.getAttribute('button.view[data-view="network"]', 'aria-pressed')).toBe('true');
        expect(await page.getAttribute('button.view[data-view="architecture"]', 'aria-pressed')).toBe('false');
        expect(await page.$('[data-element="link:wlg-hlz"]')).not.toBeNull();
        await show(uris.get('keystone-catalyst')!, 'architecture');
    });

    it('asks for a what-if when something is picked, and shows what breaks over the drawing', async () => {
        const links = await page.$$eval('#lose optgroup[label="Links"] option', options =>
            options.map(o => (o as HTMLOptionElement).value)
        );
        expect(links).toEqual(['link:wlg-hlz', 'link:hlz-por', 'link:wlg-por']);
        await page.selectOption('#lose', 'region:wlg');
        expect((await sent()).filter(m => m.type === 'simulate').at(-1)).toEqual({
            type: 'simulate',
            failures: ['region:wlg']
        });
        await show(uris.get('keystone-catalyst')!, 'architecture', ['region:wlg']);
        await page.waitForSelector('#what-if:not([hidden])');
        expect(await page.textContent('#what-if')).toContain('galera keystone-db: weight 6 of 9');
        // The summary floats over the drawing, inside the window, not under the picture.
        const summary = await box('#what-if');
        const viewport = await box('#viewport');
        expect(summary.y).toBeGreaterThanOrEqual(viewport.y);
        expect(summary.y + summary.height).toBeLessThanOrEqual(viewport.y + viewport.height);
        expect(await page.$$eval('.element.lost', groups => groups.length)).toBeGreaterThan(3);
        expect(await page.$('[data-element="service:keystone-wlg"].down')).not.toBeNull();
        await page.screenshot({ path: path.join(results, 'preview-keystone-catalyst-what-if-region-wlg.png') });
        await show(uris.get('keystone-catalyst')!, 'architecture', ['link:wlg-hlz']);
        expect(await page.$$eval('.edge.cut', edges => edges.length)).toBeGreaterThan(0);
        await page.screenshot({ path: path.join(results, 'preview-keystone-catalyst-what-if-link-wlg-hlz.png') });
        await show(uris.get('keystone-catalyst')!);
    });

    it('asks to run the lab with the what-if the picker holds', async () => {
        await page.click('#run-lab');
        expect((await sent()).at(-1)).toEqual({ type: 'lab' });
    });

    it('keeps zoom across updates and highlights what is defined on the cursor’s line', async () => {
        await page.click('#zoom-in');
        const before = await page.$eval('#canvas', element => (element as HTMLElement).style.transform);
        await show(uris.get('keystone-catalyst')!);
        expect(await page.$eval('#canvas', element => (element as HTMLElement).style.transform)).toBe(before);
        const line = lineOf(catalyst, /^galera keystone-db\b/);
        // A posted message is handled in a later task: wait for the page to act on it.
        await send({ type: 'highlight', uri: uris.get('keystone-catalyst')!, line });
        await page.waitForFunction(() => document.querySelectorAll('.highlighted').length > 0, undefined, {
            timeout: 5000
        });
        expect(
            await page.$$eval('.highlighted', elements => elements.map(e => e.getAttribute('data-element')))
        ).toEqual(['galera:keystone-db']);
        // The same line of another file marks nothing.
        await send({ type: 'highlight', uri: 'file:///elsewhere.hatopo', line });
        await page.waitForFunction(() => document.querySelectorAll('.highlighted').length === 0, undefined, {
            timeout: 5000
        });
        expect(await page.$$('.highlighted')).toHaveLength(0);
        await page.click('#fit');
        expect(problems).toEqual([]);
    });

    it('takes the editor theme: backgrounds and text from VS Code’s variables (dark)', async () => {
        const dark = {
            '--vscode-editor-background': '#1e1e1e',
            '--vscode-foreground': '#cccccc',
            '--vscode-sideBar-background': '#252526',
            '--vscode-descriptionForeground': '#9d9d9d',
            '--vscode-panel-border': '#3c3c3c',
            '--vscode-button-secondaryBackground': '#3a3d41',
            '--vscode-button-secondaryForeground': '#cccccc'
        };
        await page.evaluate(vars => {
            for (const [name, value] of Object.entries(vars)) document.documentElement.style.setProperty(name, value);
        }, dark);
        await show(uris.get('keystone-catalyst')!);
        await page.click('#fit');
        const fills = await page.evaluate(() => ({
            paper: getComputedStyle(document.querySelector('#canvas .hx-paper')!).fill,
            ink: getComputedStyle(document.querySelector('#canvas .hx-ink')!).fill
        }));
        expect(fills).toEqual({ paper: 'rgb(30, 30, 30)', ink: 'rgb(204, 204, 204)' });
        await page.screenshot({ path: path.join(results, 'preview-keystone-catalyst-architecture-dark.png') });
        await page.evaluate(vars => {
            for (const name of Object.keys(vars)) document.documentElement.style.removeProperty(name);
        }, dark);
    });

    it('takes a screenshot of every example in every view', async () => {
        for (const name of EXAMPLES)
            for (const view of VIEWS) {
                await show(uris.get(name)!, view);
                await page.click('#fit');
                await page.screenshot({ path: path.join(results, `preview-${name}-${view}.png`) });
            }
        expect(problems, problems.join('\n')).toEqual([]);
    }, 120_000);
});

describe('a topology in several files', () => {
    const sites = `region a 10.1.0.0/16 { host a1 10.1.0.1  host a2 10.1.0.2  host a3 10.1.0.3 }\n`;
    const main = `import "sites.hatopo"
galera db { members a1, a2, a3 }
service api kind keystone port 5000 { nodes a1, a2 database db }
`;
    let files: Map<string, { uri: URI }>;

    beforeAll(async () => {
        files = await checkFiles({ 'sites.hatopo': sites, 'main.hatopo': main });
    });

    it('opens the imported file when an element defined there is clicked', async () => {
        const mainUri = files.get('main.hatopo')!.uri.toString();
        const sitesUri = files.get('sites.hatopo')!.uri.toString();
        const result = await show(mainUri);
        expect(result.documents).toEqual([sitesUri, mainUri]);
        await page.click('[data-element="region:a"] text >> nth=1');
        const reveal = (await sent()).filter(m => m.type === 'reveal').at(-1) as {
            type: 'reveal';
            uri: string;
            line: number;
            character: number;
        };
        expect(reveal).toEqual({ type: 'reveal', uri: sitesUri, line: 0, character: 'region '.length });
        // The panel opens only files of the topology, whatever a page asks for.
        expect(revealTarget(reveal, result.documents)).toEqual({ uri: sitesUri, line: 0, character: 7 });
        expect(revealTarget({ ...reveal, uri: 'file:///etc/passwd' }, result.documents)).toBeUndefined();
        await page.click('[data-element="galera:db"] text >> nth=1');
        expect((await sent()).filter(m => m.type === 'reveal').at(-1)).toMatchObject({ uri: mainUri, line: 1 });
    });

    it('draws anew when an imported file changes', async () => {
        const mainUri = files.get('main.hatopo')!.uri.toString();
        const sitesUri = files.get('sites.hatopo')!.uri;
        const before = await diagram(mainUri, 'hosts');
        expect(before.hosts).toEqual(['a1', 'a2', 'a3']);
        // The editor changes the imported file only (version 2), as didChange would.
        const workspace = services.shared.workspace;
        workspace.TextDocuments!.set(
            TextDocument.create(
                sitesUri.toString(),
                'hatopo',
                2,
                sites.replace('host a3 10.1.0.3', 'host a3 10.1.0.3  host a4 10.1.0.4')
            )
        );
        await workspace.DocumentBuilder.update([sitesUri], []);
        const after = await diagram(mainUri, 'hosts');
        expect(after.hosts).toEqual(['a1', 'a2', 'a3', 'a4']);
        expect(after.svg).toContain('data-element="host:a4"');
        expect(after.svg).not.toBe(before.svg);
    });
});

describe('every view parses as XML in the browser, hostile text included', () => {
    it('has no parser error and no script element', async () => {
        const hostile = JSON.stringify(`<script>alert("x")</script> & 'q' ünï 😀 ]]>`);
        const document = await check(
            `topology t ${hostile}
region r ${hostile} { zone z trust public { host a 10.0.1.1  host b 10.0.1.2  host c 10.0.1.3 } }
galera db { members a, b, c }
link l: z -> r { allow tcp 80 }`,
            'hostile.hatopo'
        );
        for (const view of VIEWS)
            for (const failures of [[], ['host:a']]) {
                const { svg } = await diagram(document.uri.toString(), view, failures);
                const parsed = await page.evaluate(text => {
                    const xml = new DOMParser().parseFromString(text, 'image/svg+xml');
                    return {
                        error: xml.querySelector('parsererror')?.textContent ?? null,
                        scripts: xml.querySelectorAll('script').length,
                        title: xml.querySelector('[data-kind="topology"] text:nth-of-type(2)')?.textContent
                    };
                }, svg);
                expect(parsed.error, `${view}`).toBeNull();
                expect(parsed.scripts).toBe(0);
                expect(parsed.title).toBe('t');
            }
    });
});

describe('the webview bundle', () => {
    it('holds no JSON-RPC: the typed requests (vscode-jsonrpc) stay in the extension and the server', () => {
        const bundle = readFileSync(path.join(root, 'media/preview.js'), 'utf8');
        for (const mark of ['$/cancelRequest', 'Content-Length', 'RequestType', 'hatopo/diagram'])
            expect(bundle, mark).not.toContain(mark);
        expect(readFileSync(path.join(root, 'out/extension.cjs'), 'utf8')).toContain('hatopo/diagram');
    });
});

describe('messages from the webview are untrusted', () => {
    it('accepts only the shapes of the protocol', () => {
        const uri = 'file:///work/a.hatopo';
        expect(parseFromWebview({ type: 'reveal', uri, line: 3, character: 4 })).toEqual({
            type: 'reveal',
            uri,
            line: 3,
            character: 4
        });
        for (const bad of [
            { type: 'reveal', line: 3, character: 4 },
            { type: 'reveal', uri: '', line: 3, character: 4 },
            { type: 'reveal', uri: 'x'.repeat(5000), line: 3, character: 4 },
            { type: 'reveal', uri, line: -1, character: 0 },
            { type: 'reveal', uri, line: 1.5, character: 0 },
            { type: 'view', view: 'sideways' },
            { type: 'simulate', failures: ['moon:x'] },
            { type: 'simulate', failures: 'region:a' },
            { type: 'ready', view: 'x' },
            { type: 'ready', failures: ['region:a b'] },
            { type: 'export', format: 'png', dataUrl: 'javascript:1' },
            { type: 'eval', code: '1' },
            null,
            'ready'
        ])
            expect(parseFromWebview(bad), JSON.stringify(bad)?.slice(0, 60)).toBeUndefined();
        expect(parseFromWebview({ type: 'view', view: 'network' })).toEqual({ type: 'view', view: 'network' });
        // "Run Lab" carries nothing: the panel runs the lab with the failures it holds itself.
        expect(parseFromWebview({ type: 'lab', failures: ['host:x'], file: '/etc/passwd' })).toEqual({ type: 'lab' });
        expect(parseFromWebview({ type: 'ready', view: 'hosts', failures: ['link:wlg-hlz'] })).toEqual({
            type: 'ready',
            view: 'hosts',
            failures: ['link:wlg-hlz']
        });
        expect(parseFromWebview({ type: 'simulate', failures: ['link:a<->b', 'host:x'] })).toBeDefined();
    });
});
