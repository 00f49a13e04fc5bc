// What the editor says about the language itself: each keyword's text from the language reference
// (docs/language.md, the same source as the docs), the proxy hop kinds of the hop catalogue with
// their settings, and the options hatopo knows. Completion and hover read only `LanguageDocs`.

import { hopLimit } from '../analysis/headers.js';
import { languageDocs, STATEMENT_OF_TYPE } from '../language-docs.js';
import { HOP_KINDS } from '../model/hops.js';
import { LAN_DEFAULTS, WAN_TIMEOUTS } from '../analysis/galera.js';
import { DEFAULTS, PORTS } from '../model/defaults.js';

export interface HopSettingDoc {
    name: string;
    doc: string;
}

export interface HopKindDoc {
    kind: string;
    doc: string;
    settings: HopSettingDoc[];
}

export interface LanguageDocs {
    /** Markdown for a keyword; `rule` is the grammar rule it is written in (`Service`, `Galera` …). */
    keywordDoc(keyword: string, rule?: string): string | undefined;
    /** The proxies a request path may name, with the settings that raise their header limit. */
    hopKinds(): HopKindDoc[];
    /** Markdown for an option of a block (`Galera`, `RabbitMQ`). */
    optionDoc(name: string, rule?: string): string | undefined;
    /** Options worth offering in a block. */
    optionNames(rule: string): string[];
}

