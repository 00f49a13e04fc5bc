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
    | 'dns'
    | 'pacemaker'
    | 'environment'
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
    /**
     * A syntax error cuts this element short: what was parsed is in the model (so references to it
     * resolve), but the rules do not judge it, nor what depends on it (analysis/cut-short.ts).
     */
    incomplete?: boolean;
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
    /**
     * The type of queues clients declare without saying (the default vhost's default queue type);
     * `mirrored` is classic queues under an `ha-mode: all` policy (RabbitMQ 3.x only).
     */
    queueType: 'quorum' | 'classic' | 'mirrored';
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
    /** Blue/green: a set that only tests reach; out of throughput, capacity and availability sums. */
    standby: boolean;
    /** Held by this Pacemaker cluster (an IPaddr2 resource) instead of keepalived: no VRRP, no members. */
    pacemaker?: Pacemaker;
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
    /** Blue/green: the standby set; its VIPs are standby too. */
    standby: boolean;
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

/**
 * One process on a request path; `settings` holds the settings written for it, each value in the
 * unit its kind declares (model/hops.ts): bytes, a count, or requests a second.
 */
export interface Hop {
    kind: string;
    settings: Map<string, number[]>;
    source: SourceRange;
}

export type ServiceMode = 'active-active' | 'active-passive';

export interface Service extends ModelElement {
    kind: 'service';
    serviceKind: string;
    /** The API port; a worker without one (cinder-volume) has none. */
    port?: number;
    /** Written with `mode`, or given by the Pacemaker resource that runs it; active-active otherwise. */
    mode: ServiceMode;
    /** Blue/green: this node set only serves tests (see analysis/standby.ts). */
    standby: boolean;
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

/** One HSM of a group, with its own capacity when the model gives one (operations a second). */
export interface HsmDevice {
    host: Host;
    capacityPerSecond?: number;
}

export interface HsmGroup extends ModelElement {
    kind: 'hsm';
    members: Host[];
    devices: HsmDevice[];
    haOnly: boolean;
    /** The whole group's capacity, when it is given for the group rather than per device. */
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
    /** The two gateways of a VPN tunnel, when modelled: the tunnel is up while both are. */
    vpnEndpoints: Host[];
    /** Requests a second the link carries, when the model gives it (a VPN's throughput). */
    capacityPerSecond?: number;
    availability?: number;
    rules: Rule[];
}

export interface Firewall extends ModelElement {
    kind: 'firewall';
    protects: Endpoint;
    rules: Rule[];
    /** The boxes that are the firewall (an F5 pair), as hosts with their own availability. */
    devices: Host[];
    /** The firewall's availability as one device, when given instead of `devices`. */
    availability?: number;
}

/** A DNS name: clients resolve it to one VIP, or to any of several (round robin). */
export interface Dns extends ModelElement {
    kind: 'dns';
    fqdn?: string;
    roundRobin: boolean;
    targets: Vip[];
}

export type PacemakerResource = Service | HAProxy;

/** A Pacemaker/Corosync cluster with its fence agent, the VIPs it holds and the resources it runs. */
export interface Pacemaker extends ModelElement {
    kind: 'pacemaker';
    nodes: Host[];
    /** The fence agent (fence_ipmilan …); undefined when none is written, 'off' when disabled. */
    fencing?: string;
    vips: Vip[];
    clones: PacemakerResource[];
    activePassive: PacemakerResource[];
}

/** The environment (staging, production) whose overrides this model carries. */
export interface Environment extends ModelElement {
    kind: 'environment';
    description?: string;
    /** What the environment changed, one line each (`region cloud 10.20.0.0/16 → 10.120.0.0/16`). */
    changes: string[];
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
    dnsNames: Dns[];
    pacemakers: Pacemaker[];
    environment?: Environment;
    /** `manage from` lines and the zones with `trust management`, in source order. */
    management: ManagementAccess[];
    /** Problems met while building the model (bad units, bad addresses), reported as findings. */
    problems: ModelProblem[];
    /** Every element by its id (`host:wlg-db1`, `frontend:lb/api` …). */
    elements: Map<string, ModelElement>;
}

/** The figures of an `invalid-value` finding: the setting, and the range or suggestion when there is one. */
export interface InvalidValueData {
    setting?: string;
    hop?: string;
    suggestion?: string;
    value?: number;
    min?: number;
    max?: number;
    host?: string;
    priority?: number;
}

/** A value the model could not take as written: reported as `invalid-value` on the element. */
export interface ModelProblem {
    rule: 'invalid-value';
    message: string;
    source: SourceRange;
    element?: ModelElement;
    data?: InvalidValueData;
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
        ...model.firewalls,
        ...model.dnsNames,
        ...model.pacemakers
    ];
}
