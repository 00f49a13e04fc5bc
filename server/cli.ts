// The `hatopo` command: the same engine as the language server, for CI.
//   hatopo check FILE|DIR... [--format text|json|sarif] [--exit-zero]
// Exit 0: no errors; 1: errors found; 2: usage or I/O error (one line on stderr, never a stack).

import { writeFile } from 'node:fs/promises';
import { analyse } from '../language/analysis/analyse.js';
import { formatWhatIf, UnknownFailureError, whatIf, type WhatIfResult } from '../language/analysis/what-if.js';
import { diagramOf } from '../language/diagram/diagram-model.js';
import { layoutDiagram } from '../language/diagram/layout.js';
import { renderSvg } from '../language/diagram/svg.js';
import { exportAll } from '../language/export/export-all.js';
import { ExportError, writeExport } from './export-writer.js';
import { findHatopoFiles, InputError, loadTopology, topologies } from './load-topology.js';
import { collectProblems, formatJson, formatSarif, formatText } from './report.js';

declare const HATOPO_VERSION: string; // defined by the bundler from package.json
const version = typeof HATOPO_VERSION === 'string' ? HATOPO_VERSION : '0.0.0-dev';

const USAGE = `usage: hatopo check FILE|DIR... [--format text|json|sarif] [--exit-zero] [--fail KIND:NAME]...
  check        check .hatopo files (folders are searched for *.hatopo; imports are followed)
  --format     text (default: file:line:col severity rule message), json, or sarif (SARIF 2.1.0)
  --exit-zero  exit 0 even when errors are found (usage and I/O errors still exit 2)
  --fail       what if region:NAME, host:NAME or link:NAME fails (repeatable, combined): clusters
               that lose Primary, services down, flows cut; with --format json the output becomes
               {"problems": [...], "whatIf": [...]}
  --version    print the version
usage: hatopo export FILE --out DIR [--force]
  export       write one folder per host (haproxy.cfg, keepalived.conf, galera.cnf, nftables.conf,
               memcached.conf, rabbitmq.conf, keystone.conf) and inventory/; never outside DIR; refuses
               to overwrite files edited since the last export unless --force
usage: hatopo render FILE --out DIAGRAM.svg|DIAGRAM.png [--expand REGION]... [--collapse-above N]
  render       draw the topology (the same drawing as the VS Code preview); regions with more than
               N hosts (default 40) are drawn as a summary unless --expand names them
usage: hatopo lab FILE [--fail region:NAME|host:NAME|link:NAME]... [--format text|json] [--keep] [--timeout S]
  lab          boot the topology in network namespaces (root, Debian's packages), inject the failures
               and compare what the real programs do with each prediction (see hatopo lab --help)`;

class UsageError extends Error {}

interface CheckOptions {
    paths: string[];
    format: 'text' | 'json' | 'sarif';
    exitZero: boolean;
    failures: string[];
}

function parseCheckArguments(args: readonly string[]): CheckOptions {
    const options: CheckOptions = { paths: [], format: 'text', exitZero: false, failures: [] };
    for (let i = 0; i < args.length; i++) {
        const arg = args[i];
        if (arg === '--format' || arg.startsWith('--format=')) {
            const value = arg.includes('=') ? arg.slice('--format='.length) : args[++i];
            if (value !== 'text' && value !== 'json' && value !== 'sarif')
                throw new UsageError(`--format takes text, json or sarif, not '${value ?? ''}'`);
            options.format = value;
        } else if (arg === '--fail' || arg.startsWith('--fail=')) {
            const value = arg.includes('=') ? arg.slice('--fail='.length) : args[++i];
            if (!value || !/^(region|host|link):.+$/.test(value))
                throw new UsageError(`--fail takes region:NAME, host:NAME or link:NAME, not '${value ?? ''}'`);
            options.failures.push(value);
        } else if (arg === '--exit-zero') {
            options.exitZero = true;
        } else if (arg.startsWith('-')) {
            throw new UsageError(`unknown option '${arg}'`);
        } else {
            options.paths.push(arg);
        }
    }
    if (options.paths.length === 0) throw new UsageError('check needs at least one file or folder');
    if (options.failures.length > 0 && options.format === 'sarif')
        throw new UsageError('--fail does not combine with --format sarif');
    return options;
}

async function check(options: CheckOptions): Promise<number> {
    const files = await findHatopoFiles(options.paths);
    if (files.length === 0) throw new InputError(`no .hatopo files in ${options.paths.join(', ')}`);
    const { services, documents } = await loadTopology(files);
    const problems = collectProblems(documents);
    const whatIfs = options.failures.length > 0 ? runWhatIf(topologies(services, documents), options.failures) : [];
    let output: string;
    if (options.format === 'sarif') output = formatSarif(problems, version);
    else if (options.format === 'json')
        output =
            whatIfs.length > 0 ? JSON.stringify({ problems, whatIf: whatIfs }, null, 2) + '\n' : formatJson(problems);
    else
        output =
            formatText(problems, documents.length) +
            whatIfs.map(entry => formatWhatIf(entry.result, entry.topology)).join('');
    process.stdout.write(output);
    const errors = problems.some(problem => problem.severity === 'error');
    return errors && !options.exitZero ? 1 : 0;
}

