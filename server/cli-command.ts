// What a `hatopo` subcommand is: a declarative option table (node:util parseArgs underneath), the
// operands it takes, and its help text, all generated from the one table so help and parsing agree.

import { parseArgs } from 'node:util';

/** A mistake on the command line: one line on stderr, a usage hint, exit 2. */
export class UsageError extends Error {}

/** A problem with the command's input itself (a missing path, a FIFO, a huge file): one line, exit 2. */
export class InputError extends Error {}

export interface CliOption {
    type: 'string' | 'boolean';
    /** Repeatable (`--fail A --fail B`): the value is an array. */
    multiple?: boolean;
    /** The placeholder in help, e.g. `DIR` or `N`; the choices when there are some. */
    value?: string;
    choices?: readonly string[];
    default?: string;
    /** The command cannot run without it; usage shows it without brackets. */
    required?: boolean;
    help: string;
}

export type CliOptions = Record<string, CliOption>;

/** Parsed values: a string (or string[] when `multiple`) per string option, a boolean per flag. */
export type CliValues<O extends CliOptions> = {
    [K in keyof O]: O[K]['type'] extends 'boolean'
        ? boolean
        : O[K]['multiple'] extends true
          ? string[]
          : O[K]['default'] extends string
            ? string
            : O[K]['required'] extends true
              ? string
              : string | undefined;
};

export interface CliCommand<O extends CliOptions = CliOptions> {
    name: string;
    /** One line, for `hatopo --help`. */
    summary: string;
    /** The operands as help shows them (`FILE|DIR...`), how many are allowed, and what to say otherwise. */
    operands: { name: string; min: number; max: number; error: string };
    options: O;
    /** More lines for `hatopo COMMAND --help`. */
    details?: string;
    run(values: CliValues<O>, operands: string[]): Promise<number>;
}

/** Declares a command with its option table typed, so `run` sees exactly the options declared. */
export function defineCommand<const O extends CliOptions>(command: CliCommand<O>): CliCommand {
    return command as unknown as CliCommand;
}

function synopsis(name: string, option: CliOption): string {
    return `--${name}${option.type === 'string' ? ` ${option.choices ? option.choices.join('|') : option.value}` : ''}`;
}

export function usageLine(command: CliCommand): string {
    const options = Object.entries(command.options).map(([name, option]) =>
        option.required ? synopsis(name, option) : `[${synopsis(name, option)}]${option.multiple ? '...' : ''}`
    );
    return `usage: hatopo ${command.name} ${command.operands.name} ${options.join(' ')}`.trimEnd();
}

export function commandHelp(command: CliCommand): string {
    const rows = Object.entries(command.options).map(([name, option]) => {
        const [first, ...rest] = option.help.split('\n');
        const note = [option.required && 'required', option.multiple && 'repeatable'].filter(Boolean).join(', ');
        return [synopsis(name, option), [`${first}${note ? ` (${note})` : ''}`, ...rest].join('\n')];
    });
    rows.push(['-h, --help', 'print this help']);
    const width = Math.max(...rows.map(([left]) => left.length)) + 2;
    const indent = ' '.repeat(width + 2);
    const table = rows.map(([left, right]) => `  ${left.padEnd(width)}${right.replace(/\n/g, `\n${indent}`)}`);
    return [usageLine(command), '', command.summary, ...(command.details ? [command.details] : []), '', ...table].join(
        '\n'
    );
}

/** True when the arguments ask for help (before a `--` that ends the options). */
export function wantsHelp(args: readonly string[]): boolean {
    const end = args.indexOf('--');
    return (end < 0 ? args : args.slice(0, end)).some(arg => arg === '--help' || arg === '-h');
}

/** Parses a command's arguments by its table; every mistake becomes one UsageError line. */
export function parseCommand(
    command: CliCommand,
    args: readonly string[]
): { values: CliValues<CliOptions>; operands: string[] } {
    let parsed: ReturnType<typeof parseArgs>;
    try {
        parsed = parseArgs({
            args: [...args],
            options: Object.fromEntries(
                Object.entries(command.options).map(([name, option]) => [
                    name,
                    {
                        type: option.type,
                        multiple: option.multiple ?? false,
                        ...(option.default !== undefined ? { default: option.default } : {})
                    }
                ])
            ),
            allowPositionals: true,
            strict: true
        });
    } catch (error) {
        throw new UsageError(parseArgsMessage(error as Error));
    }
    const values = parsed.values as Record<string, string | boolean | string[] | undefined>;
    for (const [name, option] of Object.entries(command.options)) {
        if (option.multiple) values[name] ??= [];
        if (option.required && values[name] === undefined)
            throw new UsageError(`${command.name} needs ${synopsis(name, option)}`);
        if (!option.choices) continue;
        for (const value of [values[name]].flat())
            if (typeof value === 'string' && !option.choices.includes(value))
                throw new UsageError(`--${name} takes ${listOf(option.choices)}, not '${value}'`);
    }
    const operands = parsed.positionals;
    const { min, max, error } = command.operands;
    if (operands.length < min || operands.length > max) throw new UsageError(error);
    return { values: values as CliValues<CliOptions>, operands };
}

/** parseArgs' messages are long and name no command; say the same in one short line. */
function parseArgsMessage(error: Error): string {
    const code = (error as NodeJS.ErrnoException).code;
    const option = /'(-[^' ]*)/.exec(error.message)?.[1] ?? '';
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return `unknown option '${option}'`;
    if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE')
        return /does not take an argument/.test(error.message) ? `${option} takes no value` : `${option} needs a value`;
    return error.message.split('\n')[0];
}

export function listOf(items: readonly string[]): string {
    return items.length < 2 ? items.join('') : `${items.slice(0, -1).join(', ')} or ${items.at(-1)}`;
}
