// The language reference (docs/language.md) as data: keyword → its markdown, for completion
// items and hovers. The page's convention: a `##` heading is a statement, a `###` heading under it
// a keyword of that statement; the words in backticks in a heading are the keywords it documents.

import LANGUAGE_MD from '../docs/language.md';

export interface KeywordDoc {
    /** The keywords the entry documents (`sst`, `rsync`, `mariabackup` … share one entry). */
    keywords: string[];
    /** The statement the entry is under (`galera`), undefined for general sections (Punctuation). */
    statement?: string;
    /** The entry's text without its heading: a one-line meaning, units, defaults, examples. */
    markdown: string;
}

export interface LanguageDocs {
    entries: readonly KeywordDoc[];
    /** Every keyword with an entry. */
    keywords: ReadonlySet<string>;
    /**
     * The markdown for a keyword, as written under `statement` when it is given and documented
     * there (`members` in `galera` differs from `members` in `hsm`), else the keyword's own
     * statement section, else its first entry.
     */
    lookup(keyword: string, statement?: string): string | undefined;
}

export function parseLanguageDocs(markdown: string): LanguageDocs {
    const entries: KeywordDoc[] = [];
    let statement: string | undefined;
    let current: { keywords: string[]; statement?: string; lines: string[] } | undefined;
    let fenced = false;
    const close = () => {
        if (current)
            entries.push({
                keywords: current.keywords,
                statement: current.statement,
                markdown: current.lines.join('\n').trim()
            });
        current = undefined;
    };
    for (const line of markdown.split(/\r?\n/)) {
        if (line.startsWith('```')) fenced = !fenced;
        const heading = fenced ? undefined : /^(#{2,3}) (.*)$/.exec(line);
        if (!heading) {
            current?.lines.push(line);
            continue;
        }
        close();
        const keywords = [...heading[2].matchAll(/`([^`]+)`/g)].map(match => match[1]);
        if (heading[1] === '##') statement = keywords[0];
        if (keywords.length > 0)
            current = { keywords, statement: heading[1] === '##' ? keywords[0] : statement, lines: [] };
    }
    close();
    const keywords = new Set(entries.flatMap(entry => entry.keywords));
    return {
        entries,
        keywords,
        lookup(keyword, context) {
            const own = entries.filter(entry => entry.keywords.includes(keyword));
            const pick =
                own.find(entry => context !== undefined && entry.statement === context) ??
                own.find(entry => entry.statement === keyword) ??
                own[0];
            return pick?.markdown;
        }
    };
}

let bundled: LanguageDocs | undefined;

/** The reference shipped with hatopo (docs/language.md, bundled as text). */
export function languageDocs(): LanguageDocs {
    bundled ??= parseLanguageDocs(LANGUAGE_MD);
    return bundled;
}

/** The statement keyword each AST type's keywords are documented under. */
export const STATEMENT_OF_TYPE: Readonly<Record<string, string>> = {
    Import: 'import',
    Topology: 'topology',
    Target: 'topology',
    Region: 'region',
    Zone: 'zone',
    Host: 'host',
    Galera: 'galera',
    GaleraMember: 'galera',
    Option: 'galera',
    RabbitMQ: 'rabbitmq',
    Memcached: 'memcached',
    Vip: 'vip',
    VipMember: 'vip',
    HAProxy: 'haproxy',
    Timeout: 'haproxy',
    Frontend: 'haproxy',
    Backend: 'haproxy',
    BackendServer: 'haproxy',
    Service: 'service',
    Token: 'service',
    Hop: 'service',
    HopSetting: 'service',
    HsmGroup: 'hsm',
    HsmMember: 'hsm',
    Link: 'link',
    Firewall: 'firewall',
    Rule: 'link',
    PortRange: 'link',
    Dns: 'dns',
    Pacemaker: 'pacemaker',
    Environment: 'environment',
    Management: 'manage',
    RegionOverride: 'environment',
    HostOverride: 'environment',
    VipOverride: 'environment',
    HsmOverride: 'environment',
    MemcachedOverride: 'environment',
    HAProxyOverride: 'environment'
};
