// Galera rules (LANGUAGE.md; facts in DOMAIN.md §1): quorum arithmetic per failure domain, the
// arbitrator, unsafe and WAN options, dirty reads, and writes spread over several members.

import type { Galera, TopologyModel } from '../model/model.js';
import type { Finding } from './finding.js';
import { findingAt } from './finding-factory.js';
import { isoSeconds, providerOption, TRUE_VALUES } from './galera-options.js';
import { formatWeight, outcomeOfLosing, totalWeight, voters } from './quorum.js';
import { segmentOf, sharedSegments } from './segments.js';

export function checkGalera(model: TopologyModel): Finding[] {
    return model.galeras.flatMap(cluster => [
        ...membership(cluster),
        ...regionLoss(cluster),
        ...regionSpof(cluster, model),
        ...arbitrators(cluster),
        ...unsafeOptions(cluster),
        ...wanSettings(cluster),
        ...dirtyReads(cluster),
        ...multiWriter(cluster, model)
    ]);
}

function membership(cluster: Galera): Finding[] {
    const all = voters(cluster);
    const total = totalWeight(all);
    const findings: Finding[] = [];
    if (all.length < 3) {
        findings.push(
            findingAt(
                'galera-min-members',
                cluster,
                `galera '${cluster.name}' has ${all.length} voting members (${cluster.members.length} data nodes + ${cluster.arbitrators.length} garbd): ` +
                    `at least 3 are needed, or losing one leaves a non-primary survivor`,
                { voters: all.length, dataNodes: cluster.members.length, arbitrators: cluster.arbitrators.length }
            )
        );
    }
    if (all.length > 0 && total % 2 === 0) {
        findings.push(
            findingAt(
                'galera-even-weight',
                cluster,
                `galera '${cluster.name}' has total weight ${total}: a split into ${total / 2} and ${total / 2} leaves no Primary Component on either side`,
                { totalWeight: total }
            )
        );
    }
    return findings;
}

function regionLoss(cluster: Galera): Finding[] {
    const all = voters(cluster);
    const regions = [...new Set(all.map(voter => voter.host.region))];
    if (regions.length < 2) return [];
    return regions.flatMap(region => {
        const outcome = outcomeOfLosing(`region:${region.name}`, all, voter => voter.host.region === region);
        if (outcome.primary) return [];
        return [
            findingAt(
                'galera-region-loss',
                cluster,
                `galera '${cluster.name}': losing region ${region.name} leaves weight ${outcome.survivingWeight} of ${outcome.totalWeight}, ` +
                    `not more than ${formatWeight(outcome.totalWeight / 2)}: non-primary`,
                { ...outcome, region: region.name }
            )
        ];
    });
}

function regionSpof(cluster: Galera, model: TopologyModel): Finding[] {
    const regions = new Set(voters(cluster).map(voter => voter.host.region));
    if (regions.size !== 1) return [];
    const [home] = regions;
    const remote = new Set<string>();
    for (const service of model.services) {
        if (service.database !== cluster) continue;
        for (const node of service.nodes) if (node.region !== home) remote.add(node.region.name);
    }
    if (remote.size === 0) return [];
    const names = [...remote].sort();
    const all = voters(cluster);
    return [
        findingAt(
            'galera-region-spof',
            cluster,
            `galera '${cluster.name}' has all ${all.length} voters (weight ${totalWeight(all)}) in region ${home.name}, but services in ${names.length} other region${names.length > 1 ? 's' : ''} ` +
                `(${names.join(', ')}) depend on it: losing ${home.name} stops them too`,
            { region: home.name, dependentRegions: names }
        )
    ];
}

function arbitrators(cluster: Galera): Finding[] {
    const dataHosts = new Set(cluster.members.map(member => member.host));
    const dataRegions = new Set(cluster.members.map(member => member.host.region));
    return cluster.arbitrators.flatMap(arbitrator => {
        const host = arbitrator.host;
        let why: string | undefined;
        const sameRegion = cluster.members.filter(member => member.host.region === host.region);
        if (dataHosts.has(host))
            why = `runs on data node ${host.name}: its vote (weight ${arbitrator.weight}) fails together with that node's`;
        else if (dataRegions.size > 1 && dataRegions.has(host.region)) {
            why =
                `sits in region ${host.region.name} with ${sameRegion.length} data node${sameRegion.length > 1 ? 's' : ''}: losing the region takes weight ` +
                `${arbitrator.weight + sameRegion.reduce((sum, member) => sum + member.weight, 0)} at once, so it cannot break a tie between regions`;
        }
        return why
            ? [
                  findingAt(
                      'galera-arbitrator',
                      cluster,
                      `garbd on ${host.name} in galera '${cluster.name}' ${why}`,
                      { host: host.name, region: host.region.name },
                      { range: arbitrator.source }
                  )
              ]
            : [];
    });
}