/** `rule:keyword` first, then the keyword alone. */
const KEYWORDS: Record<string, string> = {
    import: 'Adds the elements of another `.hatopo` file (path relative to this one) to this topology. A file sees only the names of the files it imports, directly or not.',
    topology: 'Names the topology and carries its targets (`target availability 99.95%`, `target throughput 100/s`).',
    target: 'A promise the model is checked against: `availability` (rule `availability-target`) or `throughput` (rule `capacity-target`).',
    'Target:availability':
        'The availability the whole control plane must reach, as a percentage: the product of every service’s computed availability (rule `availability-target`).',
    throughput:
        'Requests a second the control plane must carry; checked against HSM capacity with one device lost (rule `capacity-target`).',
    region: 'A failure domain (a site): its hosts fail together in a region loss. Optional description and subnet, then zones and hosts.',
    zone: 'A subnet of a region with a trust level; hosts in it must lie in its subnet (rule `address-outside-subnet`).',
    trust: `How far a zone is trusted: \`public\` zones must not reach sensitive ports (rule \`port-exposed\`). Default \`${DEFAULTS.trust}\`.`,
    public: 'An untrusted zone (Internet-facing): no sensitive port may be reachable from it.',
    'Interface:public': 'The public API endpoint in the service catalog.',
    internal: 'A zone trusted for service traffic.',
    'Interface:internal': 'The internal API endpoint in the service catalog.',
    management: 'A zone for operators and the control plane.',
    admin: 'The admin API endpoint in the service catalog.',
    host: 'A machine: name, IPv4 address, and optionally its zone (`zone NAME`) and availability (default 99.9 %, an assumption).',
    'Host:zone': 'The zone this host sits in, when it is written outside the zone’s block.',
    'Host:availability':
        'This host’s own availability, used by the availability figures instead of the 99.9 % default.',
    galera: 'A MariaDB Galera cluster: its data members, garbd arbitrators, SST method, segments and options. Quorum: a partition stays Primary iff its weight is more than half of the last Primary Component’s.',
    'Galera:members':
        'The data nodes, each with an optional `weight` (pc.weight, default 1) and `segment` (gmcast.segment). At least 3 voters are needed (rule `galera-min-members`).',
    garbd: 'Galera arbitrators: they vote but keep no data. Put one in a third region so losing either of two data regions leaves a majority.',
    weight: `pc.weight of this voter (0–255, default ${DEFAULTS.galeraWeight}): its share of the quorum.`,
    segment: `gmcast.segment of this voter (0–255, default ${DEFAULTS.galeraSegment}): one segment per site keeps replication traffic off the WAN.`,
    sst: `State snapshot transfer method (wsrep_sst_method, default ${DEFAULTS.sst}): how a joining node gets a full copy. All but mysqldump use ${PORTS.galeraSst}/tcp.`,
    segments:
        'With `segments by region` every region gets its own gmcast.segment (regions numbered in name order), as a WAN cluster needs (rule `galera-wan-settings`).',
    by: 'See `segments by region`.',
    rsync: 'SST by rsync (Galera’s default): the donor is blocked while it copies.',
    mariabackup: 'SST by mariabackup: the donor keeps serving while it copies.',
    xtrabackup: 'SST by Percona XtraBackup.',
    'xtrabackup-v2': 'SST by Percona XtraBackup, version 2 script.',
    mysqldump: `SST by mysqldump: a logical dump over ${PORTS.mysql}/tcp, slow for big databases.`,
    option: 'A setting written into the generated configuration as is (`option NAME = VALUE`); hatopo reads the ones it checks.',
    rabbitmq:
        'A RabbitMQ cluster: an odd number of at least 3 members keeps a majority through a partition (rule `rabbitmq-min-members`).',
    'RabbitMQ:members': 'The RabbitMQ nodes of this cluster.',
    partition_handling:
        'RabbitMQ’s cluster_partition_handling: `pause_minority`, `autoheal`, `ignore` or `pause_if_all_down`.',
    memcached:
        'A memcached pool: clients hash keys over its servers; losing one server loses only its share of the keys.',
    servers: 'The memcached servers of this pool (clients list them all; there is no load balancer in front).',
    port: 'The TCP port this listens on.',
    'Memcached:port': `The port memcached listens on (default ${PORTS.memcached}).`,
    'HsmGroup:port': `The port clients reach the HSMs on (default ${PORTS.lunaNtls}, Luna NTLS).`,
    'Service:port': 'The port the API nodes listen on (and the frontend serves).',
    'Frontend:port': 'The port this frontend binds on its VIP.',
    'BackendServer:port': 'The port haproxy connects to on this server.',
    memory: 'Memory for items (memcached -m).',
    threads: 'Worker threads (memcached -t), usually one per core.',
    ttl: 'How long cached objects live (the clients’ cache expiration).',
    sasl: 'SASL authentication on memcached (binary protocol; authenticates, does not encrypt).',
    tls: 'TLS between clients and memcached.',
    vip: 'A virtual IP held by one of its members at a time through VRRP (keepalived): one master, the others backups.',
    vrid: 'The VRRP virtual router id (1–255): unique per L2 segment, since the virtual MAC is 00-00-5E-00-01-{VRID} (rule `vrrp-vrid-conflict`).',
    master: 'The member that should hold the VIP: it needs the single highest priority (rule `vrrp-priority`).',
    'VipMember:backup': 'A member that takes the VIP when the master stops advertising.',
    'BackendServer:backup':
        'haproxy sends traffic to this server only when every non-backup server is down (one Galera writer, rule `galera-multi-writer`).',
    backup: 'A standby: used only when the active ones are down.',
    priority: `VRRP priority (1–254, default ${DEFAULTS.vrrpPriority}); the highest holds the VIP, ties go to the higher address (RFC 5798 §6.4.3). Give the master 50 more than the others.`,
    interface: `The network interface keepalived runs VRRP on (default ${DEFAULTS.interface}).`,
    advert: `VRRP advertisement interval (advert_int, default ${DEFAULTS.advertSeconds} s): a master is declared down after about 3 intervals.`,
    unicast: 'VRRP to the other members’ addresses (unicast_peer) instead of multicast 224.0.0.18.',
    nopreempt:
        'A recovered higher-priority member does not take the VIP back; every member must then start as `backup`.',
    haproxy:
        'HAProxy load balancers: the hosts that run it, its buffer sizes, timeouts, frontends on VIPs and backends.',
    nodes: 'The hosts this runs on.',
    'Service:nodes': 'The API nodes of this service: any one of them keeps the service up.',
    'HAProxy:nodes': 'The hosts that run this haproxy; a VIP is served only by holders that run it.',
    bufsize: `haproxy tune.bufsize (default ${DEFAULTS.bufsize} B): the request line and headers must fit in bufsize − maxrewrite.`,
    maxrewrite: `haproxy tune.maxrewrite (default ${DEFAULTS.maxrewrite} B, at most bufsize/2): buffer space kept for rewriting headers.`,
    timeout: 'A haproxy timeout: `client`, `server`, `connect` or `check`, with a duration.',
    client: 'Inactivity timeout on the client side.',
    'Timeout:server': 'Inactivity timeout on the server side.',
    connect: 'Time allowed to connect to a server.',
    'Timeout:check': 'Time allowed for a health check.',
    frontend:
        'In haproxy: a listener on a VIP and port that sends to a backend. In a service: the VIPs clients reach it through.',
    'Service:frontend': 'The VIPs clients reach this service through.',
    'Frontend:frontend': 'A haproxy listener: `frontend NAME bind VIP port N backend NAME`.',
    bind: 'The VIP this frontend listens on.',
    backend: 'In haproxy: a pool of servers with a mode and a health check. In a frontend: where it sends requests.',
    'Frontend:backend': 'The backend this frontend sends requests to.',
    mode: 'haproxy backend mode: `http` (parses requests) or `tcp` (passes bytes, as for MySQL).',
    http: 'HTTP mode: haproxy parses each request.',
    tcp: 'TCP: a stream protocol.',
    'Backend:tcp': 'TCP mode: haproxy passes bytes through, as for MySQL.',
    check: 'Health check of a backend: `mysql` (option mysql-check), `tcp`, or an HTTP check as a string.',
    mysql: 'haproxy option mysql-check: logs in to MySQL to check a server.',
    'HealthCheck:tcp': 'A plain TCP connect as the health check.',
    server: 'A backend server: `server HOST port N`, optionally `backup`.',
    service:
        'An API service (keystone, nova, barbican …): its nodes, frontends, database, cache, queue, HSM, token and the request path of proxy hops.',
    kind: 'What the service is (keystone, nova, glance, barbican …): names its catalog type and path. Defaults to the service’s name.',
    database: 'The Galera cluster this service stores its data in, optionally `via` a VIP (haproxy in front).',
    via: 'The VIP the service reaches its database through.',
    cache: 'The memcached pools this service caches tokens in.',
    queue: 'The RabbitMQ cluster this service sends messages through.',
    hsm: 'An HSM group (Luna SA …): members, HA-only mode, capacity, port and plugin.',
    'Service:hsm': 'The HSM group this service keeps its keys in.',
    catalog:
        'Whether the auth middleware adds X-Service-Catalog to each request (`include`, the default, or `omit`: include_service_catalog = False).',
    include: 'keystonemiddleware include_service_catalog = True (the default).',
    omit: 'keystonemiddleware include_service_catalog = False: no X-Service-Catalog header.',
    endpoints:
        'The interfaces this service publishes in the catalog (default public, internal, admin): they size PKI tokens.',
    path: 'The request path: the proxy hops a request crosses, `path haproxy -> nginx -> uwsgi`, each with its header-limit setting when it is not the default (rule `header-budget`).',
    '->': 'The next hop of the request path.',
    'Link:->': 'A one-way link: it carries traffic from the first place to the second only.',
    '<->': 'A two-way link.',
    availability: 'An availability target for this element, as a percentage.',
    'Service:availability':
        'This service’s own availability target, checked against the figure computed from its parts (rule `availability-target`).',
    token: 'The token this service issues: `uuid`, `fernet`, `pki` or `pkiz`, with its lifetime and key rotation. Its size is checked against every hop (rule `header-budget`).',
    uuid: 'UUID tokens: always 32 characters (removed in Rocky).',
    fernet: 'Fernet tokens: under 250 B, with keys rotated in lock-step on every Keystone node (rule `fernet-keys`).',
    pki: 'PKI tokens: the CMS-signed token body with the whole catalog, base64; grows with the catalog (removed in Newton).',
    pkiz: 'PKIZ tokens: PKI compressed with zlib, base64url, prefixed `PKIZ_`; still grows with the catalog.',
    expiration: `[token] expiration (default ${DEFAULTS.tokenExpiration} s).`,
    rotation: 'How often Fernet keys are rotated; with expiration and allow_expired_window it sizes max_active_keys.',
    allow_expired_window: `[token] allow_expired_window (default ${DEFAULTS.allowExpiredWindow} s = 48 h): how long expired tokens may still be fetched.`,
    max_active_keys: `[fernet_tokens] max_active_keys (default ${DEFAULTS.maxActiveKeys}); needs (expiration + allow_expired_window) / rotation + 2 (rule \`fernet-keys\`).`,
    nocatalog: 'Tokens issued without the catalog (`?nocatalog`): PKI tokens stay small.',
    'HsmGroup:members':
        'The HSMs of this HA group, each optionally with its own capacity: `luna1 (40/s)`. An HA group needs two or more (rule `hsm-pair`).',
    haonly: 'Luna HA-only mode (`hagroup haonly -enable`): clients see only the virtual HA slot, so slot numbers stay stable through a failover.',
    capacity:
        'Operations a second: for the whole group, or `per device`; checked against the throughput target with one device lost.',
    per: 'See `capacity N/s per device`.',
    device: 'The capacity is each device’s, not the group’s.',
    plugin: 'How Barbican talks to the HSM: `pkcs11` or `kmip`.',
    pkcs11: 'Barbican’s PKCS#11 plugin: keys wrapped by the HSM’s master key, stored in Barbican’s database.',
    kmip: `Barbican’s KMIP plugin: every secret is stored on the device (port ${PORTS.kmip}).`,
    link: 'A network path between two places (regions, zones or hosts): without rules it carries everything; with rules, the first that matches decides and the rest is dropped.',
    latency: 'One-way latency of the link.',
    redundant: 'The link has redundant paths.',
    vpn: 'The link runs over a VPN.',
    firewall: 'A firewall in front of one place: what enters it from outside passes only if a rule allows it.',
    protects: 'The place this firewall stands in front of.',
    allow: 'Lets matching traffic through; the first rule that matches decides.',
    deny: 'Drops matching traffic; the first rule that matches decides.',
    udp: 'UDP ports.',
    proto: `An IP protocol number, e.g. \`proto ${PORTS.vrrp}\` for VRRP.`,
    all: 'Every protocol and port.',
    from: 'Only traffic from this place (region, zone or host).',
    on: 'On (true).',
    off: 'Off (false).',
    true: 'True.',
    false: 'False.'
};

