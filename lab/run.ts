// The lab, end to end: plan → export (the real exporter and writer) → network → boot → for each
// scenario: inject, settle, observe, compare → teardown. Teardown always runs: on success, on an
// error, and on SIGINT/SIGTERM; `keep` leaves the lab up and says how to enter each host.

import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { exportAll } from '../language/export/export-all.js';
import type { TopologyModel } from '../language/model/model.js';
import { formatFailure, type Failure } from '../protocol/failure.js';
import { writeExport } from '../server/export-writer.js';
import { LabNetwork } from './network.js';
import { galeraSnapshot, observe, probe, vipHolders } from './observe.js';
import { planLab, type LabPlan } from './plan.js';
import { linkNamed, type Prediction } from './predictions.js';
import { aptCommand, missingPrograms } from './programs.js';
import { LabError, Processes, sleep, waitUntil } from './processes.js';
import type { StartContext } from './starters/context.js';
import { startHaproxy, startKeepalived } from './starters/balancers.js';
import { bootGalera, galeraStatus } from './starters/galera.js';
import { startNginx, startStandin, startUwsgi } from './starters/hops.js';
import { startMemcached } from './starters/memcached.js';
import { bootRabbitmq, rabbitRunning } from './starters/rabbitmq.js';

/** One prediction held against the real programs, and the tally: the JSON the CLI prints and the editor reads. */
import type { LabLine as LabResult, LabSummary } from '../protocol/messages.js';
export type { LabResult, LabSummary };

export interface LabReport {
    topology: string;
    results: LabResult[];
    summary: LabSummary;
    /** What the lab made, for `--keep` and for tests that check nothing is left behind. */
    namespaces: string[];
    /** The namespaces' common prefix (`hl1234x1`): `<prefix>-<host>` is a host's namespace. */
    prefix: string;
    pids: number[];
    scratch: string;
    seconds: { boot: number; total: number };
}

export interface LabOptions {
    /** Failure sets, each injected after the previous one is healed; host failures only in the last. */
    scenarios: Failure[][];
    /** Seconds any one wait may take (a node syncing, the engines settling). */
    waitSeconds?: number;
    keep?: boolean;
    progress?: (line: string) => void;
}

/** A program is missing: the one line to print and the apt command, exit 2. */
export class LabMissingPrograms extends Error {}

export async function runLab(model: TopologyModel, options: LabOptions): Promise<LabReport> {
    const started = Date.now();
    const progress = options.progress ?? (() => undefined);
    const scenarios = options.scenarios.length > 0 ? options.scenarios : [[]];
    scenarios.slice(0, -1).forEach(failures => {
        const host = failures.find(failure => failure.kind === 'host');
        if (host)
            throw new LabError(`--fail ${formatFailure(host)} crashes a host: only the last scenario may do that`);
    });
    const plans = scenarios.map(failures => planLab(model, failures));
    const missing = missingPrograms(plans.flatMap(plan => plan.programs));
    if (missing.length > 0)
        throw new LabMissingPrograms(
            `missing ${missing.map(program => program.command).join(', ')}: run ${aptCommand(missing.flatMap(p => p.packages))}`
        );
    const plan = plans[0];
    const scratch = mkdtempSync(path.join(tmpdir(), 'hatopo-lab-'));
    chmodSync(scratch, 0o755); // mariadbd runs as mysql
    const network = new LabNetwork(model, plan, `hl${process.pid % 100000}x${++labCount}`, progress);
    const processes = new Processes();
    const context: StartContext = {
        model,
        plan,
        network,
        processes,
        exported: path.join(scratch, 'export'),
        scratch,
        waitSeconds: options.waitSeconds ?? 90,
        progress,
        joins: new Map()
    };
    let tornDown = false;
    const teardown = () => {
        if (tornDown) return;
        tornDown = true;
        processes.killAll();
        network.teardown();
        rmSync(scratch, { recursive: true, force: true });
    };
    const onSignal = (signal: NodeJS.Signals) => {
        progress(`${signal}: tearing down`);
        teardown();
        process.exit(signal === 'SIGINT' ? 130 : 143);
    };
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    try {
        await writeExport(context.exported, exportAll(model));
        progress(
            `${plan.nodes.length} hosts and observers, ${plan.daemons} daemons for ${plan.topology}; files in ${scratch}`
        );
        network.build();
        network.applyRules({ regions: [], links: new Set() });
        await boot(context);
        const bootSeconds = (Date.now() - started) / 1000;
        const results: LabResult[] = [];
        for (const [index, scenarioPlan] of plans.entries()) {
            if (index > 0) await heal(context, plans[index - 1]);
            results.push(...(await scenario(context, scenarioPlan, index === 0)));
        }
        const confirmed = results.filter(result => result.agrees).length;
        const report: LabReport = {
            topology: plan.topology,
            results,
            summary: { predictions: results.length, confirmed, contradicted: results.length - confirmed },
            namespaces: network.namespaces(),
            prefix: network.prefix,
            pids: processes.pids(),
            scratch,
            seconds: { boot: bootSeconds, total: (Date.now() - started) / 1000 }
        };
        if (options.keep) processes.release();
        else {
            await processes.stop();
            teardown();
        }
        return report;
    } catch (error) {
        if (options.keep) {
            // --keep on a failed boot: leave it up for a look at the logs, and say where they are.
            processes.release();
            progress(`kept after the error: files and logs in ${scratch}; namespaces ${network.prefix}*`);
        } else {
            await processes.stop();
            teardown();
        }
        throw error;
    } finally {
        process.removeListener('SIGINT', onSignal);
        process.removeListener('SIGTERM', onSignal);
    }
}

