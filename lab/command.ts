// `hatopo lab FILE [--fail region:X|host:X|link:X]… [--format text|json] [--keep] [--timeout S]`:
// boots the topology's data and load-balancing tier in network namespaces, injects the failures and
// holds every prediction of the engine against what the real programs do.
// Exit 0: all agree; 1: a contradiction; 2: usage, missing programs, a file too large for the lab.

import { defineCommand, UsageError } from '../server/cli-command.js';
import { findHatopoFiles, InputError, loadTopology, topologies } from '../server/load-topology.js';
import { collectProblems } from '../server/report.js';
import { FAILURE_FORMAT, parseFailure, type Failure } from '../protocol/failure.js';
import { LabRefusal } from './plan.js';
import { LabError } from './processes.js';
import { formatKept, formatLabJson, formatLabText } from './report.js';
import { LabMissingPrograms, runLab } from './run.js';

export const labCommand = defineCommand({
    name: 'lab',
    summary:
        'Boot the topology in network namespaces, inject failures, and check every verdict against the real programs.',
    details:
        "Needs root and Debian's packages (it names what is missing). Boots the data and load-balancing tier (MariaDB\n" +
        "Galera and garbd, haproxy, keepalived, memcached, RabbitMQ, the request paths' proxies), one namespace per\n" +
        'host, regions joined by a router whose nftables forward chain is the modelled links and firewalls. Prints\n' +
        'one line per prediction and "lab: N predictions, N confirmed, N contradicted"; exit 0 all agree,\n' +
        '1 a contradiction, 2 usage, missing programs or a file too large for the lab. Always tears down what it\n' +
        'started, also on Ctrl-C.',
    operands: { name: 'FILE', min: 1, max: 1, error: 'lab takes exactly one .hatopo file' },
    options: {
        fail: {
            type: 'string',
            multiple: true,
            value: 'KIND:NAME',
            help: 'inject region:NAME, host:NAME or link:NAME'
        },
        format: { type: 'string', value: 'FORMAT', choices: ['text', 'json'], default: 'text', help: 'text or json' },
        keep: { type: 'boolean', help: 'leave the lab up and print how to enter each host' },
        timeout: { type: 'string', value: 'S', default: '90', help: 'seconds any one wait may take (default 90)' }
    },
    async run(options, [file]) {
        const failures = options.fail.map(text => {
            const failure = parseFailure(text);
            if (!failure) throw new UsageError(`--fail takes ${FAILURE_FORMAT}, not '${text}'`);
            return failure;
        });
        const timeout = Number(options.timeout);
        if (!(timeout > 0)) throw new UsageError('--timeout takes a number of seconds');
        return runLabCommand({
            file,
            failures,
            format: options.format as 'text' | 'json',
            keep: options.keep,
            timeout
        });
    }
});

interface LabArguments {
    file: string;
    failures: Failure[];
    format: 'text' | 'json';
    keep: boolean;
    timeout: number;
}

async function runLabCommand(options: LabArguments): Promise<number> {
    try {
        const { services, documents } = await loadTopology(await findHatopoFiles([options.file]));
        const broken = collectProblems(documents).find(
            problem =>
                problem.severity === 'error' &&
                (problem.rule === 'syntax-error' || problem.rule === 'unresolved-reference')
        );
        if (broken)
            throw new InputError(
                `${broken.file}:${broken.line}:${broken.column}: ${broken.message.replace(/\s*\n\s*/g, ' ').slice(0, 200)}: fix it before running the lab`
            );
        const [topology] = topologies(services, documents.slice(0, 1));
        const started = Date.now();
        const report = await runLab(topology.model, {
            scenarios: [options.failures],
            waitSeconds: options.timeout,
            keep: options.keep,
            progress: line =>
                process.stderr.write(`hatopo lab [${((Date.now() - started) / 1000).toFixed(1)} s]: ${line}\n`)
        });
        process.stdout.write(options.format === 'json' ? formatLabJson(report) : formatLabText(report));
        if (options.keep) process.stderr.write(formatKept(report, report.prefix));
        return report.summary.contradicted > 0 ? 1 : 0;
    } catch (error) {
        if (error instanceof LabRefusal || error instanceof LabMissingPrograms || error instanceof LabError) {
            process.stderr.write(`hatopo lab: ${error.message}\n`);
            return 2;
        }
        throw error; // the CLI names input errors and internal errors in one line
    }
}
