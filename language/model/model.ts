// The typed model: references resolved, defaults applied, units normalised, each element with its
// source. Rules, diagrams and exporters read only this, never the AST and never `vscode`.

import type { Subnet } from './addresses.js';

/** Where an element is written: a document URI and 0-based LSP positions. */
export interface SourceRange {
    uri: string;
    start: { line: number; character: number };
    end: { line: number; character: number };
}

export type ElementKind =
    | 'region'
    | 'zone'
    | 'host'
    | 'galera'
    | 'rabbitmq'
    | 'memcached'
    | 'vip'
    | 'haproxy'
    | 'frontend'
    | 'backend'
    | 'service'
    | 'hsm'
    | 'link'
    | 'firewall'
    | 'topology';

export interface ModelElement {
    kind: ElementKind;
    name: string;
    /**
     * `<kind>:<name>`, unique in a topology: the id that `check --format json` (`element`), the
     * diagram (`data-element`, `render --format json`) and the lab use. Frontends and backends are
     * `frontend:<haproxy>/<name>`; an unnamed link is `link:<from>-<to>`.
     */
    id: string;
    /** The element a part belongs to (a frontend's or backend's haproxy): what the diagram draws. */
    owner?: ModelElement;
    /** The whole definition. */
    source: SourceRange;
    /** Just the name, where diagnostics about the element are shown. */
    nameSource: SourceRange;
}

export type Trust = 'public' | 'internal' | 'management';

export interface Region extends ModelElement {
    kind: 'region';
    description?: string;
    subnet?: Subnet;
    zones: Zone[];
    hosts: Host[];
}

export interface Zone extends ModelElement {
    kind: 'zone';
    region: Region;
    subnet?: Subnet;
    trust: Trust;
    hosts: Host[];
}

export interface Host extends ModelElement {
    kind: 'host';
    address: string;
    /** The address as a 32-bit number; undefined when it is not a valid IPv4 address. */
    addressValue?: number;
    region: Region;
    zone?: Zone;
    availability?: number;
    /** The NIC on the host's subnet: keepalived's interface and the VIP's device (default eth0). */
    interface: string;
}

export interface GaleraMember {
    host: Host;
    weight: number;
    segment?: number;
    source: SourceRange;
}

export interface Galera extends ModelElement {
    kind: 'galera';
    members: GaleraMember[];
    arbitrators: GaleraMember[];
    sst: string;
    segmentByRegion: boolean;
    options: Map<string, string>;
}

export interface RabbitMQ extends ModelElement {
    kind: 'rabbitmq';
    members: Host[];
    partitionHandling?: string;
    /** The type of queues clients declare without saying (the default vhost's default queue type). */
    queueType: 'quorum' | 'classic';
    options: Map<string, string>;
}

export interface Memcached extends ModelElement {
    kind: 'memcached';
    servers: Host[];
    port: number;
    memoryBytes?: number;
    threads?: number;
    ttlSeconds?: number;
    sasl: boolean;
    tls: boolean;
}

export interface VipMember {
    host: Host;
    state: 'master' | 'backup';
    priority: number;
    source: SourceRange;
}

export interface Vip extends ModelElement {
    kind: 'vip';
    address: string;
    addressValue?: number;
    vrid: number;
    /** The interface written on the VIP, else its first member's interface. */
    interface: string;
    /** True when `interface` is written on the VIP: then it holds for every member. */
    interfaceWritten: boolean;
    advertSeconds: number;
    unicast: boolean;
    /**
     * True unless the VIP says `preempt`: every member then starts BACKUP and a recovered
     * higher-priority member does not take the VIP back (Kolla-Ansible's keepalived).
     */
    nopreempt: boolean;
    members: VipMember[];
}

export interface BackendServer {
    host: Host;
    port: number;
    backup: boolean;
    source: SourceRange;
}

/**
 * How haproxy decides a server is up. `galera`: the node's clustercheck answers 200 only while the
 * node is Synced; `mysql`: a login succeeds; `tcp`: a connect succeeds; `http`: a request answers.
 */
export type HealthCheck =
    | { kind: 'galera'; port: number }
    | { kind: 'mysql' }
    | { kind: 'tcp' }
    | { kind: 'http'; method: string; path: string };

export interface Backend extends ModelElement {
    kind: 'backend';
    mode: 'http' | 'tcp';
    check: HealthCheck;
    servers: BackendServer[];
}