let labCount = 0;

/** Everything starts at once except what waits for something: Galera members join one by one, keepalived after haproxy. */
async function boot(context: StartContext): Promise<void> {
    const { plan, model } = context;
    const listening: Array<{ node: string; address: string; port: number }> = [];
    for (const node of plan.nodes) {
        for (const step of node.steps) {
            const endpoints =
                step.program === 'nginx'
                    ? startNginx(context, node, step)
                    : step.program === 'uwsgi'
                      ? startUwsgi(context, node, step)
                      : step.program === 'standin'
                        ? startStandin(context, node, step)
                        : [];
            if (step.program === 'memcached') startMemcached(context, node.name);
            for (const { address, port } of endpoints) listening.push({ node: node.name, address, port });
        }
    }
    const galeras = Promise.all([
        ...model.galeras.map(cluster => bootGalera(context, cluster)),
        ...model.rabbitmqs.map(cluster => bootRabbitmq(context, cluster))
    ]);
    for (const node of plan.nodes)
        if (node.steps.some(step => step.program === 'haproxy')) await startHaproxy(context, node.name);
    await startVrrp(context);
    for (const pool of model.memcacheds)
        for (const server of pool.servers)
            listening.push({ node: server.name, address: server.address, port: pool.port });
    for (const { node, address, port } of listening) {
        const open = await waitUntil(
            async () =>
                ['connected'].includes(
                    (await probe(context, node, [{ type: 'connect', address, port, timeoutMs: 1000 }]))[0]
                ),
            context.waitSeconds,
            300
        );
        if (!open)
            throw new LabError(`nothing listens on ${address}:${port} on ${node} after ${context.waitSeconds} s`);
    }
    await galeras;
    // VRRP settles within 3 advert intervals of the slowest VIP, plus the master's own start.
    const advert = Math.max(1, ...model.vips.map(vip => vip.advertSeconds));
    if (model.vips.length > 0) {
        context.progress(`keepalived: waiting ${3 * advert + 2} s for VRRP to elect`);
        await sleep((3 * advert + 2) * 1000);
    }
}

/**
 * keepalived everywhere, the declared masters of VIPs that preempt first, each until it holds its
 * VIP: the pair is booted as an operator brings it up, master first. With equal priorities the first
 * to claim the VIP keeps it (RFC 5798 §6.4.2), so that order is what the prediction rests on; started
 * together, a loaded machine decided it.
 */
async function startVrrp(context: StartContext): Promise<void> {
    const { plan, model } = context;
    const runs = new Set(
        plan.nodes.filter(node => node.steps.some(step => step.program === 'keepalived')).map(node => node.name)
    );
    const leaders = model.vips
        .filter(vip => !vip.nopreempt && !vip.pacemaker)
        .flatMap(vip => vip.members.filter(m => m.state === 'master' && runs.has(m.host.name)).map(m => ({ vip, m })));
    const first = new Set(leaders.map(({ m }) => m.host.name));
    for (const host of first) startKeepalived(context, host);
    for (const { vip, m } of leaders)
        await waitUntil(
            () => vipHolders(context, [m.host.name], vip.address).length === 1,
            3 * vip.advertSeconds + 2,
            200
        );
    for (const host of runs) if (!first.has(host)) startKeepalived(context, host);
}

/** Injects the scenario's failures, waits for the engines to settle, observes every prediction. */
async function scenario(context: StartContext, plan: LabPlan, first: boolean): Promise<LabResult[]> {
    const { model, network } = context;
    const failures = plan.failures;
    if (failures.length > 0) context.progress(`injecting ${failures.map(formatFailure).join(' + ')}`);
    const injected = Date.now();
    network.applyRules(cutOf(model, failures));
    for (const failure of failures.filter(f => f.kind === 'host'))
        network.crash(model.hosts.find(h => h.name === failure.name)!);
    const takeovers = new Map<Prediction, number>();
    const watching = watchTakeovers(context, plan.predictions, injected, takeovers);
    await settle(context, plan, failures.length > 0);
    await watching;
    const results: LabResult[] = [];
    // How the members joined is a fact of the boot: reported once.
    for (const prediction of plan.predictions.filter(p => first || p.observe.kind !== 'join')) {
        context.progress(`observe: ${prediction.subject} ${prediction.claim}`);
        const { observed, agrees } = await observe(context, prediction, takeovers);
        results.push({
            subject: prediction.subject,
            claim: prediction.claim,
            predicted: prediction.predicted,
            observed,
            agrees
        });
    }
    return results;
}

