// The diagram: true to the model, deterministic, escaped, and collapsed where an estate is large.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { analyse } from '../language/analysis/analyse.js';
import { diagramOf } from '../language/diagram/diagram-model.js';
import { layoutDiagram, type LaidOutDiagram } from '../language/diagram/layout.js';
import { renderSvg } from '../language/diagram/svg.js';
import { buildModel } from '../language/model/build-model.js';
import { check } from './helpers.js';

const catalyst = readFileSync(path.resolve(import.meta.dirname, '../examples/keystone-catalyst.hatopo'), 'utf8');

async function svgOf(text: string, options = {}) {
    const model = buildModel([await check(text)]);
    const graph = diagramOf(model, analyse(model), options);
    return { model, graph, svg: renderSvg(await layoutDiagram(graph)) };
}

describe('diagram', () => {
    it('names every region and host of the file', async () => {
        const { model, svg } = await svgOf(catalyst);
        for (const element of [...model.regions, ...model.hosts]) expect(svg).toContain(`>${element.name}</text>`);
        expect(svg).toContain('data-line=');
    });

    it('gives identical output for the same text (the CLI test compares real files byte for byte)', async () => {
        // Each in-memory parse gets its own URI; everything else must match.
        const withoutUri = (svg: string) => svg.replace(/data-uri="[^"]*"/g, '');
        const first = withoutUri((await svgOf(catalyst)).svg);
        const second = withoutUri((await svgOf(catalyst)).svg);
        expect(second).toBe(first);
    });

    it('draws links with their ports and blocked flows as marked edges', async () => {
        const text = `region a { host a1 10.1.0.1  host a2 10.1.0.2 } region b { host b1 10.2.0.1 }
galera db { members a1, a2, b1 }
link a <-> b { latency 12ms; allow tcp 3306, 4567-4568 }`;
        const { graph, svg } = await svgOf(text);
        expect(graph.edges.find(edge => edge.kind === 'link')!.label).toBe('tcp 3306,4567-4568 · 12 ms');
        const blocked = graph.edges.find(edge => edge.kind === 'blocked')!;
        expect(blocked.label).toBe('blocked 4444/tcp');
        expect(svg).toContain('class="blocked"');
        expect(
            graph.regions.find(region => region.name === 'a')!.hosts.find(host => host.name === 'a1')!.badges
        ).toEqual(['galera db']);
    });

    it('escapes every piece of user text', () => {
        const hostile = '<script>alert("x")</script> & \'q\'';
        const source = {
            uri: 'file:///x"><svg onload=alert(1)>',
            start: { line: 0, character: 0 },
            end: { line: 0, character: 1 }
        };
        const none = { error: 0, warning: 0, info: 0 };
        const diagram: LaidOutDiagram = {
            title: hostile,
            width: 100,
            height: 100,
            edges: [
                {
                    id: 'e',
                    from: 'a',
                    to: 'b',
                    kind: 'link',
                    bidirectional: true,
                    label: hostile,
                    source,
                    points: [
                        { x: 0, y: 0 },
                        { x: 1, y: 1 }
                    ],
                    labelBox: { x: 0, y: 0, width: 10, height: 10 }
                }
            ],
            regions: [
                {
                    id: hostile,
                    name: hostile,
                    collapsed: false,
                    hostCount: 1,
                    summary: [hostile],
                    diagnostics: none,
                    source,
                    x: 0,
                    y: 0,
                    width: 50,
                    height: 50,
                    hosts: [
                        {
                            id: 'h',
                            name: hostile,
                            address: hostile,
                            badges: [hostile],
                            diagnostics: none,
                            source,
                            lost: false,
                            x: 0,
                            y: 0,
                            width: 10,
                            height: 10
                        }
                    ]
                }
            ]
        };
        const svg = renderSvg(diagram);
        expect(svg).not.toContain('<script');
        expect(svg).not.toContain('"><svg');
        expect(svg).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &apos;q&apos;');
    });

    it('collapses a large region into a summary unless it is expanded', async () => {
        const hosts = Array.from({ length: 120 }, (_, i) => `host n${i} 10.5.${Math.floor(i / 200)}.${i + 1}`).join(
            ' '
        );
        const text = `region big { ${hosts} } region small { host s1 10.6.0.1 } memcached mc { servers n1, n2 }`;
        const collapsed = await svgOf(text);
        const big = collapsed.graph.regions.find(region => region.name === 'big')!;
        expect(big).toMatchObject({ collapsed: true, hostCount: 120, hosts: [] });
        expect(big.summary).toEqual(['120 hosts', 'memcached ×2']);
        expect(collapsed.svg).toContain('big (collapsed)');
        const expanded = await svgOf(text, { expanded: new Set(['big']) });
        expect(expanded.graph.regions.find(region => region.name === 'big')!.hosts).toHaveLength(120);
    });
});

describe('hatopo render', () => {
    const folder = mkdtempSync(path.join(tmpdir(), 'hatopo-render-'));
    afterAll(() => rmSync(folder, { recursive: true, force: true }));
    const cli = path.resolve(import.meta.dirname, '../bin/hatopo.cjs');
    const example = path.resolve(import.meta.dirname, '../examples/keystone-catalyst.hatopo');

    it('writes the same SVG twice and a PNG', () => {
        const run = (out: string) =>
            spawnSync(process.execPath, [cli, 'render', example, '--out', path.join(folder, out)], {
                encoding: 'utf8'
            });
        expect(run('a.svg').status).toBe(0);
        expect(run('b.svg').status).toBe(0);
        expect(readFileSync(path.join(folder, 'b.svg'))).toEqual(readFileSync(path.join(folder, 'a.svg')));
        expect(run('d.png').status).toBe(0);
        expect(readFileSync(path.join(folder, 'd.png')).subarray(0, 8)).toEqual(
            Buffer.from([137, 80, 78, 71, 13, 10, 26, 10])
        );
    }, 30_000);

    it('refuses a missing --out or a wrong extension with exit 2', () => {
        expect(spawnSync(process.execPath, [cli, 'render', example], { encoding: 'utf8' }).status).toBe(2);
        expect(
            spawnSync(process.execPath, [cli, 'render', example, '--out', 'x.gif'], { encoding: 'utf8' }).status
        ).toBe(2);
    });
});
