// The `hatopo` command: the same engine as the language server, for CI and the shell.
//   hatopo check|render|export … (hatopo --help, hatopo COMMAND --help)
// Exit 0: success; 1: errors found (check); 2: usage or I/O error (one line on stderr, never a stack).

import {
    commandHelp,
    InputError,
    parseCommand,
    usageLine,
    UsageError,
    wantsHelp,
    type CliCommand
} from './cli-command.js';
import { ExportError } from './export-writer.js';
import { safeText } from './report.js';
import { version } from './version.js';

/**
 * The subcommands, in help order. Each is loaded only when run or asked for help, so a command
 * starts only what it needs: `--version` no engine, `check` no layout (ELK is a file of its own,
 * out/elk.cjs, read by render alone), no exporters and no lab.
 */
const COMMANDS: Record<string, () => Promise<CliCommand>> = {
    check: async () => (await import('./cli-check.js')).checkCommand,
    render: async () => (await import('./cli-render.js')).renderCommand,
    export: async () => (await import('./cli-export.js')).exportCommand,
    lab: async () => (await import('../lab/command.js')).labCommand
};

const names = () => Object.keys(COMMANDS).join('|');

async function help(): Promise<string> {
    const commands = await Promise.all(Object.values(COMMANDS).map(load => load()));
    const width = Math.max(...commands.map(command => command.name.length)) + 2;
    return [
        `usage: hatopo ${names()} [options]`,
        '',
        ...commands.map(command => `  ${command.name.padEnd(width)}${command.summary.split('\n')[0]}`),
        '',
        ...commands.map(usageLine),
        '',
        'hatopo COMMAND --help   the options of a command',
        'hatopo --version        print the version'
    ].join('\n');
}

export async function main(argv: readonly string[]): Promise<number> {
    const [name, ...args] = argv;
    let command: CliCommand | undefined;
    try {
        if (name === '--version' || name === '-v') {
            process.stdout.write(`${version}\n`);
            return 0;
        }
        if (name === '--help' || name === '-h' || name === 'help') {
            const about = args[0] && Object.hasOwn(COMMANDS, args[0]) ? await COMMANDS[args[0]]() : undefined;
            process.stdout.write((about ? commandHelp(about) : await help()) + '\n');
            return 0;
        }
        if (name === undefined) throw new UsageError('no command given');
        if (!Object.hasOwn(COMMANDS, name)) throw new UsageError(`unknown command '${name}'`);
        command = await COMMANDS[name]();
        if (wantsHelp(args)) {
            process.stdout.write(commandHelp(command) + '\n');
            return 0;
        }
        const { values, operands } = parseCommand(command, args);
        return await command.run(values, operands);
    } catch (error) {
        if (error instanceof UsageError) {
            const hint = command
                ? `${usageLine(command)} (more: hatopo ${command.name} --help)`
                : `usage: hatopo ${names()} [options] (more: hatopo --help)`;
            process.stderr.write(`hatopo: ${safeText(error.message)}\n${hint}\n`);
            return 2;
        }
        if (error instanceof InputError || error instanceof ExportError) {
            process.stderr.write(`hatopo: ${safeText(error.message)}\n`);
            return 2;
        }
        process.stderr.write(`hatopo: internal error: ${safeText((error as Error).message ?? String(error))}\n`);
        return 2;
    }
}

main(process.argv.slice(2)).then(code => {
    process.exitCode = code;
});
