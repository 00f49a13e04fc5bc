// Header budgets along each request path (DOMAIN.md §3) and Fernet key rotation (§4).

import { DEFAULTS } from '../model/defaults.js';
import { HOP_KIND_NAMES, hopKind, hopSetting } from '../model/hops.js';
import type { HAProxy, Hop, Service, Token, TopologyModel } from '../model/model.js';
import type { Finding } from './finding.js';
import { findingAt } from './finding-factory.js';
import { catalogJson, impliedCatalog, tokenSize, utf8Length, type TokenSize } from './tokens.js';

/** How a hop limits a request: one header line, or the request line and all headers together. */
export interface HopLimit {
    kind: string;
    scope: 'line' | 'headers';
    bytes: number;
    setting: string;
    modelled: boolean;
}

/** Every proxy hatopo knows, from the one catalogue (model/hops.ts). */
export const KNOWN_HOPS = HOP_KIND_NAMES;

/**
 * The request line and the other headers of an API call besides the token (Host, User-Agent,
 * Accept, Content-Type, X-OpenStack-Request-ID …). An assumption (UNSOURCED), counted only against
 * limits on the whole header block.
 */
export const OTHER_HEADERS_BYTES = 512;

/** `X-Auth-Token: <token>\r\n`. */
export function tokenHeaderLine(tokenBytes: number): number {
    return 'X-Auth-Token: '.length + tokenBytes + 2;
}

export function hopLimit(hop: Hop, haproxy: HAProxy | undefined): HopLimit | undefined {
    const known = hopKind(hop.kind);
    if (!known) return undefined;
    if (hop.kind === 'haproxy') {
        const bufsize = hop.settings.get('tune.bufsize')?.at(-1) ?? haproxy?.bufsize ?? DEFAULTS.bufsize;
        const maxrewrite = hop.settings.get('tune.maxrewrite')?.at(-1) ?? haproxy?.maxrewrite ?? DEFAULTS.maxrewrite;
        const modelled = hop.settings.has('tune.bufsize') || haproxy !== undefined;
        return {
            kind: hop.kind,
            scope: 'headers',
            bytes: bufsize - Math.min(maxrewrite, bufsize / 2),
            setting: 'tune.bufsize − tune.maxrewrite',
            modelled
        };
    }
    const { setting, scope } = known.headerLimit;
    const written = hop.settings.get(setting);
    // nginx takes "number size": the size is the last value.
    return {
        kind: hop.kind,
        scope,
        bytes: written?.at(-1) ?? hopSetting(known, setting)?.defaults?.at(-1) ?? NaN,
        setting,
        modelled: written !== undefined
    };
}

/** The haproxy that serves a service: the one with a frontend on the service's VIP. */
function haproxyOf(service: Service, model: TopologyModel): HAProxy | undefined {
    return model.haproxies.find(haproxy =>
        haproxy.frontends.some(frontend => service.frontends.includes(frontend.vip))
    );
}

/** The token a service's clients carry: its own, else the one the topology's Keystone issues. */
export function tokenInUse(service: Service, model: TopologyModel): Token | undefined {
    if (service.token) return service.token;
    const issuers = model.services.filter(other => other.token);
    return (issuers.find(other => other.serviceKind === 'keystone') ?? issuers[0])?.token;
}

export interface HopBudget {
    hop: Hop;
    index: number;
    /** Undefined for a proxy whose limit hatopo does not know. */
    limit?: HopLimit;
    /** Bytes the hop must hold: the token's header line, plus the other headers where the limit is on all of them. */
    needed: number;
    share: number;
}

export interface HeaderBudget {
    token: Token;
    size: TokenSize;
    /** `X-Auth-Token: …\r\n`. */
    line: number;
    hops: HopBudget[];
}

/** The token header of a service against every hop of its request path: what the rule reports and the hover shows. */
export function headerBudget(
    service: Service,
    model: TopologyModel,
    sizes = new Map<string, TokenSize>()
): HeaderBudget | undefined {
    const token = tokenInUse(service, model);
    if (!token || service.path.length === 0) return undefined;
    const key = `${token.format}:${token.nocatalog}`;
    const size = sizes.get(key) ?? tokenSize(token.format, model, token.nocatalog);
    sizes.set(key, size);
    const line = tokenHeaderLine(size.bytes);
    const haproxy = haproxyOf(service, model);
    const hops = service.path.map((hop, index): HopBudget => {
        const limit = hopLimit(hop, haproxy);
        const needed = limit?.scope === 'line' ? line : line + OTHER_HEADERS_BYTES;
        return { hop, index, limit, needed, share: limit ? needed / limit.bytes : 0 };
    });
    return { token, size, line, hops };
}

