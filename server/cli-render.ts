// `hatopo render`: the topology's drawing as SVG, PNG or the laid-out diagram as JSON, the same
// drawing as the VS Code preview, in one of its views and with a what-if overlaid.

import { writeFile } from 'node:fs/promises';
import { UnknownFailureError, whatIf, type WhatIfResult } from '../language/analysis/what-if.js';
import { diagramJson } from '../language/diagram/diagram-json.js';
import { DEFAULT_COLLAPSE_ABOVE, diagramOf, VIEWS } from '../language/diagram/diagram-model.js';
import { layoutDiagram } from '../language/diagram/layout.js';
import { renderSvg } from '../language/diagram/svg.js';
import { FAILURE_FORMAT, parseFailure } from '../protocol/failure.js';
import { defineCommand, UsageError } from './cli-command.js';
import { findHatopoFiles, InputError, loadTopology } from './load-topology.js';
import { collectProblems } from './report.js';

const FORMATS = ['svg', 'png', 'json'] as const;
type Format = (typeof FORMATS)[number];

export const renderCommand = defineCommand({
    name: 'render',
    summary: 'Draw the topology (the same drawing as the VS Code preview) as SVG, PNG or laid-out JSON.',
    details:
        'Without --out the drawing goes to stdout (SVG or JSON). Regions with more than N hosts are drawn as a\n' +
        'summary box unless --expand names them. JSON: {view, elements: [{id, kind, name, label, x, y, width,\n' +
        'height, parent?, findings, lost?}], edges: [{id, kind, source, target, label, blocked?, cut?}]}.',
    operands: { name: 'FILE', min: 1, max: 1, error: 'render takes exactly one .hatopo file' },
    options: {
        out: {
            type: 'string',
            value: 'DIAGRAM.svg|DIAGRAM.png|DIAGRAM.json',
            help: 'where to write; the extension picks the format (default: stdout)'
        },
        format: { type: 'string', value: 'FORMAT', choices: FORMATS, help: 'svg (default), png or json' },
        view: {
            type: 'string',
            value: 'VIEW',
            choices: VIEWS,
            default: 'architecture',
            help: 'architecture (the request path and clusters), network (zones, links, firewalls) or hosts'
        },
        fail: {
            type: 'string',
            multiple: true,
            value: 'KIND:NAME',
            help: 'draw what if region:NAME, host:NAME or link:NAME fails: lost elements, cut flows'
        },
        expand: { type: 'string', multiple: true, value: 'REGION', help: 'draw this region in full however big' },
        'collapse-above': {
            type: 'string',
            value: 'N',
            default: String(DEFAULT_COLLAPSE_ABOVE),
            help: `draw regions with more than N hosts as a summary (default ${DEFAULT_COLLAPSE_ABOVE})`
        }
    },
    async run(options, [file]) {
        const out = options.out;
        const fromName = out?.match(/\.(svg|png|json)$/i)?.[1].toLowerCase() as Format | undefined;
        if (out && !fromName) throw new UsageError('render --out takes a .svg, .png or .json file');
        const format = options.format as Format | undefined;
        if (format !== undefined && !FORMATS.includes(format))
            throw new UsageError(`--format takes svg, png or json, not '${format}'`);
        if (format && fromName && format !== fromName)
            throw new UsageError(`--format ${format} does not match --out ${out}`);
        const chosen: Format = format ?? fromName ?? 'svg';
        if (chosen === 'png' && !out) throw new UsageError('render --format png needs --out FILE.png');
        const view = options.view as (typeof VIEWS)[number];
        if (!VIEWS.includes(view)) throw new UsageError(`--view takes ${VIEWS.join(', ')}, not '${options.view}'`);
        for (const failure of options.fail)
            if (!parseFailure(failure)) throw new UsageError(`--fail takes ${FAILURE_FORMAT}, not '${failure}'`);
        const collapseAbove = Number(options['collapse-above']);
        if (!/^\d+$/.test(options['collapse-above']) || !Number.isSafeInteger(collapseAbove))
            throw new UsageError('--collapse-above takes a whole number');

        const { services, documents } = await loadTopology(await findHatopoFiles([file]));
        // The findings the user sees: after hatopo.json and hatopo-ignore, as in the editor.
        const { model } = services.analysis.ModelCache.get(documents[0]);
        const findings = services.analysis.ModelCache.visibleFindings(documents[0]);
        let result: WhatIfResult | undefined;
        if (options.fail.length > 0) {
            try {
                result = whatIf(model, options.fail);
            } catch (error) {
                if (error instanceof UnknownFailureError)
                    throw new InputError(`--fail ${options.fail.join(' ')}: ${error.message} in ${file}`);
                throw error;
            }
        }
        const laid = await layoutDiagram(
            diagramOf(model, findings, { view, collapseAbove, expanded: new Set(options.expand), whatIf: result })
        );
        const content =
            chosen === 'json'
                ? JSON.stringify(diagramJson(laid), null, 2) + '\n'
                : chosen === 'png'
                  ? await toPng(renderSvg(laid))
                  : renderSvg(laid);
        if (!out) {
            process.stdout.write(content);
            return 0;
        }
        await writeFile(out, content).catch((error: Error) => {
            throw new InputError(`${out}: ${error.message}`);
        });
        const syntaxErrors = collectProblems(documents).filter(problem => problem.rule === 'syntax-error').length;
        process.stderr.write(
            `hatopo: wrote ${out}${syntaxErrors ? ` (the file has ${syntaxErrors} syntax errors: what parsed is drawn)` : ''}\n`
        );
        return 0;
    }
});

/** PNG from the same SVG, by resvg (its binary ships in its npm package). */
async function toPng(svg: string): Promise<Buffer> {
    const { Resvg } = await import('@resvg/resvg-js');
    return Buffer.from(
        new Resvg(svg, { background: 'white', font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans Mono' } })
            .render()
            .asPng()
    );
}
