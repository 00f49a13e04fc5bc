// Observers: what the real programs do, measured from inside the lab's namespaces, set against
// each prediction. Galera's status per surviving node, which namespace holds each VIP, TCP connects
// from each flow's source, HTTP through each request path with a token of the computed size.

import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { HopEntry, Pair, Prediction } from './predictions.js';
import { attempt, sleep } from './processes.js';
import { PROBE_SCRIPT } from './scripts.js';
import type { StartContext } from './starters/context.js';
import { galeraStatus } from './starters/galera.js';
import { rabbitRunning, runningNodes } from './starters/rabbitmq.js';

export interface Observed {
    observed: string;
    agrees: boolean;
}

type ProbeTask =
    | { type: 'connect'; address: string; port: number; timeoutMs: number }
    | { type: 'http'; address: string; port: number; headers: Record<string, string>; timeoutMs: number };

const written = new Set<string>();

/** Runs probe tasks from inside one namespace, concurrently; one result string per task. */
export function probe(context: StartContext, node: string, tasks: ProbeTask[]): Promise<string[]> {
    if (tasks.length === 0) return Promise.resolve([]);
    // Written once per lab: probes run concurrently and must never read a half-written file.
    const probeFile = path.join(context.scratch, 'probe.cjs');
    if (!written.has(probeFile)) {
        writeFileSync(probeFile, PROBE_SCRIPT);
        written.add(probeFile);
    }
    return new Promise(resolve => {
        const child = spawn(
            'ip',
            ['netns', 'exec', context.network.namespace(node), process.execPath, probeFile, JSON.stringify(tasks)],
            { stdio: ['ignore', 'pipe', 'pipe'] }
        );
        let output = '';
        let errors = '';
        child.stdout.on('data', chunk => (output += chunk));
        child.stderr.on('data', chunk => (errors += chunk));
        const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
        child.on('close', () => {
            clearTimeout(timer);
            try {
                resolve(JSON.parse(output) as string[]);
            } catch {
                const why = errors.trim().split('\n')[0] || 'no output';
                resolve(tasks.map(() => `probe failed (${why.slice(0, 80)})`));
            }
        });
    });
}

export function vipHolders(context: StartContext, members: string[], address: string): string[] {
    return members.filter(member => {
        const node = context.network.node(member);
        const shown = attempt('ip', [
            '-n',
            context.network.namespace(member),
            '-4',
            'address',
            'show',
            'dev',
            node.interface
        ]);
        return new RegExp(`inet ${address.replace(/\./g, '\\.')}/`).test(shown.output);
    });
}

/** Each surviving member's status, e.g. `db1 Primary (size 2, weight 2)`. */
export function galeraSnapshot(context: StartContext, members: string[]): string {
    return members
        .map(member => {
            const status = galeraStatus(context, member);
            if (!status) return `${member} not answering`;
            return `${member} ${status.status} (size ${status.size}${status.weight !== undefined ? `, weight ${status.weight}` : ''})`;
        })
        .join('; ');
}

export async function observe(
    context: StartContext,
    prediction: Prediction,
    takeovers: Map<Prediction, number>
): Promise<Observed> {
    const expect = prediction.observe;
    switch (expect.kind) {
        case 'galera': {
            // Members that never joined (their join claim says why) are left out, and then so is the weight.
            const joined = expect.members.filter(member => (context.joins.get(member) ?? 'Synced') === 'Synced');
            const statuses = joined.map(member => ({ member, status: galeraStatus(context, member) }));
            const primary = statuses.filter(s => s.status?.status === 'Primary');
            const weight = joined.length === expect.members.length ? primary[0]?.status?.weight : undefined;
            const agrees = expect.primary
                ? primary.length > 0 && (weight === undefined || weight === expect.weight)
                : primary.length === 0;
            const missing = expect.members.filter(member => !joined.includes(member));
            return {
                observed: `${galeraSnapshot(context, joined)}${missing.length > 0 ? `; ${missing.join(', ')} never joined` : ''}`,
                agrees
            };
        }
        case 'rabbitmq': {
            const running = expect.members.filter(member => rabbitRunning(context, member));
            const observed = expect.members
                .map(
                    member =>
                        `${member} ${running.includes(member) ? `running (sees ${runningNodes(context, member)} nodes)` : 'paused'}`
                )
                .join('; ');
            return { observed, agrees: expect.running ? running.length > 0 : running.length === 0 };
        }
        case 'join': {
            const outcome = context.joins.get(expect.member) ?? 'not started';
            return { observed: outcome, agrees: (outcome === 'Synced') === expect.joins };
        }
        case 'vip': {
            const holders = vipHolders(context, expect.members, expect.address);
            const took = takeovers.get(prediction);
            const timely =
                expect.withinSeconds === undefined ||
                (took !== undefined && took <= expect.withinSeconds + TAKEOVER_SLACK);
            const agrees =
                (expect.oneOf
                    ? holders.length === 1 && expect.holders.includes(holders[0])
                    : holders.length === expect.holders.length && holders.every(h => expect.holders.includes(h))) &&
                timely;
            const time =
                expect.withinSeconds === undefined
                    ? ''
                    : took === undefined
                      ? ', not taken over'
                      : `, after ${took.toFixed(1)} s`;
            return { observed: `${holders.length > 0 ? holders.join(' and ') : 'nobody'}${time}`, agrees };
        }
        case 'connect':
            return observeConnects(context, expect.pairs, expect.connects);
        case 'service':
            return observeService(context, expect);
        case 'headers':
            return observeHeaders(context, expect.entries, expect.tokenBytes, expect.otherBytes, expect.rejectedAt);
    }
}