export function checkHeaders(model: TopologyModel): Finding[] {
    const sizes = new Map<string, TokenSize>();
    const findings: Finding[] = [];
    for (const service of model.services) {
        const budget = headerBudget(service, model, sizes);
        if (budget) findings.push(...budgetFindings(service, budget));
        findings.push(...catalogHeader(service, model));
        if (service.token) findings.push(...fernetKeys(service, service.token));
    }
    return findings;
}

function budgetFindings(service: Service, { token, size, hops }: HeaderBudget): Finding[] {
    const findings: Finding[] = [];
    for (const { hop, index, limit, needed, share } of hops) {
        if (!limit) {
            findings.push(
                findingAt(
                    'invalid-value',
                    service,
                    `unknown proxy '${hop.kind}' on the request path of '${service.name}' (known: ${KNOWN_HOPS.join(', ')}): its header limit is not checked`,
                    { hop: hop.kind },
                    { range: hop.source, severity: 'warning' }
                )
            );
            continue;
        }
        if (share < 0.8) continue;
        const what = limit.scope === 'line' ? 'per header line' : 'for the request line and all headers';
        const catalog = size.catalogEndpoints > 0 ? ` with a catalog of ${size.catalogEndpoints} endpoints` : '';
        const verdict =
            needed > limit.bytes ? `over by ${needed - limit.bytes} B` : `${Math.round(share * 100)} % of it`;
        const fix = limit.modelled ? '' : ` (${limit.setting} at its default)`;
        findings.push(
            findingAt(
                'header-budget',
                service,
                `${service.name}: the ${token.format} token${catalog} is ${size.bytes} B, its header ${needed} B${limit.scope === 'headers' ? ` with ${OTHER_HEADERS_BYTES} B of other headers` : ''}; ` +
                    `hop ${index + 1} ${hop.kind} allows ${limit.bytes} B ${what}${fix}: ${verdict}`,
                {
                    hop: hop.kind,
                    hopIndex: index,
                    tokenFormat: token.format,
                    tokenBytes: size.bytes,
                    headerBytes: needed,
                    limitBytes: limit.bytes,
                    setting: limit.setting,
                    catalogEndpoints: size.catalogEndpoints
                },
                { range: hop.source, severity: needed > limit.bytes ? 'error' : 'warning' }
            )
        );
    }
    return findings;
}

/** Hops that validate tokens themselves and pass the auth context on as headers (Repose [REPOSE]). */
const AUTH_PROXIES = new Set(['repose']);

/**
 * With include_service_catalog on (the default [KSM]) the auth middleware adds the catalog as an
 * X-Service-Catalog header. Inside the service process that header never crosses HTTP; when a proxy
 * on the path validates tokens, every hop after it receives the header.
 */
function catalogHeader(service: Service, model: TopologyModel): Finding[] {
    const authIndex = service.path.findIndex(hop => AUTH_PROXIES.has(hop.kind));
    if (!service.includeCatalog || authIndex < 0) return [];
    const line = 'X-Service-Catalog: '.length + utf8Length(catalogJson(impliedCatalog(model))) + 2;
    const findings: Finding[] = [];
    service.path.slice(authIndex + 1).forEach((hop, offset) => {
        const limit = hopLimit(hop, undefined);
        if (!limit) return;
        const needed = limit.scope === 'line' ? line : line + OTHER_HEADERS_BYTES;
        if (needed <= limit.bytes) return;
        findings.push(
            findingAt(
                'header-catalog',
                service,
                `${service.name}: ${service.path[authIndex].kind} adds X-Service-Catalog, ${line} B for the implied catalog; hop ${authIndex + offset + 2} ${hop.kind} ` +
                    `allows ${limit.bytes} B ${limit.scope === 'line' ? 'per header line' : 'for all headers'} (${limit.setting}): over by ${needed - limit.bytes} B (or write \`catalog omit\`)`,
                { hop: hop.kind, headerBytes: needed, limitBytes: limit.bytes },
                { range: hop.source }
            )
        );
    });
    return findings;
}

/** [KS-CONF], [KS-FAQ]: max_active_keys ≥ (expiration + allow_expired_window) / rotation + 2. */
function fernetKeys(service: Service, token: Token): Finding[] {
    if (token.format !== 'fernet' || token.rotationSeconds === undefined || !(token.rotationSeconds > 0)) return [];
    const needed = Math.ceil((token.expirationSeconds + token.allowExpiredWindowSeconds) / token.rotationSeconds) + 2;
    if (token.maxActiveKeys >= needed) return [];
    const hours = (seconds: number) => `${+(seconds / 3600).toFixed(2)} h`;
    return [
        findingAt(
            'fernet-keys',
            service,
            `${service.name}: max_active_keys ${token.maxActiveKeys} is below (expiration ${hours(token.expirationSeconds)} + allow_expired_window ` +
                `${hours(token.allowExpiredWindowSeconds)}) / rotation ${hours(token.rotationSeconds)} + 2 = ${needed}: tokens die before they expire`,
            { maxActiveKeys: token.maxActiveKeys, needed },
            { range: token.source }
        )
    ];
}
