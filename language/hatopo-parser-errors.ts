// Syntax errors in the operator's words: what the place in the file expects ("a duration such as
// 5ms, 30s, 2m"), never the parser's token names. The word before the error says what kind of
// value belongs there (`latency` takes a duration, `port` a port number).

import type { IToken, TokenType } from 'chevrotain';
import { DefaultLexerErrorMessageProvider, LangiumParserErrorMessageProvider } from 'langium';

type Options = { expected: TokenType; actual: IToken; previous: IToken; ruleName: string };
type PathOptions = { expectedPathsPerAlt: TokenType[][][]; actual: IToken[]; previous: IToken; ruleName: string };
type IterationOptions = { expectedIterationPaths: TokenType[][]; actual: IToken[]; previous: IToken; ruleName: string };

const DURATION = 'a duration such as 5ms, 30s, 2m (no space before the unit)';
const PERCENT = 'a percentage such as 99.95% (no space before the %)';
const RATE = 'a rate such as 100/s (no space before the /s)';
const SIZE = 'a size such as 8192, 8k or 512MiB (no space before the unit)';

/** What follows a keyword that takes a number with a unit. */
const QUANTITY_AFTER: Record<string, string> = {
    latency: DURATION,
    advert: DURATION,
    ttl: DURATION,
    expiration: DURATION,
    rotation: DURATION,
    allow_expired_window: DURATION,
    client: DURATION,
    server: DURATION,
    connect: DURATION,
    check: DURATION,
    availability: PERCENT,
    throughput: RATE,
    capacity: RATE,
    '(': RATE,
    memory: SIZE
};

/** What follows a keyword that takes a whole number. */
const INT_AFTER: Record<string, string> = {
    port: 'a port number such as 5000',
    vrid: 'a VRRP id from 1 to 255',
    priority: 'a VRRP priority from 1 to 254',
    weight: 'a Galera weight from 0 to 255',
    segment: 'a gmcast.segment from 0 to 255',
    threads: 'a thread count such as 4',
    max_active_keys: 'a number of Fernet keys such as 3',
    proto: 'an IP protocol number such as 112 (VRRP)',
    tcp: 'a port or a range such as 3306 or 4567-4568',
    udp: 'a port or a range such as 3306 or 4567-4568',
    ',': 'a port or a range such as 3306 or 4567-4568',
    '-': 'the last port of the range'
};

const TERMINALS: Record<string, string> = {
    QUANTITY: 'a number with its unit such as 30s, 8k, 99.95% or 100/s (no space before the unit)',
    INT: 'a whole number',
    NUMBER: 'a number such as 1.5',
    IPV4: 'an IPv4 address such as 10.1.0.5',
    CIDR: 'a subnet such as 10.1.0.0/24',
    STRING: 'a text in double quotes',
    ID: 'a name such as wlg-db1',
    EOF: 'the end of the file'
};

const PUNCTUATION: Record<string, string> = {
    '{': '`{` to open the block',
    '}': '`}` to close the block',
    '->': '`->`',
    '<->': '`<->`',
    ':': '`:` after the link name',
    '=': '`=` between the option and its value',
    ',': '`,` before the next item'
};

export class HatopoParserErrorMessageProvider extends LangiumParserErrorMessageProvider {
    override buildMismatchTokenMessage({ expected, actual, previous, ruleName }: Options): string {
        const after = previous?.image;
        const found = foundText(actual);
        // At the end of a block the parser's previous token is not reliable (it has skipped ahead).
        if (expected.name === 'EOF') return this.buildNotAllInputParsedMessage({ firstRedundant: actual, ruleName });
        if (expected.name === '}' && isWord(actual)) {
            return `${found} does not start a statement of ${block(ruleName)}: a list needs commas between its names and none after the last (\`members a, b, c\`); otherwise close the block with \`}\``;
        }
        if (expected.name === '}') {
            return `${found} does not belong in ${block(ruleName)}: write a statement of the block, or \`}\` to close it`;
        }
        const what = describe(expected, after);
        if (!after) return `${capitalise(what)} is expected here, not ${found}`;
        return isKeyword(previous)
            ? `\`${after}\` takes ${what}, not ${found}`
            : `after \`${after}\` comes ${what}, not ${found}`;
    }

