// The diagram: every declared element drawn in the architecture view with exactly its findings, the
// operators' stories readable from the edges, a picture that keeps its order under edits, the what-if
// drawn, hostile text escaped and well-formed in every view, large estates collapsed and merged, and
// `hatopo render` (svg, png, json) on the command line.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findingElementId } from '../language/analysis/finding.js';
import { whatIf } from '../language/analysis/what-if.js';
import { diagramJson, type DiagramJson } from '../language/diagram/diagram-json.js';
import { diagramOf, VIEWS, type DiagramOptions, type ViewName } from '../language/diagram/diagram-model.js';
import { layoutDiagram } from '../language/diagram/layout.js';
import { escapeXml, renderSvg } from '../language/diagram/svg.js';
import { generate } from '../bench/generate.js';
import { check, checkFiles } from './helpers.js';
import { services } from './helpers.js';

const root = path.resolve(import.meta.dirname, '..');
const cli = path.join(root, 'bin/hatopo.cjs');
const EXAMPLES = [
    'barbican-rackspace',
    'keystone-catalyst',
    'keystone-platform9',
    'kolla-ha',
    'openstack-ha-plumgrid'
] as const;
const exampleFile = (name: string) => path.join(root, `examples/${name}.hatopo`);
const exampleText = (name: string) => readFileSync(exampleFile(name), 'utf8');

async function draw(text: string, options: DiagramOptions & { failures?: string[] } = {}) {
    const document = await check(text);
    const { model } = services.Hatopo.analysis.ModelCache.get(document);
    const findings = services.Hatopo.analysis.ModelCache.visibleFindings(document);
    const result = options.failures ? whatIf(model, options.failures) : undefined;
    const laid = await layoutDiagram(diagramOf(model, findings, { ...options, whatIf: result }));
    return { model, findings, laid, json: diagramJson(laid), svg: renderSvg(laid) };
}

function run(args: string[]) {
    return spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
}

type Placed = { x: number; y: number; width: number; height: number };
/**
 * Regions in reading order; each region's elements by column (ELK centres a column's boxes), then
 * top to bottom, or in reading order where the boxes are packed in rows (the hosts view). A long
 * request path wraps onto a second row: rows (boxes whose y-ranges overlap, transitively) top to
 * bottom, columns inside each.
 */
function order(json: DiagramJson): { regions: string[]; inside: Map<string, string[]> } {
    const byPosition = (a: Placed, b: Placed) => a.y - b.y || a.x - b.x;
    /** Columns are boxes whose x-ranges overlap; columns left to right, boxes top to bottom. */
    const columnsOf = <T extends Placed & { id: string }>(boxes: T[]): T[] => {
        const columns: Array<{ left: number; right: number; boxes: T[] }> = [];
        for (const box of [...boxes].sort((a, b) => a.x - b.x)) {
            const column = columns.find(c => box.x < c.right && box.x + box.width > c.left);
            if (column) {
                column.boxes.push(box);
                column.right = Math.max(column.right, box.x + box.width);
            } else columns.push({ left: box.x, right: box.x + box.width, boxes: [box] });
        }
        return columns.flatMap(column => column.boxes.sort((a, b) => a.y - b.y));
    };
    // A wrapped row starts below a gap wider than ELK's spacing between boxes (22) that no box crosses.
    const WRAP_GAP = 40;
    const inColumns = <T extends Placed & { id: string }>(boxes: T[]): T[] => {
        const rows: Array<{ bottom: number; boxes: T[] }> = [];
        for (const box of [...boxes].sort((a, b) => a.y - b.y)) {
            const last = rows[rows.length - 1];
            if (last && box.y < last.bottom + WRAP_GAP) {
                last.boxes.push(box);
                last.bottom = Math.max(last.bottom, box.y + box.height);
            } else rows.push({ bottom: box.y + box.height, boxes: [box] });
        }
        return rows.flatMap(row => columnsOf(row.boxes));
    };
    const arrange = <T extends Placed & { id: string }>(boxes: T[]) =>
        json.view === 'hosts' ? [...boxes].sort(byPosition) : inColumns(boxes);
    const regions = json.elements.filter(e => e.kind === 'region').sort(byPosition);
    const parents = new Map(json.elements.map(e => [e.id, e.parent]));
    const regionOf = (id: string): string | undefined => {
        let parent = parents.get(id);
        while (parent && parents.get(parent)) parent = parents.get(parent);
        return parent;
    };
    const inside = new Map<string, string[]>();
    for (const region of regions)
        inside.set(
            region.id,
            // A group's members (a Pacemaker cluster's) are in the region too.
            arrange(json.elements.filter(e => e.parent && regionOf(e.id) === region.id)).map(e => e.id)
        );
    inside.set(
        '(shared)',
        json.elements
            .filter(e => !e.parent && e.kind !== 'region' && e.kind !== 'topology')
            .sort(byPosition)
            .map(e => e.id)
    );
    return { regions: regions.map(r => r.id), inside };
}

