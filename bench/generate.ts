// A deterministic, seeded generator of large but realistic .hatopo topologies, for the benchmark
// (bench/run.ts) and its guard in test/bench.test.ts. Same options, same text.
//
// Shape, for N hosts:
// - R = max(3, round(N / 250)) regions; region i is 10.(i+1).0.0/16 with three zones: an edge zone
//   (trust public: the load balancers), a service zone (memcached, RabbitMQ, Galera, garbd) behind a
//   firewall that keeps the edge out, and an app zone (/22) with the API nodes.
// - One Galera cluster over the first three ("core") regions. Data nodes per core region are drawn
//   from the seed; when the third region has none or the weights would not survive the loss of a
//   region, a garbd in the third region (with the weight the arithmetic needs) makes them do so.
// - Per region: RabbitMQ (3 members), memcached (3 servers), two VIP pairs (public and internal,
//   2 lb hosts each, VRIDs distinct across the topology while R ≤ 127), two haproxies, up to six
//   services with request paths (haproxy → nginx → uwsgi) whose public backends list the previous
//   region's API nodes as backup servers.
// - Links: every pair of core regions (Galera ports from the service zones, 3306 from the app
//   zones), every other region to each core region (3306 from its app zone), and a ring between
//   neighbours (the API ports from the edge zone, for the backup servers). Every link allows
//   exactly what the flows need, from the zone that needs it.
// - splitFiles: region-<r>.hatopo (places, firewall, memcached, RabbitMQ, VIPs), galera.hatopo
//   (the cluster and core links, importing the core regions), services-<r>.hatopo (haproxies,
//   services and that region's links, importing what it refers to) and topology.hatopo, which
//   imports every services file. Otherwise one file, topology.hatopo.

export interface GenerateOptions {
    hosts: number;
    seed: number;
    splitFiles?: boolean;
}
export interface GeneratedFile {
    name: string;
    text: string;
}

const SERVICE_KINDS = [
    { kind: 'keystone', port: 5000 },
    { kind: 'nova', port: 8774 },
    { kind: 'glance', port: 9292 },
    { kind: 'neutron', port: 9696 },
    { kind: 'cinder', port: 8776 },
    { kind: 'placement', port: 8778 }
];
const QUEUED = new Set(['nova', 'neutron', 'cinder']);
const CORE = 3;
/** Hosts every region has whatever its size: 4 load balancers, 3 memcached, 3 RabbitMQ. */
const FIXED_PER_REGION = 10;
export const MIN_HOSTS = 3 * 24;