export interface Frontend extends ModelElement {
    kind: 'frontend';
    vip: Vip;
    port: number;
    backend: Backend;
    /** TLS terminated on the VIP: the PEM file (certificate and key) haproxy reads. */
    tls?: { certificate: string };
}

export interface HAProxy extends ModelElement {
    kind: 'haproxy';
    nodes: Host[];
    bufsize: number;
    maxrewrite: number;
    timeouts: Map<string, number>;
    frontends: Frontend[];
    backends: Backend[];
}

export type TokenFormat = 'uuid' | 'fernet' | 'pki' | 'pkiz';

export interface Token {
    format: TokenFormat;
    expirationSeconds: number;
    rotationSeconds?: number;
    allowExpiredWindowSeconds: number;
    maxActiveKeys: number;
    nocatalog: boolean;
    source: SourceRange;
}

/** One process on a request path; `settings` holds the header limits written for it, in bytes. */
export interface Hop {
    kind: string;
    settings: Map<string, number[]>;
    source: SourceRange;
}

export interface Service extends ModelElement {
    kind: 'service';
    serviceKind: string;
    port: number;
    nodes: Host[];
    frontends: Vip[];
    database?: Galera;
    databaseVip?: Vip;
    caches: Memcached[];
    queue?: RabbitMQ;
    hsm?: HsmGroup;
    token?: Token;
    includeCatalog: boolean;
    interfaces: string[];
    path: Hop[];
    availability?: number;
}

export interface HsmGroup extends ModelElement {
    kind: 'hsm';
    members: Host[];
    haOnly: boolean;
    capacityPerSecond?: number;
    port: number;
    plugin: 'pkcs11' | 'kmip';
}

export type Endpoint = Region | Zone | Host;

export interface PortRange {
    first: number;
    last: number;
}

export interface Rule {
    action: 'allow' | 'deny';
    /** 'tcp' / 'udp' with ports, an IP protocol number, or everything. */
    protocol: 'tcp' | 'udp' | 'ip' | 'all';
    ports: PortRange[];
    ipProtocol?: number;
    from?: Endpoint;
    source: SourceRange;
}

export interface Link extends ModelElement {
    kind: 'link';
    from: Endpoint;
    to: Endpoint;
    bidirectional: boolean;
    latencySeconds?: number;
    redundant: boolean;
    vpn: boolean;
    rules: Rule[];
}

export interface Firewall extends ModelElement {
    kind: 'firewall';
    protects: Endpoint;
    rules: Rule[];
}

/** Where administrators and monitoring reach the hosts from, and on which ports. */
export interface ManagementAccess {
    /** A zone, region or host of the model, or a subnet written as CIDR. */
    from: Endpoint | Subnet;
    ports: PortRange[];
    /** Implied by a zone's `trust management` rather than written with `manage from`. */
    implied: boolean;
    source: SourceRange;
}

export interface Targets {
    availability?: number;
    throughputPerSecond?: number;
    source?: SourceRange;
}

export interface TopologyModel {
    name?: string;
    description?: string;
    /** The `topology` statement itself, where findings about the targets belong. */
    topology?: ModelElement;
    targets: Targets;
    regions: Region[];
    zones: Zone[];
    hosts: Host[];
    galeras: Galera[];
    rabbitmqs: RabbitMQ[];
    memcacheds: Memcached[];
    vips: Vip[];
    haproxies: HAProxy[];
    services: Service[];
    hsms: HsmGroup[];
    links: Link[];
    firewalls: Firewall[];
    /** `manage from` lines and the zones with `trust management`, in source order. */
    management: ManagementAccess[];
    /** Problems met while building the model (bad units, bad addresses), reported as findings. */
    problems: ModelProblem[];
    /** Every element by its id (`host:wlg-db1`, `frontend:lb/api` …). */
    elements: Map<string, ModelElement>;
}

export interface ModelProblem {
    rule: string;
    message: string;
    source: SourceRange;
    /** The figures behind the message, for quick fixes and JSON output. */
    data?: Record<string, unknown>;
}

/** Every named top-level element, in source order: the one namespace that duplicate-name checks. */
export function namedElements(model: TopologyModel): ModelElement[] {
    return [
        ...model.regions,
        ...model.zones,
        ...model.hosts,
        ...model.galeras,
        ...model.rabbitmqs,
        ...model.memcacheds,
        ...model.vips,
        ...model.haproxies,
        ...model.services,
        ...model.hsms,
        ...model.links.filter(link => link.name !== ''),
        ...model.firewalls
    ];
}
