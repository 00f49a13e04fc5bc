// How long the editor's per-keystroke requests take on a big estate (issue 14): semantic tokens,
// inlay hints for a screenful, completion in a member list, and the code lens, hover, outline and
// quick fixes, each timed cold (the first request after an edit, figures not yet computed) and warm.
// A script, not a test: speed goals belong in the bench, never in timed unit tests.
//   npx esbuild bench/editor.ts --bundle --platform=node --format=cjs --outfile=bench/out/editor.cjs \
//     --external:@resvg/resvg-js && node_modules/.bin/node bench/out/editor.cjs [hosts]

import { performance } from 'node:perf_hooks';
import type { LangiumDocument } from 'langium';
import { DefaultCompletionProvider } from 'langium/lsp';
import type { CodeActionParams } from 'vscode-languageserver-protocol';
import { generate } from './generate.js';
import { timeBuild } from './measure.js';

async function time<T>(name: string, run: () => Promise<T> | T, describe: (result: T) => string): Promise<T> {
    const start = performance.now();
    const result = await run();
    console.log(`${name.padEnd(44)} ${(performance.now() - start).toFixed(1).padStart(8)} ms  ${describe(result)}`);
    return result;
}

async function main(): Promise<void> {
    const hosts = Number(process.argv[2] ?? 5000);
    const generated = generate({ hosts, seed: 7 });
    // The user is typing the next Galera member (`members r01-db1, r01-db2, |`), and the first link
    // lacks IST (4568) from one region's data nodes: a port-unreachable finding with a quick fix.
    const files = [
        {
            ...generated[0],
            text: generated[0].text
                .replace(/(\ngalera [^\n]*\n\s*members [^\n]*)/, '$1, ')
                .replace(/(\nlink [^\n]*\n(?:[^\n]*\n)*?\s*allow tcp 4444, 4567), 4568( from \S+-svc)/, '$1$2')
        }
    ];
    const text = files[0].text;
    console.log(`${hosts} hosts, ${text.split('\n').length} lines, ${(text.length / 1024).toFixed(0)} KiB`);
    const built = await time(
        'build with validation (the model cached)',
        () => timeBuild(files, true),
        () => ''
    );
    const { services } = built;
    const document: LangiumDocument = built.documents[0];
    const uri = document.uri.toString();
    const lsp = services.lsp;
    const lines = text.split('\n');
    const members = lines.findIndex(
        line => /^\s*members /.test(line) && lines.slice(0, lines.indexOf(line)).some(l => l.startsWith('galera'))
    );
    const galera = lines.findIndex(line => line.startsWith('galera'));
    const service = lines.findIndex(line => line.startsWith('service'));
    const screen = { start: { line: service, character: 0 }, end: { line: service + 60, character: 0 } };
    for (const round of ['cold', 'warm']) {
        if (round === 'cold') {
            // A fresh workspace state, as after a keystroke: every per-change cache is empty.
            await services.shared.workspace.DocumentBuilder.build([document], { validation: true });
        }
        await time(
            `${round}: semantic tokens (whole file)`,
            () => lsp.SemanticTokenProvider!.semanticHighlight(document, { textDocument: { uri } }),
            r => `${r.data.length / 5} tokens`
        );
        await time(
            `${round}: semantic tokens (60 lines)`,
            () => lsp.SemanticTokenProvider!.semanticHighlightRange(document, { textDocument: { uri }, range: screen }),
            r => `${r.data.length / 5} tokens`
        );
        await time(
            `${round}: inlay hints (60 lines of services)`,
            () => lsp.InlayHintProvider!.getInlayHints(document, { textDocument: { uri }, range: screen }),
            r => `${r?.length ?? 0} hints`
        );
        await time(
            `${round}: inlay hints (whole file)`,
            () =>
                lsp.InlayHintProvider!.getInlayHints(document, {
                    textDocument: { uri },
                    range: { start: { line: 0, character: 0 }, end: { line: lines.length, character: 0 } }
                }),
            r => `${r?.length ?? 0} hints`
        );
        if (members >= 0)
            await time(
                `${round}: completion after members …, `,
                () =>
                    lsp.CompletionProvider!.getCompletion(document, {
                        textDocument: { uri },
                        position: { line: members, character: lines[members].length }
                    }),
                r => `${r?.items.length ?? 0} items`
            );
        if (members >= 0 && round === 'warm')
            await time(
                `Langium's default completion, same place`,
                () =>
                    new DefaultCompletionProvider(services).getCompletion(document, {
                        textDocument: { uri },
                        position: { line: members, character: lines[members].length }
                    }),
                r => `${r?.items.length ?? 0} items`
            );
        await time(
            `${round}: code lenses`,
            () => lsp.CodeLensProvider!.provideCodeLens(document, { textDocument: { uri } }),
            r => `${r?.length ?? 0} lenses`
        );
        await time(
            `${round}: outline`,
            () => lsp.DocumentSymbolProvider!.getSymbols(document, { textDocument: { uri } }),
            r => `${r?.length ?? 0} top-level symbols`
        );
        await time(
            `${round}: hover on the galera cluster`,
            () =>
                lsp.HoverProvider!.getHoverContent(document, {
                    textDocument: { uri },
                    position: { line: galera, character: 8 }
                }),
            r => `${((r?.contents as { value?: string })?.value ?? '').length} chars`
        );
    }
    const diagnostic = (document.diagnostics ?? []).find(d => d.code === 'port-unreachable');
    if (diagnostic) {
        const params: CodeActionParams = {
            textDocument: { uri },
            range: diagnostic.range,
            context: { diagnostics: [diagnostic] }
        };
        await time(
            `quick fixes for ${String(diagnostic.code)} (checked, cold)`,
            () => lsp.CodeActionProvider!.getCodeActions(document, params),
            r => `${r?.length ?? 0} offered`
        );
        await time(
            `quick fixes for ${String(diagnostic.code)} (checked, warm)`,
            () => lsp.CodeActionProvider!.getCodeActions(document, params),
            r => `${r?.length ?? 0} offered`
        );
    } else console.log('no diagnostics: no quick fix to time');
}

void main();