/** A takeover is seen by polling every 0.2 s, and keepalived then adds the address: allow for both. */
export const TAKEOVER_SLACK = 0.5;

async function observeConnects(context: StartContext, pairs: Pair[], connects: boolean): Promise<Observed> {
    const bySource = new Map<string, Pair[]>();
    for (const pair of pairs) bySource.set(pair.from, [...(bySource.get(pair.from) ?? []), pair]);
    const outcomes = (
        await Promise.all(
            [...bySource].map(async ([from, list]) => {
                const results = await probe(
                    context,
                    from,
                    list.map(pair => ({ type: 'connect', address: pair.address, port: pair.port, timeoutMs: 2500 }))
                );
                return list.map((pair, i) => ({ pair, result: results[i] }));
            })
        )
    ).flat();
    const reached = (result: string) => result === 'connected' || result === 'refused';
    const wrong = outcomes.filter(outcome => reached(outcome.result) !== connects);
    const count = `${outcomes.filter(o => reached(o.result)).length} of ${outcomes.length} connect`;
    const shown = wrong
        .slice(0, 3)
        .map(o => `${o.pair.from} → ${o.pair.to}: ${o.result}`)
        .join(', ');
    return {
        observed: wrong.length === 0 ? count : `${count} (${shown}${wrong.length > 3 ? ', …' : ''})`,
        agrees: wrong.length === 0
    };
}

async function observeService(
    context: StartContext,
    expect: Extract<Prediction['observe'], { kind: 'service' }>
): Promise<Observed> {
    // Health checks take a few seconds to follow a failure: two equal answers in a row count.
    let previous: string | undefined;
    let answer = '';
    for (let i = 0; i < 6; i++) {
        answer = await serviceAnswer(context, expect);
        if (answer === previous) break;
        previous = answer;
        await sleep(1000);
    }
    const up = answer === '200' || answer === 'query ok' || answer === 'connected';
    return { observed: /^\d+$/.test(answer) ? `HTTP ${answer}` : answer, agrees: up === expect.up };
}

async function serviceAnswer(
    context: StartContext,
    expect: Extract<Prediction['observe'], { kind: 'service' }>
): Promise<string> {
    if (expect.mode === 'http')
        return (
            await probe(context, expect.namespace, [
                { type: 'http', address: expect.address, port: expect.port, headers: {}, timeoutMs: 5000 }
            ])
        )[0];
    if (expect.port === 3306) {
        const result = attempt('ip', [
            'netns',
            'exec',
            context.network.namespace(expect.namespace),
            'mariadb',
            '-h',
            expect.address,
            '-ulab',
            '-plab',
            '--connect-timeout=3',
            '-N',
            '-e',
            'SELECT 1'
        ]);
        return result.status === 0 ? 'query ok' : `query failed: ${result.output.trim().split('\n')[0]}`;
    }
    return (
        await probe(context, expect.namespace, [
            { type: 'connect', address: expect.address, port: expect.port, timeoutMs: 3000 }
        ])
    )[0];
}

/** The request line and headers besides the token add up to `otherBytes`, as the engine counts them. */
export function requestHeaders(entry: HopEntry, tokenBytes: number, otherBytes: number): Record<string, string> {
    const headers: Record<string, string> = {
        Host: `${entry.address}:${entry.port}`,
        'User-Agent': 'hatopo-lab',
        Accept: 'application/json',
        Connection: 'close'
    };
    const requestLine = 'GET / HTTP/1.1\r\n'.length;
    const used =
        requestLine + Object.entries(headers).reduce((sum, [k, v]) => sum + k.length + 2 + v.length + 2, 0) + 2;
    const padding = otherBytes - used - 'X-Lab-Padding: \r\n'.length;
    if (padding > 0) headers['X-Lab-Padding'] = 'p'.repeat(padding);
    headers['X-Auth-Token'] = 'g'.repeat(tokenBytes);
    return headers;
}

async function observeHeaders(
    context: StartContext,
    entries: HopEntry[],
    tokenBytes: number,
    otherBytes: number,
    rejectedAt: number | undefined
): Promise<Observed> {
    const send = async (index: number) =>
        (
            await probe(context, entries[index].namespace, [
                {
                    type: 'http',
                    address: entries[index].address,
                    port: entries[index].port,
                    headers: requestHeaders(entries[index], tokenBytes, otherBytes),
                    timeoutMs: 5000
                }
            ])
        )[0];
    const through = await send(0);
    if (through === '200') return { observed: 'passes every hop (HTTP 200)', agrees: rejectedAt === undefined };
    // Which hop refuses: the last one that fails when the request enters the path there.
    for (let index = entries.length - 1; index >= 0; index--) {
        const entered = index === 0 ? through : await send(index);
        if (entered === '200') continue;
        const after = index + 1 < entries.length ? '; entering after it: HTTP 200' : '';
        return {
            observed: `refused at hop ${index + 1} ${entries[index].hop} (through the path: ${describe(through)}; entering there: ${describe(entered)}${after})`,
            agrees: rejectedAt === index
        };
    }
    return {
        observed: `refused through the path (${describe(through)}) though every hop passes it alone`,
        agrees: false
    };
}

function describe(result: string): string {
    return /^\d+$/.test(result) ? `HTTP ${result}` : result;
}