/** Options hatopo reads or commonly written, with their defaults [G-PAR], [G-OPT]. */
const OPTIONS: Record<string, string> = {
    wsrep_dirty_reads:
        'Lets a non-primary node serve (stale) reads; needs `wsrep_sync_wait = 0` (rule `galera-dirty-reads`). Default OFF.',
    wsrep_sync_wait:
        'Causal reads (bitmask 1 READ, 2 UPDATE/DELETE, 4 INSERT/REPLACE). Default 0; non-zero adds latency and blocks on a non-primary node.',
    wsrep_slave_threads: 'Applier threads (default 1, MariaDB 1–512); usually the number of cores.',
    max_connections: 'MariaDB’s connection limit.',
    wsrep_provider_options:
        'Galera provider options in one string: `"gmcast.segment=1; evs.suspect_timeout=PT30S"`; hatopo reads the ones it checks.',
    'gmcast.segment': `The segment of every member (default ${DEFAULTS.galeraSegment}); across regions write \`segments by region\` instead.`,
    'pc.weight': `The weight of every member (default ${DEFAULTS.galeraWeight}).`,
    'pc.ignore_sb': 'Default FALSE. TRUE lets both sides of a split brain accept writes (rule `galera-unsafe-option`).',
    'pc.ignore_quorum': 'Default FALSE. TRUE ignores quorum altogether (rule `galera-unsafe-option`).',
    'evs.send_window':
        'Packets in replication at a time (default 4); a WAN may need much more, above evs.user_send_window.',
    'evs.user_send_window': 'Data packets in replication at a time (default 2).',
    'gcache.size': 'The write-set cache that IST serves joining nodes from.',
    'RabbitMQ:cluster_partition_handling': 'Write `partition_handling` instead.'
};
for (const [name, wan] of Object.entries(WAN_TIMEOUTS))
    OPTIONS[name] =
        `Group-communication timeout, default ${LAN_DEFAULTS[name]} s; across a WAN ${wan} (rule \`galera-wan-settings\`).`;