    override buildNotAllInputParsedMessage({ firstRedundant }: { firstRedundant: IToken; ruleName: string }): string {
        const word = firstRedundant.image;
        if (word === 'topology') return '`topology` comes first in a file (after its imports), and only once';
        if (word === 'import') return 'imports come first in a file, before the topology and the elements';
        if (word === 'zone' || word === 'host')
            return `\`${word}\` is written inside a region: \`region NAME { ${word} … }\``;
        return `${foundText(firstRedundant)} cannot start a statement here: a file holds imports, a topology, then regions, clusters, VIPs, load balancers, services, links and firewalls`;
    }

    override buildNoViableAltMessage({ expectedPathsPerAlt, actual, previous, ruleName }: PathOptions): string {
        const firsts = expectedPathsPerAlt.flatMap(paths => paths.map(path => path[0]).filter(Boolean));
        return this.choice(firsts, actual[0], previous, ruleName);
    }

    override buildEarlyExitMessage({ expectedIterationPaths, actual, previous, ruleName }: IterationOptions): string {
        const firsts = expectedIterationPaths.map(path => path[0]).filter(Boolean);
        return this.choice(firsts, actual[0], previous, ruleName);
    }

    private choice(expected: TokenType[], actual: IToken, previous: IToken | undefined, ruleName: string): string {
        const after = previous?.image;
        // Where a name fits, every keyword does too (they are names): say "a name", not 114 words.
        const nameFits = expected.some(type => type.name === 'ID');
        const shownTypes = nameFits ? expected.filter(type => !isWordName(type.name)) : expected;
        const words = [...new Set(shownTypes.map(type => describe(type, after)))];
        const shown = words.length > 8 ? [...words.slice(0, 8), '…'] : words;
        const list = shown.length > 1 ? `${shown.slice(0, -1).join(', ')} or ${shown.at(-1)}` : shown[0];
        const where = after ? `after \`${after}\`` : `in ${block(ruleName)}`;
        return `${where} comes ${list}, not ${foundText(actual)}`;
    }
}

/** Characters the lexer cannot read: named as they are, with what the language is made of. */
export class HatopoLexerErrorMessageProvider extends DefaultLexerErrorMessageProvider {
    override buildUnexpectedCharactersMessage(fullText: string, startOffset: number, length: number): string {
        const text = fullText.substring(startOffset, startOffset + length);
        return `\`${text}\` is not part of the language: it is made of names (wlg-db1), numbers with units (30s, 8k, 99.95%, 100/s), addresses (10.1.0.5, 10.1.0.0/24), "text" and // comments`;
    }
}

function describe(type: TokenType, after: string | undefined): string {
    if (type.name === 'QUANTITY') return (after && QUANTITY_AFTER[after]) ?? TERMINALS.QUANTITY;
    if (type.name === 'INT') return (after && INT_AFTER[after]) ?? TERMINALS.INT;
    if (TERMINALS[type.name]) return TERMINALS[type.name];
    if (PUNCTUATION[type.name]) return PUNCTUATION[type.name];
    return `\`${type.name}\``;
}

function foundText(token: IToken | undefined): string {
    if (!token || token.tokenType?.name === 'EOF' || token.image === '') return 'the end of the file';
    return `\`${token.image}\``;
}

/** A keyword token (its type is named by its text), not a name, number or address. */
function isKeyword(token: IToken): boolean {
    return token.tokenType?.name === token.image;
}

function isWordName(name: string): boolean {
    return /^[A-Za-z_][\w-]*$/.test(name) && !(name in TERMINALS);
}

/** A name or a keyword (both can be names). */
function isWord(token: IToken): boolean {
    return /^[A-Za-z_][\w-]*$/.test(token.image);
}

/** `Galera` → "a galera block", `HsmGroup` → "an hsm block". */
function block(ruleName: string): string {
    // Langium marks rule names with invisible characters; only the letters name the rule.
    const name = ruleName.replace(/[^A-Za-z]/g, '');
    const word =
        (
            {
                HsmGroup: 'hsm',
                HAProxy: 'haproxy',
                RabbitMQ: 'rabbitmq',
                Document: 'the file',
                PacemakerVip: 'pacemaker vip'
            } as Record<string, string>
        )[name] ?? name.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
    if (word === 'the file') return word;
    return `${/^([aeiou]|hsm)/.test(word) ? 'an' : 'a'} ${word} block`;
}

function capitalise(text: string): string {
    return text.charAt(0).toUpperCase() + text.slice(1);
}