const MYSQL_PORT = 3306;

function unsafeOptions(cluster: Galera): Finding[] {
    return ['pc.ignore_sb', 'pc.ignore_quorum'].flatMap(name => {
        const value = providerOption(cluster, name);
        if (value === undefined || !TRUE_VALUES.has(value.toLowerCase())) return [];
        const why =
            name === 'pc.ignore_sb'
                ? 'lets both sides of a split brain accept writes: the data diverges for good'
                : 'ignores quorum altogether: a minority keeps writing and replicas do not reconnect by themselves';
        return [
            findingAt('galera-unsafe-option', cluster, `galera '${cluster.name}' sets ${name}=${value}, which ${why}`, {
                option: name,
                value
            })
        ];
    });
}

/** WAN recommendations of [G-WAN] for the evs timeouts that decide when a peer is declared dead. */
export const WAN_TIMEOUTS: Record<string, string> = {
    'evs.suspect_timeout': 'PT30S',
    'evs.inactive_timeout': 'PT1M',
    'evs.keepalive_period': 'PT3S',
    'evs.install_timeout': 'PT1M'
};
/** Their LAN defaults [G-PAR]: a value at or below these is no WAN setting. */
export const LAN_DEFAULTS: Record<string, number> = {
    'evs.suspect_timeout': 5,
    'evs.inactive_timeout': 15,
    'evs.keepalive_period': 1,
    'evs.install_timeout': 7.5
};

function wanSettings(cluster: Galera): Finding[] {
    const regions = new Set(voters(cluster).map(voter => voter.host.region.name));
    if (regions.size < 2) return [];
    const missing: string[] = [];
    const segment = segmentOf(cluster);
    const segmented = [...cluster.members, ...cluster.arbitrators].some(member => segment(member).written);
    const shared = sharedSegments(cluster);
    if (!segmented) missing.push('no gmcast.segment per region (write `segments by region`)');
    else if (shared.size > 0) {
        const clashes = [...shared].map(
            ([number, names]) => `regions ${names.join(', ')} share gmcast.segment ${number}`
        );
        missing.push(`${clashes.join('; ')}: each region needs its own segment (write \`segments by region\`)`);
    }
    const defaults = Object.keys(WAN_TIMEOUTS).filter(name => {
        const written = providerOption(cluster, name);
        const seconds = written === undefined ? undefined : isoSeconds(written);
        return seconds === undefined || seconds <= LAN_DEFAULTS[name];
    });
    if (defaults.length > 0)
        missing.push(
            `${defaults.join(', ')} at LAN defaults (WAN: ${defaults.map(name => `${name}=${WAN_TIMEOUTS[name]}`).join(', ')})`
        );
    if (missing.length === 0) return [];
    return [
        findingAt(
            'galera-wan-settings',
            cluster,
            `galera '${cluster.name}' spans ${regions.size} regions with LAN settings: ${missing.join('; ')}`,
            {
                regions: [...regions].sort(),
                defaults,
                segmented,
                sharedSegments: [...shared].map(([number, names]) => `${number}: ${names.join(', ')}`)
            }
        )
    ];
}

function dirtyReads(cluster: Galera): Finding[] {
    const dirty = cluster.options.get('wsrep_dirty_reads');
    const syncWait = cluster.options.get('wsrep_sync_wait');
    if (!dirty || !TRUE_VALUES.has(dirty.toLowerCase()) || syncWait === undefined || Number(syncWait) === 0) return [];
    return [
        findingAt(
            'galera-dirty-reads',
            cluster,
            `galera '${cluster.name}' sets wsrep_dirty_reads=${dirty} with wsrep_sync_wait=${syncWait}: dirty reads need wsrep_sync_wait=0`,
            { wsrep_dirty_reads: dirty, wsrep_sync_wait: syncWait }
        )
    ];
}

function multiWriter(cluster: Galera, model: TopologyModel): Finding[] {
    const members = new Set(cluster.members.map(member => member.host));
    const findings: Finding[] = [];
    for (const haproxy of model.haproxies) {
        for (const backend of haproxy.backends) {
            // Only the database port carries writes; a keystone backend on the same controllers does not.
            const writers = backend.servers.filter(
                server => members.has(server.host) && server.port === MYSQL_PORT && !server.backup
            );
            if (writers.length < 2) continue;
            findings.push(
                findingAt(
                    'galera-multi-writer',
                    backend,
                    `haproxy '${haproxy.name}' backend '${backend.name}' sends writes to ${writers.length} members of galera '${cluster.name}' ` +
                        `(${writers.map(server => server.host.name).join(', ')}): SELECT … FOR UPDATE deadlocks; keep one active and mark the others backup`,
                    { haproxy: haproxy.name, cluster: cluster.name, writers: writers.map(server => server.host.name) }
                )
            );
        }
    }
    return findings;
}
