// What a string written in a .hatopo file may contain, by the config file it ends up in. A value the
// target would read differently (a line break that starts a new directive, a `#` that starts a
// comment, a quote that ends a quoted value) is refused where it is written, so the exported files
// never contain a line the model did not produce. Each check returns why a value is refused.

/** An HTTP health check for haproxy's `option httpchk`: `/path` or `METHOD /path`. */
export function httpCheckProblem(text: string): string | undefined {
    const match = /^(?:(GET|HEAD|OPTIONS) )?(\/[A-Za-z0-9\-._~%/?&=+:@,]*)$/.exec(text);
    if (match) return undefined;
    return `health check "${shown(text)}" is not an HTTP path: write "/path" or "GET /path" (letters, digits and -._~%/?&=+:@, only; haproxy reads spaces, quotes, # and \\ itself)`;
}

/** A file path haproxy reads (a TLS certificate). */
export function filePathProblem(text: string): string | undefined {
    if (/^\/[A-Za-z0-9._\-/]+$/.test(text) && !text.endsWith('/')) return undefined;
    return `certificate "${shown(text)}" is not an absolute file path of letters, digits and ._-/`;
}

/** A server variable in galera.cnf (`name = value`): MariaDB reads `#` as a comment and `\` as an escape. */
export function cnfValueProblem(name: string, text: string): string | undefined {
    if (/^[A-Za-z0-9_.,:/@+=\- ]*$/.test(text) && text === text.trim()) return undefined;
    return `option ${name} = "${shown(text)}": a galera.cnf value may hold letters, digits, spaces and _.,:/@+=- only (MariaDB reads quotes, # and \\ itself)`;
}

/** A Galera provider option value inside `wsrep_provider_options = "a=b;c=d"`. */
export function providerValueProblem(name: string, text: string): string | undefined {
    if (/^[A-Za-z0-9_.,:/@+-]*$/.test(text)) return undefined;
    return `option ${name} = "${shown(text)}": a Galera provider option value may hold letters, digits and _.,:/@+- only (it is written inside wsrep_provider_options, where ; = and quotes separate options)`;
}

/** A value in rabbitmq.conf: the rest of the line, where `#` starts a comment. */
export function rabbitValueProblem(name: string, text: string): string | undefined {
    if (/^[\x21-\x7e]([\x20-\x7e]*[\x21-\x7e])?$/.test(text) && !text.includes('#')) return undefined;
    return `option ${name} = "${shown(text)}": a rabbitmq.conf value is the rest of its line, so it may not be empty, hold a line break, a # (a comment) or characters outside printable ASCII`;
}

/** The value as it can be shown in one line of a message. */
function shown(text: string): string {
    const escaped = JSON.stringify(text).slice(1, -1);
    return escaped.length > 60 ? `${escaped.slice(0, 57)}…` : escaped;
}