const OPTIONS_OF: Record<string, string[]> = {
    Galera: Object.keys(OPTIONS).filter(name => !name.includes(':')),
    RabbitMQ: []
};

/** Every hop kind of the catalogue (model/hops.ts) with every setting it knows, its unit and default. */
function catalogueHopKinds(): HopKindDoc[] {
    return HOP_KINDS.map(kind => {
        const limit = hopLimit({ kind: kind.kind, settings: new Map(), source: NO_SOURCE }, undefined);
        const scope =
            kind.headerLimit.scope === 'line' ? 'each header line' : 'the request line and all headers together';
        return {
            kind: kind.kind,
            doc:
                `**${kind.kind}**: ${kind.program}. Limits ${scope}` +
                (limit ? ` to ${limit.bytes} B by default (${limit.setting}).` : '.'),
            settings: kind.settings.map(setting => ({
                name: setting.name,
                doc:
                    `${kind.kind} \`${setting.name}\` (${setting.values.join(' ')}): ${setting.meaning}` +
                    (setting.defaults ? `; default ${setting.defaults.join(' ')}` : '') +
                    ` [${setting.source}]`
            }))
        };
    });
}
const NO_SOURCE = { uri: '', start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

/**
 * The language reference (docs/language.md) first, as the statement it is written in documents the
 * keyword; the short texts above where the reference has none (punctuation, a rule-specific sense).
 */
export class BuiltInLanguageDocs implements LanguageDocs {
    private readonly hops = catalogueHopKinds();

    keywordDoc(keyword: string, rule?: string): string | undefined {
        const statement = rule ? STATEMENT_OF_TYPE[rule] : undefined;
        const reference = languageDocs().lookup(keyword, statement);
        return reference ?? ((rule && KEYWORDS[`${rule}:${keyword}`]) || KEYWORDS[keyword]);
    }

    hopKinds(): HopKindDoc[] {
        return this.hops;
    }

    optionDoc(name: string, rule?: string): string | undefined {
        return (rule && OPTIONS[`${rule}:${name}`]) || OPTIONS[name];
    }

    optionNames(rule: string): string[] {
        return OPTIONS_OF[rule] ?? [];
    }
}
