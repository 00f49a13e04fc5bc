// galera.cnf per data node and garbd.conf per arbitrator: cluster address from the members, node
// address, SST method, gmcast.segment per region, pc.weight, the modelled wsrep and evs options
// (DOMAIN.md §1, [G-PAR], [M-CFG]).

import type { Galera, GaleraMember, TopologyModel } from '../model/model.js';
import { header, hostFolder, secret, type ExportFile } from './export-file.js';

/** Debian's galera-4 package. */
const PROVIDER = '/usr/lib/galera/libgalera_smm.so';

export function exportGalera(model: TopologyModel): ExportFile[] {
    return model.galeras.flatMap(cluster => {
        const segments = segmentOf(cluster);
        return [
            ...cluster.members.map(member => ({
                path: `${hostFolder(member.host.name)}/galera.cnf`,
                content: galeraConfig(cluster, member, segments)
            })),
            ...cluster.arbitrators.map(member => ({
                path: `${hostFolder(member.host.name)}/garbd.conf`,
                content: garbdConfig(cluster, member, segments)
            }))
        ];
    });
}

/** The segment of each member: written, else one per region with `segments by region`. */
function segmentOf(cluster: Galera): (member: GaleraMember) => number | undefined {
    const regions = [
        ...new Set([...cluster.members, ...cluster.arbitrators].map(member => member.host.region.name))
    ].sort();
    return member => member.segment ?? (cluster.segmentByRegion ? regions.indexOf(member.host.region.name) : undefined);
}

/** Options written with a dot are provider options; the rest are server variables. */
function providerOptions(cluster: Galera, member: GaleraMember, segment: number | undefined): string {
    const options: string[] = [];
    if (segment !== undefined) options.push(`gmcast.segment=${segment}`);
    if (member.weight !== 1) options.push(`pc.weight=${member.weight}`);
    for (const [name, value] of cluster.options) if (name.includes('.')) options.push(`${name}=${value}`);
    const written = cluster.options.get('wsrep_provider_options');
    if (written)
        options.push(
            ...written
                .split(';')
                .map(part => part.trim())
                .filter(Boolean)
        );
    return options.join(';');
}

function galeraConfig(
    cluster: Galera,
    member: GaleraMember,
    segments: (member: GaleraMember) => number | undefined
): string {
    const addresses = [...cluster.members, ...cluster.arbitrators].map(m => m.host.address);
    const provider = providerOptions(cluster, member, segments(member));
    const variables = [...cluster.options].filter(([name]) => !name.includes('.') && name !== 'wsrep_provider_options');
    return [
        header(`galera.cnf for ${member.host.name}, galera '${cluster.name}'`),
        '[mysqld]',
        `bind-address = ${member.host.address}`,
        'binlog_format = ROW',
        'default_storage_engine = InnoDB',
        'innodb_autoinc_lock_mode = 2',
        '',
        '[galera]',
        'wsrep_on = ON',
        `wsrep_provider = ${PROVIDER}`,
        `wsrep_cluster_name = ${cluster.name}`,
        `wsrep_cluster_address = gcomm://${addresses.join(',')}`,
        `wsrep_node_name = ${member.host.name}`,
        `wsrep_node_address = ${member.host.address}`,
        `wsrep_sst_method = ${cluster.sst}`,
        ...(cluster.sst === 'rsync' ? [] : [`wsrep_sst_auth = sst:${secret('GALERA_SST_PASSWORD')}`]),
        ...(provider ? [`wsrep_provider_options = "${provider}"`] : []),
        ...variables.map(([name, value]) => `${name} = ${value}`),
        ''
    ].join('\n');
}

function garbdConfig(
    cluster: Galera,
    member: GaleraMember,
    segments: (member: GaleraMember) => number | undefined
): string {
    const nodes = cluster.members.map(m => `${m.host.address}:4567`).join(' ');
    const options = [
        `gmcast.listen_addr=tcp://${member.host.address}:4567`,
        ...(segments(member) !== undefined ? [`gmcast.segment=${segments(member)}`] : []),
        ...(member.weight !== 1 ? [`pc.weight=${member.weight}`] : [])
    ];
    return [
        header(`garbd.conf for ${member.host.name}, arbitrator of galera '${cluster.name}' (/etc/default/garb)`),
        `GALERA_NODES="${nodes}"`,
        `GALERA_GROUP="${cluster.name}"`,
        `GALERA_OPTIONS="${options.join(';')}"`,
        'LOG_FILE="/var/log/garbd.log"',
        ''
    ].join('\n');
}