/** A small XML well-formedness check: tags nest and close, attributes are quoted, text has no raw < or bare &. */
function wellFormed(xml: string): string | undefined {
    const stack: string[] = [];
    const token = /<(\/?)([A-Za-z][\w:-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>|<!--[\s\S]*?-->|([^<]+)|(<)/g;
    let match: RegExpExecArray | null;
    while ((match = token.exec(xml))) {
        const [, closing, name, , selfClosing, text, stray] = match;
        if (stray) return `stray < at ${match.index}: ${xml.slice(match.index, match.index + 40)}`;
        if (text !== undefined) {
            if (/&(?!(amp|lt|gt|quot|apos|#\d+);)/.test(text)) return `bare & in text: ${text.slice(0, 40)}`;
            continue;
        }
        if (!name) continue;
        if (closing) {
            if (stack.pop() !== name) return `</${name}> closes the wrong element`;
        } else if (!selfClosing) stack.push(name);
    }
    return stack.length ? `unclosed ${stack.join(' ')}` : undefined;
}

const ARCHITECTURE_KINDS = ['services', 'vips', 'galeras', 'rabbitmqs', 'memcacheds', 'hsms', 'haproxies'] as const;

describe('architecture view of the examples', () => {
    const folder = mkdtempSync(path.join(tmpdir(), 'hatopo-diagram-'));
    afterAll(() => rmSync(folder, { recursive: true, force: true }));
    const figures: string[] = [];
    afterAll(() => console.log(`findings that name an element:\n${figures.join('\n')}`));

    for (const name of EXAMPLES) {
        it(`${name}: an element for everything it declares, each with exactly its findings from check`, async () => {
            const { model, json } = await draw(exampleText(name));
            const ids = new Set(json.elements.map(e => e.id));
            for (const kind of ARCHITECTURE_KINDS)
                for (const element of model[kind]) expect(ids, `${element.id} is not drawn`).toContain(element.id);

            const checked = run(['check', exampleFile(name), '--format', 'json', '--exit-zero']);
            expect(checked.status, checked.stderr).toBe(0);
            const problems = JSON.parse(checked.stdout) as Array<{ element?: string }>;
            const named = problems.filter(p => p.element);
            figures.push(
                `  ${name}: ${named.length} of ${problems.length}` +
                    (problems.length ? ` (${Math.round((100 * named.length) / problems.length)} %)` : ' (no findings)')
            );
            if (problems.length > 0) expect(named.length / problems.length).toBeGreaterThanOrEqual(0.8);
            const expected = new Map<string, number>();
            for (const problem of named) expected.set(problem.element!, (expected.get(problem.element!) ?? 0) + 1);
            const views = new Map<ViewName, DiagramJson>([['architecture', json]]);
            for (const [id, count] of expected) {
                // Zones and plain links are drawn by the network view, every host by the hosts view.
                let shown = json.elements.find(e => e.id === id);
                for (const view of ['network', 'hosts'] as const) {
                    if (shown) break;
                    if (!views.has(view)) views.set(view, (await draw(exampleText(name), { view })).json);
                    shown = views.get(view)!.elements.find(e => e.id === id);
                }
                expect(shown, `${id} has ${count} findings but is not drawn`).toBeDefined();
                const { error, warning, info } = shown!.findings;
                expect(error + warning + info, `${id}`).toBe(count);
            }
            // Nothing is counted twice: the badges add up to the named findings.
            const total = json.elements.reduce(
                (sum, e) => sum + e.findings.error + e.findings.warning + e.findings.info,
                0
            );
            expect(total).toBeLessThanOrEqual(named.length);
        }, 30_000);
    }

    it('Rackspace: DNS → green VIP → LB pair → API nodes with Repose → DB VIP → DB LB pair → three Galera masters; API nodes → VPN → F5 → Luna pair', async () => {
        const { json, svg } = await draw(exampleText('barbican-rackspace'));
        const edge = (source: string, target: string) =>
            json.edges.find(e => e.source === source && e.target === target);
        const chain = [
            'dns:barbican',
            'vip:green-vip',
            'haproxy:green-haproxy',
            'service:barbican-green',
            'vip:db-vip',
            'haproxy:db-haproxy',
            'galera:barbican-db'
        ];
        for (let i = 0; i + 1 < chain.length; i++)
            expect(edge(chain[i], chain[i + 1]), `${chain[i]} → ${chain[i + 1]}`).toBeDefined();
        expect(edge('dns:barbican', 'vip:green-vip')!.kind).toBe('resolves');
        expect(svg).toContain('barbican.api.example.invalid');
        // DNS is the way in for green: no clients' box of its own.
        expect(json.elements.find(e => e.id === 'entry:cloud/public')).toBeUndefined();
        expect(edge('service:barbican-green', 'vip:db-vip')!.label).toBe('MySQL 3306');
        expect(edge('haproxy:db-haproxy', 'galera:barbican-db')!.label).toBe('MySQL 3306 · 3 writers');
        // The multi-writer warning is on the database load balancer (its backend's owner).
        expect(json.elements.find(e => e.id === 'haproxy:db-haproxy')!.findings.warning).toBeGreaterThan(0);
        for (const [a, b] of [
            ['service:barbican-green', 'link:hsm-vpn'],
            ['link:hsm-vpn', 'firewall:f5'],
            ['firewall:f5', 'hsm:luna-ha']
        ])
            expect(edge(a, b)?.label, `${a} → ${b}`).toBe('Luna NTLS 1792');
        expect(svg).toContain('path haproxy → repose 200/s → uwsgi');
        // The blue pair is reachable only from the control plane, and drawn as the standby colour.
        expect(edge('entry:cloud/management', 'vip:blue-vip')).toBeDefined();
        for (const id of ['vip:blue-vip', 'haproxy:blue-haproxy', 'service:barbican-blue'])
            expect(json.elements.find(e => e.id === id)!.standby, id).toBe(true);
        for (const id of ['vip:green-vip', 'haproxy:green-haproxy', 'service:barbican-green', 'vip:db-vip'])
            expect(json.elements.find(e => e.id === id)!.standby, id).toBeUndefined();
        expect(edge('haproxy:blue-haproxy', 'service:barbican-blue')!.standby).toBe(true);
        // The gates both colours cross are not standby; the blue service's own first segment is.
        expect(edge('link:hsm-vpn', 'firewall:f5')!.standby).toBeUndefined();
        expect(edge('service:barbican-blue', 'link:hsm-vpn')!.standby).toBe(true);
        expect(svg).toMatch(/data-element="service:barbican-blue"[^>]*>[\s\S]*?SERVICE · barbican · STANDBY/);
        // The devices on the path: the F5 pair and the VPN's gateways.
        expect(svg).toContain('FIREWALL · 2 DEVICES');
        expect(svg).toContain('devices f5-1, f5-2');
        expect(svg).toContain('gateways cloud-vpn ⇄ dc-vpn');
        // Tiers left to right; the long path wraps once, after the services, onto a row below.
        const at = (id: string) => json.elements.find(e => e.id === id)!;
        for (let i = 0; i + 1 < chain.length; i++) {
            const [a, b] = [at(chain[i]), at(chain[i + 1])];
            if (chain[i] === 'service:barbican-green')
                expect(b.y, `${b.id} on the next row`).toBeGreaterThan(a.y + a.height);
            else expect(a.x + a.width, `${a.id} left of ${b.id}`).toBeLessThan(b.x);
        }
    });

    it('Catalyst: three regions of the same shape joined by one Galera cluster, with backups across regions', async () => {
        const { json } = await draw(exampleText('keystone-catalyst'));
        const galera = json.elements.find(e => e.id === 'galera:keystone-db')!;
        expect(galera.parent).toBeUndefined(); // shared by the regions, beside them
        const shape = (region: string) =>
            json.elements
                .filter(e => e.parent === `region:${region}`)
                .sort((a, b) => a.x - b.x)
                .map(e => e.kind);
        expect(shape('wlg')).toEqual(['vip', 'haproxy', 'service', 'memcached']);
        expect(shape('hlz')).toEqual(shape('wlg'));
        expect(shape('por')).toEqual(shape('wlg'));
        // One DNS name, round robin over the three regions' VIPs: drawn before the regions.
        const dns = json.elements.find(e => e.id === 'dns:keystone')!;
        expect(dns.parent).toBeUndefined();
        for (const region of ['wlg', 'hlz', 'por']) {
            expect(json.edges).toContainEqual(
                expect.objectContaining({ kind: 'resolves', source: 'dns:keystone', target: `vip:${region}-vip` })
            );
            const box = json.elements.find(e => e.id === `region:${region}`)!;
            expect(dns.x + dns.width).toBeLessThan(box.x);
        }
        for (const region of ['wlg', 'hlz', 'por'])
            expect(json.edges).toContainEqual(
                expect.objectContaining({
                    source: `service:keystone-${region}`,
                    target: 'galera:keystone-db',
                    label: 'MySQL 3306'
                })
            );
        const parent = (id: string) => json.elements.find(e => e.id === id)!.parent;
        const backups = json.edges.filter(e => e.kind === 'backup');
        expect(backups).toHaveLength(6);
        for (const backup of backups) {
            expect(parent(backup.source)).not.toBe(parent(backup.target));
            expect(backup.label).toBe('backup HTTP 5000');
        }
    });

    it('names what a link allows by purpose, not as a list of ports', async () => {
        const { json } = await draw(exampleText('keystone-catalyst'), { view: 'network' });
        const link = json.elements.find(e => e.id === 'link:wlg-hlz')!;
        expect(link).toBeDefined();
        const { svg } = await draw(exampleText('keystone-catalyst'), { view: 'network' });
        expect(svg).toContain('MySQL 3306 · Galera 4444/4567/4568 · keystone 5000');
        expect(svg).toContain('8 ms · redundant');
    });
});

describe('the language’s concepts in the picture', () => {
    it('PlumGRID: a Pacemaker cluster is a group holding its VIPs and resources, clone or active/passive, with its fencing', async () => {
        const { json, svg } = await draw(exampleText('openstack-ha-plumgrid'));
        const element = (id: string) => json.elements.find(e => e.id === id)!;
        const group = element('pacemaker:rdo-cluster');
        expect(group.parent).toBe('region:rdo');
        for (const id of [
            'vip:keystone-vip',
            'vip:db-vip',
            'haproxy:cloned-haproxy',
            'service:keystone',
            'service:horizon',
            'service:cinder-volume'
        ])
            expect(element(id).parent, id).toBe('pacemaker:rdo-cluster');
        // Inside the group's box.
        for (const member of json.elements.filter(e => e.parent === group.id)) {
            expect(member.x).toBeGreaterThanOrEqual(group.x);
            expect(member.y).toBeGreaterThan(group.y);
            expect(member.x + member.width).toBeLessThanOrEqual(group.x + group.width);
            expect(member.y + member.height).toBeLessThanOrEqual(group.y + group.height);
        }
        // The data tier is outside it.
        expect(element('galera:openstack-galera').parent).toBe('region:rdo');
        expect(svg).toContain('PACEMAKER · fencing fence_ipmilan');
        expect(svg).toContain('SERVICE · cinder-volume · ACTIVE/PASSIVE');
        expect(svg).toContain('SERVICE · keystone · CLONE');
        expect(svg).toContain('LOAD BALANCER · CLONE');
        expect(svg).toContain('VIP · PACEMAKER');
        expect(svg).not.toContain('VRID NaN');
        expect(svg).toContain('worker, no API port');
        expect(svg).not.toContain('port undefined');
        // The source's order inside the group: the VIPs as written.
        const vips = json.elements.filter(e => e.kind === 'vip').sort((a, b) => a.y - b.y);
        expect(vips.map(v => v.name)).toEqual([
            'keystone-vip',
            'glance-api-vip',
            'glance-registry-vip',
            'cinder-vip',
            'nova-vip',
            'horizon-vip',
            'db-vip'
        ]);
    });

    it('PlumGRID: losing two controllers stops the cluster and what it holds', async () => {
        const { json } = await draw(exampleText('openstack-ha-plumgrid'), { failures: ['host:ctrl1', 'host:ctrl2'] });
        const element = (id: string) => json.elements.find(e => e.id === id)!;
        expect(element('pacemaker:rdo-cluster')).toMatchObject({
            down: true,
            status: expect.stringContaining('NON-PRIMARY')
        });
        expect(element('vip:keystone-vip')).toMatchObject({ down: true, status: expect.stringContaining('no quorum') });
        expect(element('service:keystone').down).toBe(true);
    });

    it('a firewall without devices and a Pacemaker cluster without fencing draw their findings', async () => {
        const text = `region r 10.0.0.0/16 { zone z 10.0.1.0/24 trust internal { host a 10.0.1.1  host b 10.0.1.2  host c 10.0.1.3 } }
pacemaker p { nodes a, b, c  vip v 10.0.1.10 }
service s kind keystone port 5000 { nodes a, b, c  frontend v }`;
        const { json, findings } = await draw(text);
        const fencing = findings.filter(f => findingElementId(f) === 'pacemaker:p').length;
        expect(fencing).toBeGreaterThan(0);
        const group = json.elements.find(e => e.id === 'pacemaker:p')!;
        expect(group.findings.error + group.findings.warning + group.findings.info).toBe(fencing);
        expect(json.elements.find(e => e.id === 'vip:v')!.parent).toBe('pacemaker:p');
    });

    it('Kolla: the RabbitMQ cluster says its queue type', async () => {
        const { svg } = await draw(exampleText('kolla-ha'));
        expect(svg).toContain('quorum queues');
    });

    it('a VPN tunnel is lost with either of its gateways', async () => {
        const { json } = await draw(exampleText('barbican-rackspace'), { failures: ['host:dc-vpn'] });
        const vpn = json.elements.find(e => e.id === 'link:hsm-vpn')!;
        expect(vpn).toMatchObject({ lost: true, status: 'down: dc-vpn lost' });
        // One F5 of two: the firewall stands.
        const f5 = (await draw(exampleText('barbican-rackspace'), { failures: ['host:f5-1'] })).json.elements.find(
            e => e.id === 'firewall:f5'
        )!;
        expect(f5.lost).toBeUndefined();
        expect(f5.status).toBe('1 of 2 hosts lost');
    });

    it('Platform9: regions of one shape are drawn once in full, then as tables of names with every badge', async () => {
        const { model, json, findings } = await draw(exampleText('keystone-platform9'));
        const element = (id: string) => json.elements.find(e => e.id === id)!;
        const regions = json.elements.filter(e => e.kind === 'region');
        expect(regions.filter(r => r.repeats === 'region1').map(r => r.name)).toEqual(
            model.regions.slice(1).map(r => r.name)
        );
        for (const service of model.services) {
            const drawn = element(service.id);
            const count = findings.filter(f => findingElementId(f) === service.id).length;
            expect(drawn.findings.error + drawn.findings.warning + drawn.findings.info, service.id).toBe(count);
            expect(drawn.compact ?? false, service.id).toBe(!service.name.startsWith('region1-'));
        }
        // A table row is a short box; the first region's boxes are full cards.
        expect(element('service:region2-nova').height).toBeLessThan(element('service:region1-nova').height / 2);
        // The shared database is drawn beside the regions, and says where it lives.
        expect(element('galera:keystone-db').parent).toBeUndefined();
        // Each region's keystone still calls it.
        for (const region of model.regions)
            expect(json.edges).toContainEqual(
                expect.objectContaining({ source: `service:${region.name}-keystone`, target: 'galera:keystone-db' })
            );
        // Expanded on request: full cards again.
        const expanded = await draw(exampleText('keystone-platform9'), { expanded: new Set(['region2']) });
        expect(expanded.json.elements.find(e => e.id === 'service:region2-nova')!.compact).toBeUndefined();
    });

    it('the staging environment draws the design with its own addresses and says what it changed', async () => {
        const files = await checkFiles({
            'barbican-rackspace.hatopo': exampleText('barbican-rackspace'),
            'environments/barbican-staging.hatopo': readFileSync(
                path.join(root, 'examples/environments/barbican-staging.hatopo'),
                'utf8'
            )
        });
        const document = files.get('environments/barbican-staging.hatopo')!;
        const { model } = services.Hatopo.analysis.ModelCache.get(document);
        const laid = await layoutDiagram(
            diagramOf(model, services.Hatopo.analysis.ModelCache.visibleFindings(document))
        );
        const json = diagramJson(laid);
        const environment = json.elements.find(e => e.id === 'environment:staging')!;
        expect(environment).toBeDefined();
        expect(renderSvg(laid)).toContain('region cloud 10.20.0.0/16 → 10.120.0.0/16');
        expect(renderSvg(laid)).toContain('10.120.0.10');
        // Beside the topology's title, above the regions.
        const topology = json.elements.find(e => e.kind === 'topology')!;
        expect(environment.x).toBeGreaterThan(topology.x + topology.width);
        const regions = json.elements.filter(e => e.kind === 'region');
        for (const region of regions) expect(region.y).toBeGreaterThan(environment.y + environment.height);
        // Exactly check's findings on each element, as for the examples.
        const checked = run([
            'check',
            path.join(root, 'examples/environments/barbican-staging.hatopo'),
            '--format',
            'json',
            '--exit-zero'
        ]);
        const problems = JSON.parse(checked.stdout) as Array<{ element?: string }>;
        const expected = new Map<string, number>();
        for (const { element } of problems) if (element) expected.set(element, (expected.get(element) ?? 0) + 1);
        expect(expected.size).toBeGreaterThan(0);
        for (const [id, count] of expected) {
            const shown = json.elements.find(e => e.id === id);
            expect(shown, id).toBeDefined();
            expect(shown!.findings.error + shown!.findings.warning + shown!.findings.info, id).toBe(count);
        }
    }, 30_000);

    it('the network view shows where management access comes from and what it reaches', async () => {
        const { json, svg } = await draw(exampleText('barbican-rackspace'), { view: 'network' });
        expect(svg).toContain('trust management: SSH 22 to every host');
        expect(json.edges).toContainEqual(
            expect.objectContaining({
                kind: 'manage',
                source: 'zone:blue-edge',
                target: 'region:dedicated',
                label: 'SSH 22'
            })
        );
        const written = await draw(
            `region r 10.0.0.0/16 { zone z 10.0.1.0/24 trust internal { host a 10.0.1.1 } }
region q 10.1.0.0/16 { host b 10.1.0.1 }
manage from 192.168.50.0/24 ports 22, 9100-9110`,
            { view: 'network' }
        );
        const box = written.json.elements.find(e => e.id === 'manage:192.168.50.0/24')!;
        expect(box).toBeDefined();
        expect(written.svg).toContain('SSH 22 · tcp 9100-9110 to every host');
        for (const region of ['region:r', 'region:q'])
            expect(written.json.edges).toContainEqual(
                expect.objectContaining({ kind: 'manage', source: box.id, target: region })
            );
        // Before the regions.
        for (const region of written.json.elements.filter(e => e.kind === 'region'))
            expect(box.x + box.width).toBeLessThan(region.x);
    });
});

describe('findings on every element kind', () => {
    const fixtures = path.join(root, 'test/fixtures/rules');
    const files = readdirSync(fixtures).filter(file => file.endsWith('.hatopo') && !file.endsWith('.fixed.hatopo'));

    it('draws each rule fixture’s findings on their element, in the view that draws its kind', async () => {
        const kinds = new Set<string>();
        for (const file of files) {
            const text = readFileSync(path.join(fixtures, file), 'utf8');
            const drawn = await Promise.all(VIEWS.map(async view => (await draw(text, { view })).json));
            const { findings } = await draw(text);
            const expected = new Map<string, number>();
            for (const finding of findings) {
                const id = findingElementId(finding);
                if (id) expected.set(id, (expected.get(id) ?? 0) + 1);
            }
            for (const [id, count] of expected) {
                const shown = drawn.map(json => json.elements.find(e => e.id === id)).find(Boolean);
                expect(shown, `${file}: ${id} is not drawn in any view`).toBeDefined();
                expect(shown!.findings.error + shown!.findings.warning + shown!.findings.info, `${file}: ${id}`).toBe(
                    count
                );
                kinds.add(shown!.kind);
            }
        }
        // Clusters, services, VIPs, load balancers, HSM groups, hosts and the topology itself.
        for (const kind of [
            'galera',
            'rabbitmq',
            'service',
            'vip',
            'haproxy',
            'hsm',
            'host',
            'topology',
            'memcached',
            'dns',
            'pacemaker'
        ])
            expect(kinds).toContain(kind);
    }, 60_000);

    it('draws zone, link and firewall findings in the network view', async () => {
        const text = `region a 10.1.0.0/16 { zone az 10.9.1.0/24 trust internal { host a1 10.9.1.1 } }
region b 10.2.0.0/16 { zone bz 10.2.1.0/24 trust internal { host b1 10.2.1.1 } }
link ab: a <-> b { latency 5ms }
link ab: b -> a { allow tcp 22 }
firewall fw protects bz { allow tcp 22 }
firewall fw protects az { deny all }`;
        const { json, findings } = await draw(text, { view: 'network' });
        const named = new Set(findings.map(findingElementId));
        for (const id of ['zone:az', 'link:ab#2', 'firewall:fw#2']) {
            expect(named, id).toContain(id);
            const count = findings.filter(f => findingElementId(f) === id).length;
            const shown = json.elements.find(e => e.id === id);
            expect(shown, id).toBeDefined();
            expect(shown!.findings.error + shown!.findings.warning + shown!.findings.info, id).toBe(count);
        }
    });
});

describe('a stable picture', () => {
    const edits: Record<string, (text: string) => string> = {
        'change a port': text => text.replace(/port (\d+)/, (_, port) => `port ${Number(port) + 1}`),
        'add a host': text =>
            text.replace(
                /^(\s*)host ([\w-]+) (\d+\.\d+\.\d+)\.\d+$/m,
                (line, indent, _name, net) => `${line}\n${indent}host extra-host ${net}.250`
            ),
        'add a finding': text => `${text}\nrabbitmq extra-queue { members ${/host ([\w-]+)/.exec(text)![1]} }\n`
    };

    for (const name of EXAMPLES) {
        for (const view of VIEWS) {
            it(`${name} (${view}): an edit keeps the order of regions and of the elements in each region`, async () => {
                const before = order((await draw(exampleText(name), { view })).json);
                for (const [what, edit] of Object.entries(edits)) {
                    const edited = edit(exampleText(name));
                    expect(edited, what).not.toBe(exampleText(name));
                    const after = order((await draw(edited, { view })).json);
                    expect(after.regions, `${what}: regions`).toEqual(before.regions);
                    for (const [container, ids] of before.inside) {
                        const now = after.inside.get(container) ?? [];
                        const common = ids.filter(id => now.includes(id));
                        expect(
                            now.filter(id => common.includes(id)),
                            `${what}: ${container}`
                        ).toEqual(common);
                    }
                }
            }, 60_000);
        }
    }

    it('removing one allowed port from a Catalyst link keeps the regions in order (render --format json)', () => {
        const folder = mkdtempSync(path.join(tmpdir(), 'hatopo-stable-'));
        try {
            const text = exampleText('keystone-catalyst');
            const edited = text.replace(/(link wlg-hlz: wlg <-> hlz \{[^}]*allow tcp )3306, 4444, /, '$1' + '3306, ');
            expect(edited).not.toBe(text);
            writeFileSync(path.join(folder, 'before.hatopo'), text);
            writeFileSync(path.join(folder, 'after.hatopo'), edited);
            for (const view of VIEWS) {
                const [before, after] = ['before', 'after'].map(file => {
                    const result = run([
                        'render',
                        path.join(folder, `${file}.hatopo`),
                        '--format',
                        'json',
                        '--view',
                        view
                    ]);
                    expect(result.status, result.stderr).toBe(0);
                    return JSON.parse(result.stdout) as DiagramJson;
                });
                expect(order(after).regions).toEqual(['region:wlg', 'region:hlz', 'region:por']);
                expect(order(after)).toEqual(order(before));
                if (view === 'network')
                    // The SST port is now blocked between the two regions: drawn, red and named.
                    expect(after.edges.find(e => e.kind === 'blocked')?.label).toBe('blocked: Galera 4444');
            }
        } finally {
            rmSync(folder, { recursive: true, force: true });
        }
    }, 60_000);
});

describe('what-if in the picture', () => {
    it('render --fail region:wlg greys out what is lost and marks what goes down', () => {
        const result = run(['render', exampleFile('keystone-catalyst'), '--format', 'json', '--fail', 'region:wlg']);
        expect(result.status, result.stderr).toBe(0);
        const json = JSON.parse(result.stdout) as DiagramJson;
        expect(json.failures).toEqual(['region:wlg']);
        const element = (id: string) => json.elements.find(e => e.id === id)!;
        for (const id of [
            'region:wlg',
            'vip:wlg-vip',
            'haproxy:wlg-proxy',
            'service:keystone-wlg',
            'memcached:wlg-cache'
        ])
            expect(element(id).lost, id).toBe(true);
        expect(element('service:keystone-wlg').down).toBe(true);
        expect(element('service:keystone-hlz').lost).toBeUndefined();
        expect(element('galera:keystone-db')).toMatchObject({ status: expect.stringContaining('weight 6 of 9') });
        expect(element('galera:keystone-db').down).toBeUndefined();
        expect(
            json.edges.find(e => e.source === 'haproxy:wlg-proxy' && e.target === 'service:keystone-hlz')!.lost
        ).toBe(true);
    });

    it('render --fail link:X draws the failed link and the flows it cuts red', () => {
        const architecture = JSON.parse(
            run(['render', exampleFile('keystone-catalyst'), '--format', 'json', '--fail', 'link:wlg-hlz']).stdout
        ) as DiagramJson;
        const cut = architecture.edges.filter(e => e.cut);
        expect(cut.map(e => `${e.source} → ${e.target}`)).toEqual(
            expect.arrayContaining([
                'haproxy:wlg-proxy → service:keystone-hlz',
                'haproxy:hlz-proxy → service:keystone-wlg'
            ])
        );
        const network = JSON.parse(
            run([
                'render',
                exampleFile('keystone-catalyst'),
                '--format',
                'json',
                '--view',
                'network',
                '--fail',
                'link:wlg-hlz'
            ]).stdout
        ) as DiagramJson;
        expect(network.elements.find(e => e.id === 'link:wlg-hlz')!.lost).toBe(true);
        expect(network.edges.filter(e => e.target === 'link:wlg-hlz').every(e => e.cut)).toBe(true);
        expect(network.edges.some(e => e.kind === 'cut')).toBe(true);
    });

    it('marks a cluster that loses Primary', async () => {
        const text = `region a { host a1 10.1.0.1  host a2 10.1.0.2 } region b { host b1 10.2.0.1 }
galera db { members a1, a2, b1 }
service api kind keystone port 5000 { nodes b1 database db }`;
        const { json } = await draw(text, { failures: ['region:a'] });
        expect(json.elements.find(e => e.id === 'galera:db')).toMatchObject({
            down: true,
            status: expect.stringContaining('NON-PRIMARY')
        });
        expect(json.elements.find(e => e.id === 'service:api')).toMatchObject({ down: true });
    });
});

describe('escaping', () => {
    const hostile = `<script>alert("x")</script> & 'q' ünïcödé 😀 ]]> <!--`;
    const quoted = JSON.stringify(hostile);
    const text = `topology t ${quoted}
region r ${quoted} 10.0.0.0/16 {
  zone z 10.0.1.0/24 trust public { host a 10.0.1.1  host b 10.0.1.2  host c 10.0.1.3 }
}
galera db { members a, b, c  option wsrep_provider_options = ${quoted} }
vip v 10.0.1.10 vrid 9 { master a priority 100  backup b priority 90 }
haproxy lb { nodes a, b  frontend fe bind v port 80 backend be  backend be mode http check ${quoted} { server c port 80 } }
service s kind keystone port 80 { nodes c  frontend v  database db }
dns d ${quoted} { points-to v }
link l: z -> r { allow tcp 80 }`;

    for (const view of VIEWS) {
        it(`keeps hostile text escaped and the SVG well-formed (${view})`, async () => {
            const { svg } = await draw(text, { view, failures: ['host:a'] });
            expect(svg).not.toMatch(/<script|<!--|]]>/);
            expect(svg).toContain(escapeXml(hostile));
            expect(wellFormed(svg)).toBeUndefined();
        });
    }

    it('escapes ids and sources in attributes', async () => {
        const { laid } = await draw(text);
        const evil = '"><svg onload=alert(1)>';
        laid.elements[1].id = evil;
        laid.elements[1].source = { uri: evil, start: { line: 0, character: 0 }, end: { line: 0, character: 1 } };
        laid.edges[0].label = evil;
        const svg = renderSvg(laid);
        expect(svg).not.toContain('"><svg');
        expect(wellFormed(svg)).toBeUndefined();
    });
});

describe('large estates', () => {
    it('collapses a region that would draw too many boxes, unless it is expanded', async () => {
        const hosts = Array.from({ length: 60 }, (_, i) => `host n${i} 10.5.0.${i + 1}`).join(' ');
        const text = `region big { ${hosts} } region small { host s1 10.6.0.1 } memcached mc { servers n1, n2 }`;
        const collapsed = await draw(text, { view: 'hosts' });
        const big = collapsed.json.elements.find(e => e.id === 'region:big')!;
        expect(big.collapsed).toBe(true);
        expect(collapsed.json.elements.some(e => e.parent === 'region:big')).toBe(false);
        expect(collapsed.svg).toContain('collapsed: 60 hosts');
        const expanded = await draw(text, { view: 'hosts', expanded: new Set(['big']) });
        expect(expanded.json.elements.filter(e => e.parent === 'region:big')).toHaveLength(60);
    });

    it('merges many edges of one kind between two regions into one with a count (500 hosts)', async () => {
        const [file] = generate({ hosts: 500, seed: 1 });
        const { json } = await draw(file.text);
        const merged = json.edges.filter(e => (e.count ?? 1) > 1);
        expect(merged.length).toBeGreaterThan(0);
        for (const edge of merged) expect(edge.label).toMatch(/ ×\d+$/);
        expect(json.elements.filter(e => e.kind === 'service')).toHaveLength(18);
    }, 60_000);
});

describe('hatopo render', () => {
    const folder = mkdtempSync(path.join(tmpdir(), 'hatopo-render-'));
    afterAll(() => rmSync(folder, { recursive: true, force: true }));
    const example = exampleFile('keystone-catalyst');

    it('writes the same SVG twice, a PNG, and the JSON picture with the SVG ids', () => {
        const out = (file: string, ...args: string[]) =>
            run(['render', example, '--out', path.join(folder, file), ...args]);
        expect(out('a.svg').status).toBe(0);
        expect(out('b.svg').status).toBe(0);
        expect(readFileSync(path.join(folder, 'b.svg'))).toEqual(readFileSync(path.join(folder, 'a.svg')));
        expect(out('d.png', '--view', 'network').status).toBe(0);
        expect(readFileSync(path.join(folder, 'd.png')).subarray(0, 8)).toEqual(
            Buffer.from([137, 80, 78, 71, 13, 10, 26, 10])
        );
        const json = JSON.parse(run(['render', example, '--format', 'json']).stdout) as DiagramJson;
        expect(json.view).toBe('architecture');
        const svg = readFileSync(path.join(folder, 'a.svg'), 'utf8');
        const drawn = [...svg.matchAll(/data-element="([^"]+)"/g)].map(m => m[1]);
        expect(drawn.sort()).toEqual(json.elements.map(e => e.id).sort());
        for (const element of json.elements) {
            expect(element.id).toBe(`${element.kind}:${element.name}`);
            expect(element).toMatchObject({
                x: expect.any(Number),
                y: expect.any(Number),
                findings: expect.any(Object)
            });
        }
        for (const edge of json.edges) {
            expect(drawn).toContain(edge.source);
            expect(drawn).toContain(edge.target);
        }
    }, 30_000);

    it('refuses a wrong extension, view, format or failure with exit 2 and one line', () => {
        for (const args of [
            ['--out', 'x.gif'],
            ['--view', 'sideways'],
            ['--format', 'pdf'],
            ['--format', 'png'],
            ['--fail', 'moon:x'],
            ['--format', 'svg', '--out', 'x.png']
        ]) {
            const result = run(['render', example, ...args]);
            expect(result.status, args.join(' ')).toBe(2);
            expect(result.stderr.split('\n')[0]).toMatch(/^hatopo: /);
        }
        const unknown = run(['render', example, '--fail', 'region:atlantis']);
        expect(unknown.status).toBe(2);
        expect(unknown.stderr).toContain("no region 'atlantis'");
    });
});
