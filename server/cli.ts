// The `hatopo` command: the same engine as the language server, for CI and the shell.
//   hatopo check|render|export … (hatopo --help, hatopo COMMAND --help)
// Exit 0: success; 1: errors found (check); 2: usage or I/O error (one line on stderr, never a stack).

import { checkCommand } from './cli-check.js';
import { commandHelp, parseCommand, usageLine, UsageError, wantsHelp, type CliCommand } from './cli-command.js';
import { exportCommand } from './cli-export.js';
import { renderCommand } from './cli-render.js';
import { ExportError } from './export-writer.js';
import { InputError } from './load-topology.js';
import { safeText } from './report.js';
import { version } from './version.js';

/**
 * The subcommands, in help order. A command with heavy modules is loaded only when run or asked
 * for help: `lab: () => import('./cli-lab.js').then(module => module.labCommand)`.
 */
const COMMANDS: Record<string, () => Promise<CliCommand>> = {
    check: async () => checkCommand,
    render: async () => renderCommand,
    export: async () => exportCommand,
    // Loaded only when asked for: the lab's starters and observers stay out of check's start-up.
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
