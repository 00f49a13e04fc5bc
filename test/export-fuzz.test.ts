// Random strings (line breaks, quotes, braces, #, ;, backslashes, unicode …) in every string slot
// that reaches a config file: a haproxy health check path, a TLS certificate path, a galera.cnf
// variable, a Galera provider option, a whole wsrep_provider_options, a rabbitmq.conf value. Each
// one is either refused by `check` with invalid-value where it is written, or exported such that
// the files contain no line the model did not produce (the same lines as with a plain value, only
// the value's own line differing, and holding the value verbatim) and the real program reads them:
// haproxy -c -dW, mariadbd --help --verbose reading the value back, and RabbitMQ's own config
// engine (cuttlefish with 3.10's rabbit.schema) reading the value back.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { random } from '../bench/generate.js';
import { exportAll } from '../language/export/export-all.js';
import type { ExportFile } from '../language/export/export-file.js';
import { buildModel } from '../language/model/build-model.js';
import { writeExport } from '../server/export-writer.js';
import { check } from './helpers.js';
import { requirePrograms } from './lab/netns.js';
import { rabbitConfigReads } from './lab/rabbitmq.js';

const scratch = mkdtempSync(path.join(tmpdir(), 'hatopo-fuzz-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
beforeAll(() => requirePrograms('haproxy', 'mariadbd', 'erl', 'unshare', 'openssl'));

/** A topology where `@@SLOT@@` is replaced by a .hatopo string literal. */
interface Slot {
    name: string;
    template: string;
    /** A value every target reads as written. */
    plain: string;
    /** Fuzz values get this prefix (a certificate must lie under /etc/haproxy for the test to provide it). */
    prefix?: string;
    program: 'haproxy' | 'mariadb' | 'rabbitmq';
    /** What the program should read back, given the value. */
    readBack?: (value: string) => string;
}

const PLACES = `topology fuzz "string slots"
region r 10.9.0.0/16 {
  zone z 10.9.0.0/24 trust management {
    host lb1 10.9.0.5
    host lb2 10.9.0.6
    host api1 10.9.0.21
    host db1 10.9.0.31
    host db2 10.9.0.32
    host db3 10.9.0.33
    host mq1 10.9.0.41
  }
}
vip v 10.9.0.100 vrid 9 { master lb1 priority 150; backup lb2 priority 100 }
`;

const SLOTS: Slot[] = [
    {
        name: 'haproxy health check',
        template: `${PLACES}haproxy h {\n  nodes lb1, lb2\n  frontend api bind v port 5000 backend api\n  backend api mode http check @@SLOT@@ {\n    server api1 port 5000\n  }\n}\n`,
        plain: '/healthcheck',
        program: 'haproxy'
    },
    {
        name: 'TLS certificate',
        template: `${PLACES}haproxy h {\n  nodes lb1, lb2\n  frontend api bind v port 443 backend api tls crt @@SLOT@@\n  backend api mode http {\n    server api1 port 5000\n  }\n}\n`,
        plain: '/etc/haproxy/certs/api.pem',
        prefix: '/etc/haproxy/',
        program: 'haproxy'
    },
    {
        name: 'galera.cnf variable',
        template: `${PLACES}galera g {\n  members db1, db2, db3\n  option wsrep_sst_donor = @@SLOT@@\n}\n`,
        plain: 'db2,db3',
        program: 'mariadb',
        readBack: value => value
    },
    {
        name: 'Galera provider option',
        template: `${PLACES}galera g {\n  members db1, db2, db3\n  option gcache.name = @@SLOT@@\n}\n`,
        plain: '/var/lib/mysql/galera.cache',
        program: 'mariadb',
        readBack: value =>
            `gcache.size=1024M;gmcast.listen_addr=tcp://10.9.0.31:4567;ist.recv_addr=10.9.0.31:4568;gcache.name=${value}`
    },
    {
        name: 'wsrep_provider_options',
        template: `${PLACES}galera g {\n  members db1, db2, db3\n  option wsrep_provider_options = @@SLOT@@\n}\n`,
        plain: 'evs.suspect_timeout=PT30S;evs.inactive_timeout=PT1M',
        program: 'mariadb'
    },
    {
        name: 'rabbitmq.conf value',
        template: `${PLACES}rabbitmq mq {\n  members mq1\n  option cluster_name = @@SLOT@@\n}\n`,
        plain: 'openstack-rabbit',
        program: 'rabbitmq',
        readBack: value => value
    }
];

const ALPHABET = [
    ...'abcXYZ0189/.-_:@,+=%?&'.split(''),
    ' ',
    '\n',
    '\r',
    '\t',
    '"',
    "'",
    '{',
    '}',
    '#',
    ';',
    '\\',
    '$',
    '`',
    '(',
    ')',
    '[',
    'é',
    '中',
    '\u2028',
    '😀'
];

const HANDPICKED = [
    '/x\n    server rogue 203.0.113.66:5000',
    'a#b',
    'a;b',
    'a"b',
    '{x}',
    'ünïcode',
    ' padded ',
    '',
    'x\\ny',
    '${HOME}'
];

function fuzzValues(slot: Slot, seed: number, count: number): string[] {
    const next = random(seed);
    const values = HANDPICKED.map(value => (slot.prefix ?? '') + value);
    for (let i = 0; i < count; i++) {
        const length = 1 + Math.floor(next() * 16);
        let text = '';
        for (let j = 0; j < length; j++) text += ALPHABET[Math.floor(next() * ALPHABET.length)];
        // Half of them start like a plausible value, so some pass the checks and reach the programs.
        if (next() < 0.5) text = slot.plain + text.replace(/[^A-Za-z0-9/._-]/g, next() < 0.7 ? '' : '#');
        values.push((slot.prefix ?? '') + text);
    }
    return values;
}

interface Outcome {
    value: string;
    refused: boolean;
    files?: ExportFile[];
    folder?: string;
}

const SLOT_LINE = (template: string) => template.split('\n').findIndex(line => line.includes('@@SLOT@@'));

async function tryValue(slot: Slot, value: string, index: number): Promise<Outcome> {
    const text = slot.template.replace('@@SLOT@@', () => JSON.stringify(value)); // a function: $` in a value is no pattern
    const document = await check(text, `fuzz-${index}.hatopo`);
    expect(document.parseResult.parserErrors, `${slot.name} ${JSON.stringify(value)}`).toEqual([]);
    const model = buildModel([document]);
    const problems = model.problems.filter(problem => problem.rule === 'invalid-value');
    if (problems.length > 0) {
        // Refused where it is written, with a message naming the slot.
        expect(
            problems.map(p => p.source.start.line),
            `${slot.name} ${JSON.stringify(value)}`
        ).toEqual(problems.map(() => SLOT_LINE(slot.template)));
        return { value, refused: true };
    }
    const files = exportAll(model);
    const folder = path.join(scratch, `${slot.name.replace(/\W/g, '_')}-${index}`);
    await writeExport(folder, files);
    return { value, refused: false, files, folder };
}

/** The accepted value's export has the plain export's lines, except lines holding the value. */
function sameLines(slot: Slot, plain: ExportFile[], outcome: Outcome): string[] {
    const problems: string[] = [];
    const shown = JSON.stringify(outcome.value);
    const files = new Map(outcome.files!.map(file => [file.path, file.content]));
    if (
        [...files.keys()].sort().join() !==
        plain
            .map(f => f.path)
            .sort()
            .join()
    )
        problems.push(`${slot.name} ${shown}: other files than with a plain value`);
    for (const file of plain) {
        const before = file.content.split('\n');
        const after = (files.get(file.path) ?? '').split('\n');
        if (before.length !== after.length) {
            problems.push(`${slot.name} ${shown}: ${file.path} has ${after.length} lines, not ${before.length}`);
            continue;
        }
        before.forEach((line, i) => {
            if (line !== after[i] && !after[i].includes(outcome.value))
                problems.push(
                    `${slot.name} ${shown}: ${file.path}:${i + 1} changed without holding the value: ${after[i]}`
                );
        });
    }
    return problems;
}

describe('random strings in every string slot', () => {
    it('are refused with invalid-value, or exported line for line and read back by the real programs', async () => {
        const problems: string[] = [];
        const accepted: Array<{ slot: Slot; outcome: Outcome }> = [];
        let refused = 0;
        for (const [s, slot] of SLOTS.entries()) {
            const plain = await tryValue(slot, slot.plain, s * 1000);
            expect(plain.refused, `${slot.name}: the plain value ${slot.plain} is refused`).toBe(false);
            accepted.push({ slot, outcome: plain });
            const values = fuzzValues(slot, 1234 + s, 40);
            for (const [i, value] of values.entries()) {
                const outcome = await tryValue(slot, value, s * 1000 + i + 1);
                if (outcome.refused) {
                    refused++;
                    continue;
                }
                problems.push(...sameLines(slot, plain.files!, outcome));
                accepted.push({ slot, outcome });
            }
        }
        // The programs, in batches.
        problems.push(...haproxyReads(accepted.filter(a => a.slot.program === 'haproxy')));
        problems.push(...mariadbReads(accepted.filter(a => a.slot.program === 'mariadb')));
        problems.push(...rabbitmqReads(accepted.filter(a => a.slot.program === 'rabbitmq')));
        expect(problems).toEqual([]);
        // Both outcomes happen in every slot: the test proves something either way.
        for (const slot of SLOTS) expect(accepted.filter(a => a.slot === slot).length, slot.name).toBeGreaterThan(3);
        expect(refused).toBeGreaterThan(SLOTS.length * 20);
    }, 180_000);
});

function haproxyReads(entries: Array<{ slot: Slot; outcome: Outcome }>): string[] {
    const pem = path.join(scratch, 'fuzz.pem');
    spawnSync('sh', [
        '-c',
        `openssl req -x509 -newkey rsa:2048 -nodes -keyout ${pem}.key -out ${pem}.crt -subj /CN=fuzz -days 2 2>/dev/null && cat ${pem}.crt ${pem}.key > ${pem}`
    ]);
    const files = entries.flatMap(({ outcome }) =>
        outcome.files!.filter(f => f.path.endsWith('/haproxy.cfg')).map(f => path.join(outcome.folder!, f.path))
    );
    const certificates = new Set(
        entries.flatMap(({ outcome }) =>
            outcome.files!.flatMap(f => [...f.content.matchAll(/ ssl crt (\S+)/g)].map(m => m[1]))
        )
    );
    const script = [
        'mount -t tmpfs tmpfs /etc/haproxy',
        ...[...certificates].map(c => `mkdir -p '${path.dirname(c)}' && cp ${pem} '${c}'`),
        ...files.map(
            f =>
                `haproxy -c -dW -f ${f} >/dev/null 2>${f}.check || echo "haproxy refused ${f}: $(head -c 300 ${f}.check)"`
        )
    ].join('\n');
    const result = spawnSync('unshare', ['--mount', '--propagation', 'private', 'bash', '-c', script], {
        encoding: 'utf8'
    });
    return `${result.stdout}${result.stderr}`.split('\n').filter(Boolean);
}

function mariadbReads(entries: Array<{ slot: Slot; outcome: Outcome }>): string[] {
    const problems: string[] = [];
    for (const { slot, outcome } of entries) {
        const file = outcome.files!.find(f => f.path === 'db1/galera.cnf')!;
        const result = spawnSync(
            'mariadbd',
            [`--defaults-file=${path.join(outcome.folder!, file.path)}`, '--user=mysql', '--help', '--verbose'],
            { encoding: 'utf8' }
        );
        const shown = `${slot.name} ${JSON.stringify(outcome.value)}`;
        if (result.status !== 0)
            problems.push(`${shown}: mariadbd exited ${result.status}: ${result.stderr.slice(0, 300)}`);
        const variable = slot.name === 'galera.cnf variable' ? 'wsrep-sst-donor' : 'wsrep-provider-options';
        const read = new RegExp(`^${variable} +(.*)$`, 'm').exec(result.stdout)?.[1] ?? '';
        const expected = slot.readBack
            ? slot.readBack(outcome.value)
            : /^wsrep_provider_options = "(.*)"$/m.exec(file.content)![1];
        if (read !== expected)
            problems.push(`${shown}: mariadbd read ${JSON.stringify(read)}, not ${JSON.stringify(expected)}`);
    }
    return problems;
}

/** RabbitMQ's own config engine, as its boot runs it, reads each accepted value back. */
function rabbitmqReads(entries: Array<{ slot: Slot; outcome: Outcome }>): string[] {
    const folders = entries.map(({ outcome }) => path.join(outcome.folder!, 'mq1'));
    const reads = rabbitConfigReads(folders);
    return entries.flatMap(({ slot, outcome }, i) => {
        const expected = `OK ${Buffer.from(slot.readBack!(outcome.value)).toString('base64')}`;
        const read = reads.get(folders[i]);
        return read === expected ? [] : [`${slot.name} ${JSON.stringify(outcome.value)}: RabbitMQ read ${read}`];
    });
}
