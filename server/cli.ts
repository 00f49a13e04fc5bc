// The `hatopo` command: the same engine as the language server, for CI.
//   hatopo check FILE|DIR... [--format text|json|sarif] [--exit-zero]
// Exit 0: no errors; 1: errors found; 2: usage or I/O error (one line on stderr, never a stack).

import { findHatopoFiles, InputError, loadTopology } from './load-topology.js';
import { collectProblems, formatJson, formatSarif, formatText } from './report.js';

declare const HATOPO_VERSION: string; // defined by the bundler from package.json
const version = typeof HATOPO_VERSION === 'string' ? HATOPO_VERSION : '0.0.0-dev';

const USAGE = `usage: hatopo check FILE|DIR... [--format text|json|sarif] [--exit-zero]
  check      check .hatopo files (folders are searched for *.hatopo; imports are followed)
  --format   text (default: file:line:col severity rule message), json, or sarif (SARIF 2.1.0)
  --exit-zero  exit 0 even when errors are found (usage and I/O errors still exit 2)
  --version  print the version`;

class UsageError extends Error {}

interface CheckOptions { paths: string[]; format: 'text' | 'json' | 'sarif'; exitZero: boolean }

function parseCheckArguments(args: readonly string[]): CheckOptions {
    const options: CheckOptions = { paths: [], format: 'text', exitZero: false };
    for (let i = 0; i < args.length; i++) {
        const arg = args[i];
        if (arg === '--format' || arg.startsWith('--format=')) {
            const value = arg.includes('=') ? arg.slice('--format='.length) : args[++i];
            if (value !== 'text' && value !== 'json' && value !== 'sarif') throw new UsageError(`--format takes text, json or sarif, not '${value ?? ''}'`);
            options.format = value;
        } else if (arg === '--exit-zero') {
            options.exitZero = true;
        } else if (arg.startsWith('-')) {
            throw new UsageError(`unknown option '${arg}'`);
        } else {
            options.paths.push(arg);
        }
    }
    if (options.paths.length === 0) throw new UsageError('check needs at least one file or folder');
    return options;
}

async function check(options: CheckOptions): Promise<number> {
    const files = await findHatopoFiles(options.paths);
    if (files.length === 0) throw new InputError(`no .hatopo files in ${options.paths.join(', ')}`);
    const { documents } = await loadTopology(files);
    const problems = collectProblems(documents);
    const output = options.format === 'json' ? formatJson(problems)
        : options.format === 'sarif' ? formatSarif(problems, version)
        : formatText(problems, documents.length);
    process.stdout.write(output);
    const errors = problems.some(problem => problem.severity === 'error');
    return errors && !options.exitZero ? 1 : 0;
}

export async function main(argv: readonly string[]): Promise<number> {
    const [command, ...rest] = argv;
    try {
        if (command === '--version') { process.stdout.write(`${version}\n`); return 0; }
        if (command === undefined || command === '--help' || command === 'help') { process.stdout.write(USAGE + '\n'); return command ? 0 : 2; }
        if (command === 'check') return await check(parseCheckArguments(rest));
        throw new UsageError(`unknown command '${command}'`);
    } catch (error) {
        if (error instanceof UsageError) { process.stderr.write(`hatopo: ${error.message}\n${USAGE}\n`); return 2; }
        if (error instanceof InputError) { process.stderr.write(`hatopo: ${error.message}\n`); return 2; }
        process.stderr.write(`hatopo: internal error: ${(error as Error).message ?? String(error)}\n`);
        return 2;
    }
}

main(process.argv.slice(2)).then(code => { process.exitCode = code; });