/** mulberry32: small, fast and the same everywhere (the bench's edits and the robustness test use it too). */
export function random(seed: number): () => number {
    let state = seed >>> 0;
    return () => {
        state = (state + 0x6d2b79f5) >>> 0;
        let t = state;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
}

interface ServicePlan {
    name: string;
    kind: string;
    port: number;
    nodes: string[];
}
interface RegionPlan {
    index: number;
    name: string;
    octet: number;
    hosts: number;
    lbs: string[];
    caches: string[];
    brokers: string[];
    dbs: string[];
    garbd?: string;
    services: ServicePlan[];
    text: string[];
}

export function regionCount(hosts: number): number {
    return Math.max(CORE, Math.round(hosts / 250));
}

export function generate(options: GenerateOptions): GeneratedFile[] {
    const { hosts, seed } = options;
    if (!Number.isInteger(hosts) || hosts < MIN_HOSTS)
        throw new Error(`generate: hosts must be an integer ≥ ${MIN_HOSTS}`);
    const rand = random(seed);
    const pick = (min: number, max: number) => min + Math.floor(rand() * (max - min + 1));
    const R = regionCount(hosts);
    if (R > 250) throw new Error('generate: at most 250 regions (one /16 each in 10.0.0.0/8)');
    const pad = String(R).length < 2 ? 2 : String(R).length;
    const regions: RegionPlan[] = [];
    for (let i = 0; i < R; i++) {
        const name = `r${String(i + 1).padStart(pad, '0')}`;
        regions.push({
            index: i,
            name,
            octet: i + 1,
            hosts: Math.floor(hosts / R) + (i < hosts % R ? 1 : 0),
            lbs: [],
            caches: [],
            brokers: [],
            dbs: [],
            services: [],
            text: []
        });
    }

    // Galera: data nodes in the core regions, and a garbd when the arithmetic needs one.
    let d = [pick(2, 3), pick(2, 3), pick(0, 3)];
    let garbdWeight = 0;
    const survives = (w: number[]) => {
        const total = w.reduce((a, b) => a + b, 0);
        return total % 2 === 1 && w.every(lost => total - lost > total / 2);
    };
    if (d[2] === 0 || !survives(d)) {
        d = [d[0], d[1], 0];
        garbdWeight = Math.abs(d[0] - d[1]) + 1;
        if ((d[0] + d[1] + garbdWeight) % 2 === 0) garbdWeight++;
    }

    for (const region of regions) {
        const core = region.index < CORE;
        const dbCount = core ? d[region.index] : 0;
        const hasGarbd = core && region.index === 2 && garbdWeight > 0;
        const apiCount = region.hosts - FIXED_PER_REGION - dbCount - (hasGarbd ? 1 : 0);
        const serviceCount = Math.min(SERVICE_KINDS.length, Math.max(1, Math.floor(apiCount / 8)));
        if (apiCount < 2 * serviceCount || apiCount > 1000)
            throw new Error(`generate: ${apiCount} API nodes do not fit region ${region.name}`);
        const n = region.name,
            o = region.octet;
        const t = region.text;
        t.push(`region ${n} "Region ${region.index + 1}" 10.${o}.0.0/16 {`);
        t.push(`  zone ${n}-edge 10.${o}.0.0/24 trust public {`);
        for (let k = 1; k <= 4; k++) {
            region.lbs.push(`${n}-lb${k}`);
            t.push(`    host ${n}-lb${k} 10.${o}.0.${10 + k}`);
        }
        t.push('  }');
        t.push(`  zone ${n}-svc 10.${o}.1.0/24 trust internal {`);
        for (let k = 1; k <= 3; k++) {
            region.caches.push(`${n}-mc${k}`);
            t.push(`    host ${n}-mc${k} 10.${o}.1.${40 + k}`);
        }
        for (let k = 1; k <= 3; k++) {
            region.brokers.push(`${n}-mq${k}`);
            t.push(`    host ${n}-mq${k} 10.${o}.1.${50 + k}`);
        }
        for (let k = 1; k <= dbCount; k++) {
            region.dbs.push(`${n}-db${k}`);
            t.push(`    host ${n}-db${k} 10.${o}.1.${30 + k}`);
        }
        if (hasGarbd) {
            region.garbd = `${n}-garbd`;
            t.push(`    host ${n}-garbd 10.${o}.1.39`);
        }
        t.push('  }');
        // Services: two nodes each, the rest spread at random.
        const counts = new Array<number>(serviceCount).fill(2);
        for (let k = 2 * serviceCount; k < apiCount; k++) counts[Math.floor(rand() * serviceCount)]++;
        t.push(`  zone ${n}-app 10.${o}.4.0/22 trust internal {`);
        let next = 0;
        for (let s = 0; s < serviceCount; s++) {
            const { kind, port } = SERVICE_KINDS[s];
            const plan: ServicePlan = { name: `${n}-${kind}`, kind, port, nodes: [] };
            for (let k = 1; k <= counts[s]; k++, next++) {
                const host = `${n}-${kind}${k}`;
                plan.nodes.push(host);
                t.push(`    host ${host} 10.${o}.${4 + Math.floor(next / 250)}.${(next % 250) + 1}`);
            }
            region.services.push(plan);
        }
        t.push('  }', '}', '');
        t.push(`// The service zone takes nothing from the Internet-facing edge.`);
        t.push(`firewall ${n}-svc-fw protects ${n}-svc {`, `  deny all from ${n}-edge`, '  allow all', '}', '');
        t.push(
            `memcached ${n}-cache {`,
            `  servers ${region.caches.join(', ')}`,
            `  memory ${pick(2, 8) * 256}MiB`,
            '  ttl 60m',
            `  threads ${pick(2, 8)}`,
            '}',
            ''
        );
        t.push(
            `rabbitmq ${n}-mq {`,
            `  members ${region.brokers.join(', ')}`,
            '  partition_handling pause_minority',
            '}',
            ''
        );
        const vrid = (k: number) => ((2 * region.index + k) % 254) + 1;
        t.push(
            `vip ${n}-pub-vip 10.${o}.0.10 vrid ${vrid(0)} {`,
            `  master ${n}-lb1 priority 150`,
            `  backup ${n}-lb2 priority 100`,
            '}',
            ''
        );
        t.push(
            `vip ${n}-int-vip 10.${o}.0.20 vrid ${vrid(1)} {`,
            `  master ${n}-lb3 priority 150`,
            `  backup ${n}-lb4 priority 100`,
            '}',
            ''
        );
    }

    const core = regions.slice(0, CORE);
    const dbName = 'cloud-db';
    const galera: string[] = [];
    const members = core.flatMap(region => region.dbs);
    galera.push(
        `// One database for every region: data nodes ${d.join(' + ')}${garbdWeight ? `, garbd with weight ${garbdWeight}` : ''}.`
    );
    galera.push(`galera ${dbName} {`, `  members ${members.join(', ')}`);
    if (garbdWeight) galera.push(`  garbd ${core[2].garbd}${garbdWeight > 1 ? ` weight ${garbdWeight}` : ''}`);
    galera.push(
        '  sst mariabackup',
        '  segments by region',
        '  option evs.suspect_timeout = PT30S',
        '  option evs.inactive_timeout = PT1M',
        '  option evs.keepalive_period = PT3S',
        '  option evs.install_timeout = PT1M',
        '  option wsrep_sync_wait = 0',
        '  option max_connections = 4096',
        '}',
        ''
    );

    // Links, one per pair of regions, with the rules its flows need.
    const links = new Map<string, { a: RegionPlan; b: RegionPlan; rules: string[]; owner: RegionPlan | 'galera' }>();
    const link = (a: RegionPlan, b: RegionPlan, owner: RegionPlan | 'galera') => {
        const [x, y] = a.index < b.index ? [a, b] : [b, a];
        const key = `${x.name}|${y.name}`;
        let entry = links.get(key);
        if (!entry) {
            entry = { a: x, b: y, rules: [], owner };
            links.set(key, entry);
        }
        return entry;
    };
    for (let i = 0; i < CORE; i++) {
        for (let j = i + 1; j < CORE; j++) {
            const entry = link(core[i], core[j], 'galera');
            for (const r of [core[i], core[j]]) entry.rules.push(`allow tcp 4444, 4567, 4568 from ${r.name}-svc`);
            for (const r of [core[i], core[j]]) entry.rules.push(`allow tcp 3306 from ${r.name}-app`);
        }
    }
    for (const region of regions.slice(CORE)) {
        for (const c of core)
            if (c.dbs.length > 0) link(region, c, region).rules.push(`allow tcp 3306 from ${region.name}-app`);
    }
    // The ring: each region's public backends fall back on the previous region's API nodes.
    const previous = (region: RegionPlan) => regions[(region.index + R - 1) % R];
    const borrowed = new Map<RegionPlan, RegionPlan>();
    for (const region of regions) {
        const prev = previous(region);
        const ports = region.services.filter(s => prev.services.some(p => p.kind === s.kind)).map(s => s.port);
        if (ports.length === 0) continue;
        const isCorePair = region.index < CORE && prev.index < CORE;
        const entry = link(region, prev, isCorePair ? 'galera' : region);
        entry.rules.push(`allow tcp ${ports.join(', ')} from ${region.name}-edge`);
        // With split files, the region whose backends need the link must see it.
        if (entry.owner !== region && entry.owner !== 'galera') borrowed.set(region, entry.owner);
    }
    const linkText = (entry: { a: RegionPlan; b: RegionPlan; rules: string[] }) => {
        const coreLink = entry.a.index < CORE && entry.b.index < CORE;
        return [
            `link ${entry.a.name}-${entry.b.name}: ${entry.a.name} <-> ${entry.b.name} {`,
            ...(coreLink ? ['  redundant'] : []),
            `  latency ${coreLink ? pick(2, 10) : pick(5, 40)}ms`,
            ...entry.rules.map(rule => `  ${rule}`),
            '}',
            ''
        ];
    };

    const servicesText = (region: RegionPlan): string[] => {
        const n = region.name;
        const prev = previous(region);
        const t: string[] = [];
        for (const [proxy, vip, lbs, backups] of [
            ['pub', `${n}-pub-vip`, region.lbs.slice(0, 2), true],
            ['int', `${n}-int-vip`, region.lbs.slice(2, 4), false]
        ] as const) {
            t.push(
                `haproxy ${n}-${proxy}-proxy {`,
                `  nodes ${lbs.join(', ')}`,
                '  timeout client 60s',
                '  timeout server 60s'
            );
            for (const service of region.services) {
                t.push(
                    `  frontend ${service.name}-${proxy}-fe bind ${vip} port ${service.port} backend ${service.name}-${proxy}-be`
                );
            }
            for (const service of region.services) {
                t.push(`  backend ${service.name}-${proxy}-be mode http {`);
                for (const node of service.nodes) t.push(`    server ${node} port ${service.port}`);
                const remote = backups ? prev.services.find(p => p.kind === service.kind) : undefined;
                if (remote && prev !== region)
                    for (const node of remote.nodes.slice(0, 2))
                        t.push(`    server ${node} port ${service.port} backup`);
                t.push('  }');
            }
            t.push('}', '');
        }
        for (const service of region.services) {
            t.push(
                `service ${service.name} kind ${service.kind} port ${service.port} {`,
                `  nodes ${service.nodes.join(', ')}`,
                `  frontend ${n}-pub-vip, ${n}-int-vip`,
                `  database ${dbName}`,
                `  cache ${n}-cache`
            );
            if (QUEUED.has(service.kind)) t.push(`  queue ${n}-mq`);
            if (service.kind === 'keystone') t.push('  token fernet rotation 24h max_active_keys 5');
            t.push(
                '  endpoints public, internal',
                `  path haproxy -> nginx large_client_header_buffers 4 64k -> uwsgi buffer-size 64k`,
                '}',
                ''
            );
        }
        return t;
    };

    const header = [
        `topology bench-${hosts} "Generated: ${hosts} hosts in ${R} regions (seed ${seed})"`,
        '  target availability 99.9%',
        ''
    ];
    if (!options.splitFiles) {
        const text = [
            `// Generated by bench/generate.ts (hosts ${hosts}, seed ${seed}). Do not edit.`,
            ...header,
            ...regions.flatMap(region => region.text),
            ...galera,
            ...regions.flatMap(servicesText),
            ...[...links.values()].flatMap(linkText)
        ];
        return [{ name: 'topology.hatopo', text: text.join('\n') }];
    }
    const files: GeneratedFile[] = [];
    const generated = `// Generated by bench/generate.ts (hosts ${hosts}, seed ${seed}). Do not edit.`;
    for (const region of regions)
        files.push({ name: `region-${region.name}.hatopo`, text: [generated, ...region.text].join('\n') });
    files.push({
        name: 'galera.hatopo',
        text: [
            generated,
            ...core.map(r => `import "region-${r.name}.hatopo"`),
            '',
            ...galera,
            ...[...links.values()].filter(entry => entry.owner === 'galera').flatMap(linkText)
        ].join('\n')
    });
    for (const region of regions) {
        const imports = new Set([
            `region-${region.name}.hatopo`,
            `region-${previous(region).name}.hatopo`,
            'galera.hatopo'
        ]);
        const own = [...links.values()].filter(entry => entry.owner === region);
        for (const entry of own) for (const r of [entry.a, entry.b]) imports.add(`region-${r.name}.hatopo`);
        const lender = borrowed.get(region);
        if (lender) imports.add(`services-${lender.name}.hatopo`);
        files.push({
            name: `services-${region.name}.hatopo`,
            text: [
                generated,
                ...[...imports].map(file => `import "${file}"`),
                '',
                ...servicesText(region),
                ...own.flatMap(linkText)
            ].join('\n')
        });
    }
    files.push({
        name: 'topology.hatopo',
        text: [generated, ...regions.map(r => `import "services-${r.name}.hatopo"`), '', ...header].join('\n')
    });
    return files;
}
