// The figures each rule's findings carry: what hovers, quick fixes, JSON output and the lab read.
// One entry per rule id; `findingAt` is typed by it, so a finding cannot carry another rule's data.
// Plain JSON values only: the data travels in LSP diagnostics.

import type { InvalidValueData, SourceRange } from '../model/model.js';
import type { RuleId } from './rules.js';

type None = Record<string, never>;

export interface RuleData {
    'internal-error': None;
    'syntax-error': None;
    'unresolved-reference': None;
    'duplicate-name': { firstAt: SourceRange };
    'duplicate-address': { address: string; other: string };
    'address-outside-subnet': { subnet: string; address?: string; owner?: string; regionSubnet?: string };
    'invalid-value': InvalidValueData;
    'duplicate-setting': None;
    'galera-min-members': { voters: number; dataNodes: number; arbitrators: number };
    'galera-even-weight': { totalWeight: number };
    'galera-region-loss': {
        region: string;
        lostWeight: number;
        survivingWeight: number;
        totalWeight: number;
        primary: boolean;
    };
    'galera-region-spof': { region: string; dependentRegions: string[] };
    'galera-arbitrator': { host: string; region: string };
    'galera-unsafe-option': { option: string; value: string };
    'galera-wan-settings': { regions: string[]; defaults: string[]; segmented: boolean; sharedSegments: string[] };
    'galera-dirty-reads': { wsrep_dirty_reads: string; wsrep_sync_wait: string };
    'galera-multi-writer': { haproxy: string; cluster: string; writers: string[] };
    'rabbitmq-min-members': { members: number };
    'vrrp-vrid-conflict': { vrid: number; segment: string; other: string };
    'vrrp-priority': {
        host?: string;
        priority?: number;
        hosts?: string[];
        highest?: string;
        masters?: string[];
        priorities?: number[];
        /** With equal top priorities: who wins the tie (the higher primary address, RFC 5798 §6.4.3). */
        winner?: string;
    };
    'vrrp-cross-region': { regions?: string[]; zones?: string[] };
    'hsm-pair': { members?: number; haOnly?: boolean };
    'port-unreachable': {
        purpose: string;
        protocol: 'tcp' | 'udp' | 'ip';
        port: number;
        reason: string;
        pairs: number;
        /** The link or firewall that drops the flow, by id; absent when no link joins the regions. */
        blocker?: string;
        /** The rule that decided, when it is a deny (or an earlier rule) shadowing a later allow. */
        shadowedBy?: string;
        /** The two regions no link joins. */
        regions?: [string, string];
    };
    'port-exposed': { port: number; hosts: string[]; zones: string[] };
    'port-conflict': { address: string; port: number; host: string; other: string };
    'management-access': { port: number; sources: string[]; hosts: number };
    'header-budget': {
        hop: string;
        hopIndex: number;
        tokenFormat: string;
        tokenBytes: number;
        headerBytes: number;
        limitBytes: number;
        setting: string;
        catalogEndpoints: number;
    };
    'header-catalog': { hop: string; headerBytes: number; limitBytes: number };
    'fernet-keys': { maxActiveKeys: number; needed: number };
    'availability-target': { computed: number; target: number; weakest?: string; parts?: Record<string, number> };
    spof: { element: string; kind: string };
    'capacity-target': { target: number; capacity: number; bottleneck: string; degraded?: number };
    'rate-limit-target': { hop: string; hopIndex: number; limit: number; target: number };
    'pacemaker-fencing': { nodes: number; fencing?: string };
    'service-mode': { serviceKind: string; mode: string; nodes: number };
    'rabbitmq-wan': { regions: string[]; queueType?: string };
    'dns-standby': { vip: string };
}

// Every rule has its data type, and nothing else has one.
type Exact<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const _complete: Exact<keyof RuleData, RuleId> = true;
void _complete;