async function exportCommand(args: readonly string[]): Promise<number> {
    const files = args.filter((arg, i) => !arg.startsWith('-') && args[i - 1] !== '--out');
    const outIndex = args.indexOf('--out');
    const out = outIndex >= 0 ? args[outIndex + 1] : undefined;
    const unknown = args.find(arg => arg.startsWith('-') && arg !== '--out' && arg !== '--force');
    if (unknown) throw new UsageError(`unknown option '${unknown}'`);
    if (files.length !== 1 || !out) throw new UsageError('export takes one .hatopo file and --out DIR');
    const { services, documents } = await loadTopology(await findHatopoFiles(files));
    const errors = collectProblems(documents).filter(
        problem =>
            problem.severity === 'error' && (problem.rule === 'syntax-error' || problem.rule === 'unresolved-reference')
    );
    if (errors.length > 0)
        throw new InputError(
            `${errors[0].file}:${errors[0].line}:${errors[0].column}: ${errors.length} syntax or reference errors: fix them before exporting`
        );
    const [topology] = topologies(services, documents.slice(0, 1));
    const result = await writeExport(out, exportAll(topology.model), { force: args.includes('--force') });
    process.stdout.write(
        `hatopo: ${result.written.length} files written, ${result.unchanged.length} unchanged in ${out}\n`
    );
    return 0;
}

interface RenderOptions {
    file: string;
    out: string;
    expanded: Set<string>;
    collapseAbove: number;
}

function parseRenderArguments(args: readonly string[]): RenderOptions {
    const files: string[] = [];
    let out: string | undefined;
    const expanded = new Set<string>();
    let collapseAbove = 40;
    for (let i = 0; i < args.length; i++) {
        const arg = args[i];
        if (arg === '--out') out = args[++i];
        else if (arg === '--expand') expanded.add(args[++i] ?? '');
        else if (arg === '--collapse-above') {
            collapseAbove = Number(args[++i]);
            if (!Number.isInteger(collapseAbove) || collapseAbove < 0)
                throw new UsageError('--collapse-above takes a whole number');
        } else if (arg.startsWith('-')) throw new UsageError(`unknown option '${arg}'`);
        else files.push(arg);
    }
    if (files.length !== 1) throw new UsageError('render takes exactly one .hatopo file');
    if (!out || !/\.(svg|png)$/i.test(out)) throw new UsageError('render needs --out FILE.svg or --out FILE.png');
    return { file: files[0], out, expanded, collapseAbove };
}

async function render(options: RenderOptions): Promise<number> {
    const files = await findHatopoFiles([options.file]);
    const { services, documents } = await loadTopology(files);
    const [topology] = topologies(services, documents.slice(0, 1));
    const svg = renderSvg(
        await layoutDiagram(
            diagramOf(topology.model, analyse(topology.model), {
                collapseAbove: options.collapseAbove,
                expanded: options.expanded
            })
        )
    );
    const content = /\.png$/i.test(options.out) ? await toPng(svg) : svg;
    await writeFile(options.out, content).catch((error: Error) => {
        throw new InputError(`${options.out}: ${error.message}`);
    });
    const syntaxErrors = collectProblems(documents).filter(problem => problem.rule === 'syntax-error').length;
    process.stderr.write(
        `hatopo: wrote ${options.out}${syntaxErrors ? ` (the file has ${syntaxErrors} syntax errors: what parsed is drawn)` : ''}\n`
    );
    return 0;
}

/** PNG from the same SVG, by resvg (its binary ships in its npm package). */
async function toPng(svg: string): Promise<Buffer> {
    const { Resvg } = await import('@resvg/resvg-js');
    return Buffer.from(
        new Resvg(svg, { background: 'white', font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans Mono' } })
            .render()
            .asPng()
    );
}

/** Applies the failures to every checked topology that has all the named elements. */
function runWhatIf(
    models: ReturnType<typeof topologies>,
    failures: string[]
): Array<{ topology: string; result: WhatIfResult }> {
    const results: Array<{ topology: string; result: WhatIfResult }> = [];
    let firstError: string | undefined;
    for (const { name, model } of models) {
        try {
            results.push({ topology: name, result: whatIf(model, failures) });
        } catch (error) {
            if (!(error instanceof UnknownFailureError)) throw error;
            firstError ??= error.message;
        }
    }
    if (results.length === 0) throw new InputError(`--fail ${failures.join(' ')}: ${firstError} in the checked files`);
    return results;
}

export async function main(argv: readonly string[]): Promise<number> {
    const [command, ...rest] = argv;
    try {
        if (command === '--version') {
            process.stdout.write(`${version}\n`);
            return 0;
        }
        if (command === undefined || command === '--help' || command === 'help') {
            process.stdout.write(USAGE + '\n');
            return command ? 0 : 2;
        }
        if (command === 'check') return await check(parseCheckArguments(rest));
        if (command === 'render') return await render(parseRenderArguments(rest));
        if (command === 'export') return await exportCommand(rest);
        if (command === 'lab') return await (await import('../lab/command.js')).labCommand(rest);
        throw new UsageError(`unknown command '${command}'`);
    } catch (error) {
        if (error instanceof UsageError) {
            process.stderr.write(`hatopo: ${error.message}\n${USAGE}\n`);
            return 2;
        }
        if (error instanceof InputError || error instanceof ExportError) {
            process.stderr.write(`hatopo: ${error.message}\n`);
            return 2;
        }
        process.stderr.write(`hatopo: internal error: ${(error as Error).message ?? String(error)}\n`);
        return 2;
    }
}

main(process.argv.slice(2)).then(code => {
    process.exitCode = code;
});
