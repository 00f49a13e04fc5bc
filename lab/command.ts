// `hatopo lab FILE [--fail region:X|host:X|link:X]… [--format text|json] [--keep] [--timeout S]`:
// boots the topology's data and load-balancing tier in network namespaces, injects the failures and
// holds every prediction of the engine against what the real programs do.
// Exit 0: all agree; 1: a contradiction; 2: usage, missing programs, a file too large for the lab.

import { findHatopoFiles, InputError, loadTopology, topologies } from '../server/load-topology.js';
import { collectProblems } from '../server/report.js';
import { FAILURE_FORMAT, parseFailure, type Failure } from '../protocol/failure.js';
import { LabRefusal } from './plan.js';
import { LabError } from './processes.js';
import { formatKept, formatLabJson, formatLabText } from './report.js';
import { LabMissingPrograms, runLab } from './run.js';

export const LAB_USAGE = `usage: hatopo lab FILE [--fail region:NAME|host:NAME|link:NAME]... [--format text|json] [--keep] [--timeout S]
  lab          boot the data and load-balancing tier in network namespaces (root, Debian's packages),
               inject the failures, and compare what the real programs do with each prediction:
               one line per prediction and "lab: N predictions, N confirmed, N contradicted";
               exit 0 all agree, 1 a contradiction, 2 usage, missing programs or a file too large
  --keep       leave the lab up and print how to enter each host
  --timeout    seconds any one wait may take (default 90)`;

class UsageError extends Error {}

interface LabArguments {
    file: string;
    failures: Failure[];
    format: 'text' | 'json';
    keep: boolean;
    timeout: number;
}

function parse(args: readonly string[]): LabArguments {
    const files: string[] = [];
    const parsed: LabArguments = { file: '', failures: [], format: 'text', keep: false, timeout: 90 };
    for (let i = 0; i < args.length; i++) {
        const arg = args[i];
        const value = () => (arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : args[++i]);
        if (arg === '--fail' || arg.startsWith('--fail=')) {
            const text = value();
            const failure = text === undefined ? undefined : parseFailure(text);
            if (!failure) throw new UsageError(`--fail takes ${FAILURE_FORMAT}, not '${text ?? ''}'`);
            parsed.failures.push(failure);
        } else if (arg === '--format' || arg.startsWith('--format=')) {
            const format = value();
            if (format !== 'text' && format !== 'json')
                throw new UsageError(`--format takes text or json, not '${format ?? ''}'`);
            parsed.format = format;
        } else if (arg === '--timeout' || arg.startsWith('--timeout=')) {
            parsed.timeout = Number(value());
            if (!(parsed.timeout > 0)) throw new UsageError('--timeout takes a number of seconds');
        } else if (arg === '--keep') parsed.keep = true;
        else if (arg.startsWith('-')) throw new UsageError(`unknown option '${arg}'`);
        else files.push(arg);
    }
    if (files.length !== 1) throw new UsageError('lab takes exactly one .hatopo file');
    parsed.file = files[0];
    return parsed;
}

export async function labCommand(args: string[]): Promise<number> {
    if (args.includes('--help')) {
        process.stdout.write(`${LAB_USAGE}\n`);
        return 0;
    }
    try {
        const options = parse(args);
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
        if (error instanceof UsageError) {
            process.stderr.write(`hatopo: ${error.message}\n${LAB_USAGE}\n`);
            return 2;
        }
        if (
            error instanceof LabRefusal ||
            error instanceof LabMissingPrograms ||
            error instanceof LabError ||
            error instanceof InputError
        ) {
            process.stderr.write(`hatopo lab: ${error.message}\n`);
            return 2;
        }
        process.stderr.write(`hatopo lab: internal error: ${(error as Error).message ?? String(error)}\n`);
        return 2;
    }
}
