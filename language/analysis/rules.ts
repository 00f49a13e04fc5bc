// The rule catalogue: one entry per stable rule id (LANGUAGE.md). It feeds SARIF's `rules`,
// severity settings, the docs and the type of every finding: an id missing here does not compile.

import type { Severity } from './finding.js';

export const RULE_CATALOGUE = {
    'internal-error': {
        severity: 'error',
        description: 'A check failed unexpectedly on this input; the other findings still hold. Please report it.'
    },
    'syntax-error': { severity: 'error', description: 'The text does not follow the .hatopo grammar.' },
    'unresolved-reference': {
        severity: 'error',
        description: 'A name or import refers to nothing in this file or the files it imports.'
    },
    'duplicate-name': { severity: 'error', description: 'Two elements of one topology share a name.' },
    'duplicate-address': { severity: 'error', description: 'Two hosts or VIPs share an IP address.' },
    'address-outside-subnet': {
        severity: 'error',
        description: "A host's address lies outside its zone's or region's subnet."
    },
    'invalid-value': {
        severity: 'error',
        description:
            'A value has the wrong unit, is out of range (a port, VRID, weight or VRRP priority) or holds characters its config file would misread.'
    },
    'duplicate-setting': {
        severity: 'warning',
        description: 'A setting is written twice in one block; only the last one counts.'
    },
    'galera-min-members': { severity: 'error', description: 'Fewer than 3 voting members (data nodes + garbd).' },
    'galera-even-weight': {
        severity: 'warning',
        description: 'Total weight is even: an even split leaves no Primary Component.'
    },
    'galera-region-loss': {
        severity: 'error',
        description: 'Losing one region leaves weight ≤ W/2: the survivors are non-primary.'
    },
    'galera-region-spof': {
        severity: 'warning',
        description: 'All members in one region while services in other regions depend on it.'
    },
    'galera-arbitrator': {
        severity: 'warning',
        description: 'A garbd that cannot help (same region or host as data members).'
    },
    'galera-unsafe-option': { severity: 'error', description: '`pc.ignore_sb` or `pc.ignore_quorum` set true.' },
    'galera-wan-settings': {
        severity: 'warning',
        description: 'Spans regions with LAN defaults: no per-region gmcast.segment, evs timeouts at defaults.'
    },
    'galera-dirty-reads': { severity: 'error', description: '`wsrep_dirty_reads` on while `wsrep_sync_wait` ≠ 0.' },
    'galera-multi-writer': {
        severity: 'warning',
        description: 'A load balancer sends writes to more than one member (no `backup` servers).'
    },
    'rabbitmq-min-members': { severity: 'warning', description: 'Fewer than 3 RabbitMQ members, or an even count.' },
    'vrrp-vrid-conflict': { severity: 'error', description: 'Two VRRP groups share a VRID on one L2 segment.' },
    'vrrp-priority': {
        severity: 'error',
        description:
            'Tied highest priorities (the higher address wins), or a declared master that is not the highest priority.'
    },
    'vrrp-cross-region': {
        severity: 'error',
        description: 'A VRRP group whose members sit in different regions or subnets.'
    },
    'hsm-pair': {
        severity: 'error',
        description: 'An HSM group with fewer than 2 members; HA-only mode off is a warning.'
    },
    'port-unreachable': {
        severity: 'error',
        description: 'A flow the topology needs is blocked by the modelled links or firewalls.'
    },
    'port-exposed': { severity: 'warning', description: 'A sensitive port reachable from an untrusted zone.' },
    'port-conflict': { severity: 'error', description: 'Two listeners on one host bind the same address and port.' },
    'management-access': {
        severity: 'warning',
        description:
            'No place administrators come from (no zone with trust management, no `manage from`): exported firewalls admit SSH from internal subnets only.'
    },
    'header-budget': {
        severity: 'error',
        description: 'The token header exceeds a hop on the request path (warning at ≥ 80 %).'
    },
    'header-catalog': {
        severity: 'warning',
        description: 'The X-Service-Catalog header exceeds a hop on the request path.'
    },
    'fernet-keys': {
        severity: 'warning',
        description: 'max_active_keys below (expiration + allow_expired_window) / rotation + 2.'
    },
    'availability-target': {
        severity: 'warning',
        description: 'The availability computed from the model is below the target.'
    },
    spof: { severity: 'warning', description: 'A single instance on a request path.' },
    'capacity-target': { severity: 'warning', description: "The throughput target exceeds the bottleneck's capacity." },
    'rate-limit-target': {
        severity: 'warning',
        description: 'A rate limit on the request path (Repose) is below the throughput target.'
    },
    'pacemaker-fencing': {
        severity: 'error',
        description:
            'A Pacemaker cluster without fencing (STONITH) cannot safely recover a node that stopped answering.'
    },
    'service-mode': {
        severity: 'error',
        description: 'A service that must run active/passive (cinder-volume) runs active/active.'
    },
    'rabbitmq-wan': {
        severity: 'warning',
        description: 'A RabbitMQ cluster spans regions: clustering is meant for a LAN and copes badly with partitions.'
    },
    'dns-standby': {
        severity: 'warning',
        description: 'A DNS name sends clients to a standby (blue) set that only tests should reach.'
    }
} as const satisfies Record<string, { severity: Severity; description: string }>;

export type RuleId = keyof typeof RULE_CATALOGUE;

export interface RuleInfo {
    id: RuleId;
    severity: Severity;
    description: string;
}

export const RULES: ReadonlyMap<RuleId, RuleInfo> = new Map(
    (Object.keys(RULE_CATALOGUE) as RuleId[]).map(id => [id, { id, ...RULE_CATALOGUE[id] }])
);

export function isRuleId(id: string): id is RuleId {
    return Object.hasOwn(RULE_CATALOGUE, id);
}

export function ruleInfo(id: RuleId): RuleInfo {
    return RULES.get(id)!;
}