function cutOf(model: TopologyModel, failures: readonly Failure[]) {
    return {
        regions: failures.filter(f => f.kind === 'region').map(f => f.name),
        links: new Set(
            failures.flatMap(f => (f.kind === 'link' ? model.links.filter(link => linkNamed(link, f.name)) : []))
        )
    };
}

/** The first moment each predicted takeover is seen, polled every 0.2 s. */
async function watchTakeovers(
    context: StartContext,
    predictions: Prediction[],
    since: number,
    seen: Map<Prediction, number>
): Promise<void> {
    const pending = predictions.filter(p => p.observe.kind === 'vip' && p.observe.withinSeconds !== undefined);
    if (pending.length === 0) return;
    const limit = Math.max(...pending.map(p => (p.observe as { withinSeconds: number }).withinSeconds)) * 2 + 5;
    await waitUntil(
        () => {
            for (const prediction of pending) {
                const expect = prediction.observe as Extract<Prediction['observe'], { kind: 'vip' }>;
                if (seen.has(prediction)) continue;
                const holders = vipHolders(context, expect.members, expect.address);
                if (holders.length === 1 && holders[0] === expect.holders[0])
                    seen.set(prediction, (Date.now() - since) / 1000);
            }
            return seen.size === pending.length;
        },
        limit,
        200
    );
}

/**
 * Galera notices a crashed or cut-off peer after evs.suspect_timeout (5 s by default) and settles
 * its membership a moment later; keepalived within 3 adverts. Wait at least that long, then until
 * every surviving node's status has stayed the same for 3 s.
 */
async function settle(context: StartContext, plan: LabPlan, failed: boolean): Promise<void> {
    const galera = plan.predictions.filter(p => p.observe.kind === 'galera');
    const advert = Math.max(0, ...context.model.vips.map(vip => vip.advertSeconds));
    // RabbitMQ: net_ticktime 4 s, then pause_minority stops the minority's broker.
    const rabbit = plan.predictions.some(p => p.observe.kind === 'rabbitmq') ? 12 : 0;
    const minimum = failed
        ? Math.max(galera.length > 0 ? 9 : 0, context.model.vips.length > 0 ? 3 * advert + 2 : 0, rabbit, 1)
        : 0;
    context.progress(
        `settling: at least ${minimum} s${galera.length > 0 ? ', then until every Galera member stays the same for 3 s' : ''}`
    );
    await sleep(minimum * 1000);
    if (galera.length === 0) return;
    const members = [...new Set(galera.flatMap(p => (p.observe as { members: string[] }).members))];
    let last = '';
    let stableSince = Date.now();
    await waitUntil(
        () => {
            const now = galeraSnapshot(context, members);
            if (now !== last) {
                last = now;
                stableSince = Date.now();
            }
            return Date.now() - stableSince >= 3000;
        },
        context.waitSeconds,
        1000
    );
}

/** Back to the network as modelled, then wait until every cluster has all its voters again. */
async function heal(context: StartContext, previous: LabPlan): Promise<void> {
    context.progress(`healing ${previous.failures.map(formatFailure).join(' + ')}`);
    context.network.applyRules({ regions: [], links: new Set() });
    for (const cluster of context.model.galeras) {
        const joined = cluster.members.filter(member => (context.joins.get(member.host.name) ?? 'Synced') === 'Synced');
        const voters = joined.length + cluster.arbitrators.length;
        const whole = await waitUntil(
            () =>
                joined.every(member => {
                    const status = galeraStatus(context, member.host.name);
                    return status?.status === 'Primary' && status.size === voters && status.state === 'Synced';
                }),
            context.waitSeconds,
            1000
        );
        if (!whole)
            throw new LabError(
                `galera ${cluster.name} did not come back whole within ${context.waitSeconds} s after healing`
            );
    }
    for (const cluster of context.model.rabbitmqs) {
        const running = await waitUntil(
            () => cluster.members.every(host => rabbitRunning(context, host.name)),
            context.waitSeconds,
            1000
        );
        if (!running)
            throw new LabError(`rabbitmq ${cluster.name} did not resume within ${context.waitSeconds} s after healing`);
    }
    const advert = Math.max(0, ...context.model.vips.map(vip => vip.advertSeconds));
    if (context.model.vips.length > 0) await sleep((3 * advert + 2) * 1000);
}
