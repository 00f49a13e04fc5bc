// The rule catalogue: one entry per stable rule id (LANGUAGE.md). It feeds SARIF's `rules`,
// severity settings and the docs.

import type { Severity } from './finding.js';

export interface RuleInfo {
    id: string;
    severity: Severity;
    description: string;
}

const RULE_LIST: RuleInfo[] = [
    { id: 'syntax-error', severity: 'error', description: 'The text does not follow the .hatopo grammar.' },
    {
        id: 'unresolved-reference',
        severity: 'error',
        description: 'A name or import refers to nothing in this file or the files it imports.'
    },
    { id: 'duplicate-name', severity: 'error', description: 'Two elements of one topology share a name.' },
    { id: 'duplicate-address', severity: 'error', description: 'Two hosts or VIPs share an IP address.' },
    {
        id: 'address-outside-subnet',
        severity: 'error',
        description: "A host's address lies outside its zone's or region's subnet."
    },
    {
        id: 'invalid-value',
        severity: 'error',
        description:
            'A value has the wrong unit, is out of range (a port, VRID, weight or VRRP priority) or holds characters its config file would misread.'
    },
    {
        id: 'duplicate-setting',
        severity: 'warning',
        description: 'A setting is written twice in one block; only the last one counts.'
    },
    { id: 'galera-min-members', severity: 'error', description: 'Fewer than 3 voting members (data nodes + garbd).' },
    {
        id: 'galera-even-weight',
        severity: 'warning',
        description: 'Total weight is even: an even split leaves no Primary Component.'
    },
    {
        id: 'galera-region-loss',
        severity: 'error',
        description: 'Losing one region leaves weight ≤ W/2: the survivors are non-primary.'
    },
    {
        id: 'galera-region-spof',
        severity: 'warning',
        description: 'All members in one region while services in other regions depend on it.'
    },
    {
        id: 'galera-arbitrator',
        severity: 'warning',
        description: 'A garbd that cannot help (same region or host as data members).'
    },
    { id: 'galera-unsafe-option', severity: 'error', description: '`pc.ignore_sb` or `pc.ignore_quorum` set true.' },
    {
        id: 'galera-wan-settings',
        severity: 'warning',
        description: 'Spans regions with LAN defaults: no per-region gmcast.segment, evs timeouts at defaults.'
    },
    { id: 'galera-dirty-reads', severity: 'error', description: '`wsrep_dirty_reads` on while `wsrep_sync_wait` ≠ 0.' },
    {
        id: 'galera-multi-writer',
        severity: 'warning',
        description: 'A load balancer sends writes to more than one member (no `backup` servers).'
    },
    {
        id: 'rabbitmq-min-members',
        severity: 'warning',
        description: 'Fewer than 3 RabbitMQ members, or an even count.'
    },
    { id: 'vrrp-vrid-conflict', severity: 'error', description: 'Two VRRP groups share a VRID on one L2 segment.' },
    {
        id: 'vrrp-priority',
        severity: 'error',
        description: 'No single highest-priority master, or a master that is not the highest priority.'
    },
    {
        id: 'vrrp-cross-region',
        severity: 'error',
        description: 'A VRRP group whose members sit in different regions or subnets.'
    },
    {
        id: 'hsm-pair',
        severity: 'error',
        description: 'An HSM group with fewer than 2 members; HA-only mode off is a warning.'
    },
    {
        id: 'port-unreachable',
        severity: 'error',
        description: 'A flow the topology needs is blocked by the modelled links or firewalls.'
    },
    { id: 'port-exposed', severity: 'warning', description: 'A sensitive port reachable from an untrusted zone.' },
    {
        id: 'port-conflict',
        severity: 'error',
        description: 'Two listeners on one host bind the same address and port.'
    },
    {
        id: 'management-access',
        severity: 'warning',
        description:
            'No place administrators come from (no zone with trust management, no `manage from`): exported firewalls admit SSH from internal subnets only.'
    },
    {
        id: 'header-budget',
        severity: 'error',
        description: 'The token header exceeds a hop on the request path (warning at ≥ 80 %).'
    },
    {
        id: 'header-catalog',
        severity: 'warning',
        description: 'The X-Service-Catalog header exceeds a hop on the request path.'
    },
    {
        id: 'fernet-keys',
        severity: 'warning',
        description: 'max_active_keys below (expiration + allow_expired_window) / rotation + 2.'
    },
    {
        id: 'availability-target',
        severity: 'warning',
        description: 'The availability computed from the model is below the target.'
    },
    { id: 'spof', severity: 'warning', description: 'A single instance on a request path.' },
    {
        id: 'capacity-target',
        severity: 'warning',
        description: "The throughput target exceeds the bottleneck's capacity."
    }
];

export const RULES: ReadonlyMap<string, RuleInfo> = new Map(RULE_LIST.map(rule => [rule.id, rule]));

export function ruleInfo(id: string): RuleInfo {
    const info = RULES.get(id);
    if (!info) throw new Error(`unknown rule id '${id}'`);
    return info;
}
