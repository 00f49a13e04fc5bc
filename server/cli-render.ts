// `hatopo render`: the topology's drawing as SVG or PNG, the same drawing as the VS Code preview.

import { writeFile } from 'node:fs/promises';
import { diagramOf } from '../language/diagram/diagram-model.js';
import { layoutDiagram } from '../language/diagram/layout.js';
import { renderSvg } from '../language/diagram/svg.js';
import { defineCommand, UsageError } from './cli-command.js';
import { findHatopoFiles, InputError, loadTopology } from './load-topology.js';
import { collectProblems } from './report.js';

export const renderCommand = defineCommand({
    name: 'render',
    summary: 'Draw the topology (the same drawing as the VS Code preview) as SVG or PNG.',
    details: 'Regions with more than N hosts are drawn as a summary box unless --expand names them.',
    operands: { name: 'FILE', min: 1, max: 1, error: 'render takes exactly one .hatopo file' },
    options: {
        out: {
            type: 'string',
            value: 'DIAGRAM.svg|DIAGRAM.png',
            required: true,
            help: 'where to write; the extension picks the format'
        },
        expand: { type: 'string', multiple: true, value: 'REGION', help: 'draw this region in full however big' },
        'collapse-above': {
            type: 'string',
            value: 'N',
            default: '40',
            help: 'draw regions with more than N hosts as a summary (default 40)'
        }
    },
    async run(options, [file]) {
        const out = options.out;
        if (!/\.(svg|png)$/i.test(out)) throw new UsageError('render needs --out FILE.svg or --out FILE.png');
        const collapseAbove = Number(options['collapse-above']);
        if (!/^\d+$/.test(options['collapse-above']) || !Number.isSafeInteger(collapseAbove))
            throw new UsageError('--collapse-above takes a whole number');
        const { services, documents } = await loadTopology(await findHatopoFiles([file]));
        // The findings the user sees: after hatopo.json and hatopo-ignore, as in the editor.
        const { model } = services.analysis.ModelCache.get(documents[0]);
        const findings = services.analysis.ModelCache.visibleFindings(documents[0]);
        const svg = renderSvg(
            await layoutDiagram(
                diagramOf(model, findings, {
                    collapseAbove,
                    expanded: new Set(options.expand)
                })
            )
        );
        const content = /\.png$/i.test(out) ? await toPng(svg) : svg;
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
