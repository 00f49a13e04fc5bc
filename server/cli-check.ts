// `hatopo check`: the diagnostics of .hatopo files as text, JSON or SARIF, and what-if failures.

import { formatWhatIf, UnknownFailureError, whatIf, type WhatIfResult } from '../language/analysis/what-if.js';
import { FAILURE_FORMAT, parseFailure } from '../protocol/failure.js';
import { defineCommand, UsageError } from './cli-command.js';
import { findHatopoFiles, InputError, loadTopology, topologies } from './load-topology.js';
import { collectProblems, formatJson, formatSarif, formatText, safeText } from './report.js';
import { version } from './version.js';

export const checkCommand = defineCommand({
    name: 'check',
    summary: 'Check .hatopo files: folders are searched for *.hatopo recursively, imports are followed.',
    details: 'Exit 0: no errors (warnings allowed); 1: errors found; 2: usage or I/O error (one line on stderr).',
    operands: { name: 'FILE|DIR...', min: 1, max: Infinity, error: 'check needs at least one file or folder' },
    options: {
        format: {
            type: 'string',
            choices: ['text', 'json', 'sarif'],
            default: 'text',
            help: 'text: file:line:col severity rule message (default); json; sarif (SARIF 2.1.0)'
        },
        'exit-zero': { type: 'boolean', help: 'exit 0 even when errors are found (usage and I/O errors still exit 2)' },
        fail: {
            type: 'string',
            multiple: true,
            value: 'KIND:NAME',
            help:
                'what if region:NAME, host:NAME or link:NAME fails, all together\n' +
                '(clusters that lose Primary, services down, flows cut);\n' +
                'with --format json the output is {"problems": [...], "whatIf": [...]}'
        }
    },
    async run(options, paths) {
        for (const failure of options.fail)
            if (!parseFailure(failure)) throw new UsageError(`--fail takes ${FAILURE_FORMAT}, not '${failure}'`);
        if (options.fail.length > 0 && options.format === 'sarif')
            throw new UsageError('--fail does not combine with --format sarif');
        const files = await findHatopoFiles(paths);
        if (files.length === 0) throw new InputError(`no .hatopo files in ${paths.join(', ')}`);
        const { services, documents } = await loadTopology(files);
        const problems = collectProblems(documents);
        const whatIfs = options.fail.length > 0 ? runWhatIf(topologies(services, documents), options.fail) : [];
        let output: string;
        if (options.format === 'sarif') output = formatSarif(problems, version);
        else if (options.format === 'json')
            output =
                whatIfs.length > 0
                    ? JSON.stringify({ problems, whatIf: whatIfs }, null, 2) + '\n'
                    : formatJson(problems);
        else
            output =
                formatText(problems, documents.length) +
                whatIfs.map(entry => formatWhatIf(entry.result, safeText(entry.topology))).join('');
        process.stdout.write(output);
        const errors = problems.some(problem => problem.severity === 'error');
        return errors && !options['exit-zero'] ? 1 : 0;
    }
});

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
