// The lab's network, made of namespaces the lab owns: one per host or observer, a namespace per
// region holding one bridge per segment, and a router namespace joined to every segment whose
// forward chain holds the modelled links and firewalls. No namespace has a route out of the lab.

import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import type { Host, TopologyModel } from '../language/model/model.js';
import type { LabNode, LabPlan } from './plan.js';
import { inNamespace, LabError, run } from './processes.js';
import { bridgePort, bridgeRuleset, routerRuleset, type Cut } from './router-rules.js';

export class LabNetwork {
    readonly router: string;
    private readonly made: string[] = [];
    private readonly regionNamespace = new Map<string, string>();

    constructor(
        private readonly model: TopologyModel,
        private readonly plan: LabPlan,
        readonly prefix: string,
        private readonly progress: (line: string) => void
    ) {
        this.router = `${prefix}-router`;
    }

    /** The namespace of a host or observer. */
    namespace(name: string): string {
        return `${this.prefix}-${name.replace(/[^\w.-]/g, '_')}`;
    }

    namespaces(): string[] {
        return [...this.made];
    }

    build(): void {
        this.add(this.router);
        this.sysctl(this.router, 'net.ipv4.ip_forward=1');
        for (const region of new Set(this.plan.segments.map(segment => segment.region.name))) {
            const namespace = `${this.prefix}-region-${region}`;
            this.add(namespace);
            this.regionNamespace.set(region, namespace);
        }
        for (const segment of this.plan.segments) {
            const bridges = this.regionNamespace.get(segment.region.name)!;
            const bridge = `b${segment.index}`;
            run('ip', ['-n', bridges, 'link', 'add', bridge, 'type', 'bridge']);
            run('ip', ['-n', bridges, 'link', 'set', bridge, 'up']);
            this.cable(this.router, `s${segment.index}`, bridges, `g${segment.index}`, bridge);
            run('ip', [
                '-n',
                this.router,
                'address',
                'add',
                `${segment.gateway}/${segment.subnet.prefix}`,
                'dev',
                `s${segment.index}`
            ]);
        }
        for (const node of this.plan.nodes) {
            const namespace = this.namespace(node.name);
            this.progress(`network: ${node.name} ${node.address} on ${node.segment.subnet.text}`);
            this.add(namespace);
            const bridges = this.regionNamespace.get(node.segment.region.name)!;
            this.cable(namespace, node.interface, bridges, bridgePort(this.plan, node), `b${node.segment.index}`);
            run('ip', [
                '-n',
                namespace,
                'address',
                'add',
                `${node.address}/${node.segment.subnet.prefix}`,
                'dev',
                node.interface
            ]);
            // Routes to the lab's other segments only: anything else (the machine's DNS server) has no route.
            for (const other of this.plan.segments)
                if (other !== node.segment)
                    run('ip', ['-n', namespace, 'route', 'add', other.subnet.text, 'via', node.segment.gateway]);
            // haproxy binds VIPs it may not hold; a blocked port fails in seconds, not minutes.
            this.sysctl(namespace, 'net.ipv4.ip_nonlocal_bind=1', 'net.ipv4.tcp_syn_retries=2');
        }
    }

    /** Loads the forward chains for this cut (none: the network as modelled) and forgets tracked connections. */
    applyRules(cut: Cut): void {
        const tables: Array<[string, string, string]> = [
            [this.router, 'inet', routerRuleset(this.model, this.plan, cut)],
            ...[...this.regionNamespace].map(
                ([region, namespace]) =>
                    [namespace, 'bridge', bridgeRuleset(this.model, this.plan, region, cut)] as [string, string, string]
            )
        ];
        for (const [namespace, family, rules] of tables) {
            const flush = inNamespace(namespace, 'nft', ['list', 'table', family, 'hatopo_lab']).status === 0;
            const text = `${flush ? `delete table ${family} hatopo_lab\n` : ''}${rules}`;
            run('ip', ['netns', 'exec', namespace, 'nft', '-f', '-'], { input: text });
        }
        // Established flows are judged again by the new rules (mid-stream TCP is picked up as new).
        inNamespace(this.router, 'conntrack', ['-F']);
    }

    /** A host crashes: every process in its namespace killed, its cable pulled. */
    crash(host: Host): void {
        const namespace = this.namespace(host.name);
        killNamespace(namespace);
        const node = this.plan.nodes.find(n => n.host === host)!;
        run('ip', ['-n', namespace, 'link', 'set', node.interface, 'down']);
    }

    node(name: string): LabNode {
        return this.plan.nodes.find(node => node.name === name)!;
    }

    teardown(): void {
        for (const namespace of [...this.made].reverse()) {
            killNamespace(namespace);
            spawnSync('ip', ['netns', 'del', namespace]);
            rmSync(`/etc/netns/${namespace}`, { recursive: true, force: true });
        }
        this.made.length = 0;
    }

    private add(namespace: string): void {
        if (spawnSync('ip', ['netns', 'add', namespace], { encoding: 'utf8' }).status !== 0)
            throw new LabError(`cannot make network namespace ${namespace} (the lab needs root and iproute2)`);
        this.made.push(namespace);
        // `ip netns exec` binds these over /etc: no name server (resolvers fail at once on loopback),
        // and the lab's hosts by name.
        const etc = `/etc/netns/${namespace}`;
        mkdirSync(etc, { recursive: true });
        writeFileSync(`${etc}/resolv.conf`, 'options timeout:1 attempts:1\n');
        writeFileSync(
            `${etc}/hosts`,
            [
                '127.0.0.1 localhost',
                ...this.plan.nodes.filter(node => node.host).map(node => `${node.address} ${node.name}`),
                ''
            ].join('\n')
        );
        run('ip', ['-n', namespace, 'link', 'set', 'lo', 'up']);
    }

    /** A veth from `a` (named `aName`) to `b` (named `bName`), enslaved to bridge `bridge` in `b`. */
    private cable(a: string, aName: string, b: string, bName: string, bridge: string): void {
        run('ip', ['-n', a, 'link', 'add', aName, 'type', 'veth', 'peer', 'name', bName]);
        run('ip', ['-n', a, 'link', 'set', bName, 'netns', b]);
        run('ip', ['-n', b, 'link', 'set', bName, 'master', bridge, 'up']);
        run('ip', ['-n', a, 'link', 'set', aName, 'up']);
    }

    private sysctl(namespace: string, ...settings: string[]): void {
        run('ip', ['netns', 'exec', namespace, 'sysctl', '-qw', ...settings]);
    }
}

/** Kills every process inside a namespace, by pid. */
export function killNamespace(namespace: string): void {
    const pids = spawnSync('ip', ['netns', 'pids', namespace], { encoding: 'utf8' }).stdout ?? '';
    for (const pid of pids.split('\n').filter(Boolean)) {
        try {
            process.kill(Number(pid), 'SIGKILL');
        } catch {
            // already gone
        }
    }
}
