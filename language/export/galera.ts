// galera.cnf per data node and garbd.conf per arbitrator, after Kolla-Ansible's galera.cnf.j2 and
// OpenStack-Ansible's galera_server role (docs/export.md lists every setting and its source): the
// cluster address from the members, node, IST and SST addresses, gcache, InnoDB settings, and one
// wsrep_provider_options merging the defaults with gmcast.segment, pc.weight and the modelled
// provider options (DOMAIN.md §1, [G-PAR], [M-CFG]). A modelled option replaces the default of the
// same name rather than adding a second line.

import type { Galera, GaleraMember, TopologyModel } from '../model/model.js';
import { header, hostFolder, secret, type ExportFile } from './export-file.js';

/** Debian's galera-4 package. */
const PROVIDER = '/usr/lib/galera/libgalera_smm.so';
/** OpenStack-Ansible's galera_gcache_size: IST instead of a full SST after longer outages. */
const GCACHE_SIZE = '1024M';

export function exportGalera(model: TopologyModel): ExportFile[] {
    return model.galeras.flatMap(cluster => {
        const segments = segmentOf(cluster);
        return [
            ...cluster.members.map(member => ({
                path: `${hostFolder(member.host.name)}/galera.cnf`,
                content: galeraConfig(cluster, member, segments(member))
            })),
            ...cluster.arbitrators.map(member => ({
                path: `${hostFolder(member.host.name)}/garbd.conf`,
                content: garbdConfig(cluster, member, segments(member))
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

/** Defaults first, then the model's segment and weight, then the written options: the last name wins. */
function providerOptions(
    cluster: Galera,
    member: GaleraMember,
    segment: number | undefined,
    defaults: Array<[string, string]>
): string {
    const options = new Map<string, string>(defaults);
    if (segment !== undefined) options.set('gmcast.segment', String(segment));
    if (member.weight !== 1) options.set('pc.weight', String(member.weight));
    for (const [name, value] of cluster.options) if (name.includes('.')) options.set(name, value);
    for (const part of (cluster.options.get('wsrep_provider_options') ?? '').split(';')) {
        const [name, ...value] = part.split('=');
        if (name.trim()) options.set(name.trim(), value.join('=').trim());
    }
    return [...options].map(([name, value]) => `${name}=${value}`).join(';');
}

function galeraConfig(cluster: Galera, member: GaleraMember, segment: number | undefined): string {
    const address = member.host.address;
    const addresses = [...cluster.members, ...cluster.arbitrators].map(m => m.host.address);
    const provider = providerOptions(cluster, member, segment, [
        ['gcache.size', GCACHE_SIZE],
        ['gmcast.listen_addr', `tcp://${address}:4567`],
        ['ist.recv_addr', `${address}:4568`]
    ]);
    const server = new Map<string, string>([
        ['bind-address', address],
        ['port', '3306'],
        ['skip-name-resolve', '1'],
        ['character-set-server', 'utf8'],
        ['collation-server', 'utf8_general_ci'],
        ['binlog_format', 'ROW'],
        ['default_storage_engine', 'InnoDB'],
        ['innodb_autoinc_lock_mode', '2'],
        ['innodb_file_per_table', '1'],
        ['innodb_buffer_pool_size', '4096M'],
        ['max_connections', '1600'],
        ['max_heap_table_size', '64M'],
        ['tmp_table_size', '64M']
    ]);
    const wsrep = new Map<string, string>([
        ['wsrep_on', 'ON'],
        ['wsrep_provider', PROVIDER],
        ['wsrep_cluster_name', `"${cluster.name}"`],
        ['wsrep_cluster_address', `gcomm://${addresses.join(',')}`],
        ['wsrep_node_name', member.host.name],
        ['wsrep_node_address', address],
        ['wsrep_sst_method', cluster.sst],
        ...(cluster.sst === 'mysqldump'
            ? []
            : ([['wsrep_sst_receive_address', `${address}:4444`]] as Array<[string, string]>)),
        ...(cluster.sst === 'rsync'
            ? []
            : ([['wsrep_sst_auth', `sst:${secret('GALERA_SST_PASSWORD')}`]] as Array<[string, string]>)),
        ['wsrep_slave_threads', '4'],
        ['wsrep_retry_autocommit', '3'],
        ['wsrep_provider_options', `"${provider}"`]
    ]);
    // A written server variable replaces the default of the same name (- and _ are one to MariaDB).
    const key = (name: string) => name.replace(/-/g, '_');
    for (const [name, value] of cluster.options) {
        if (name.includes('.') || name === 'wsrep_provider_options') continue;
        const target = key(name).startsWith('wsrep_') ? wsrep : server;
        for (const existing of [...target.keys()]) if (key(existing) === key(name)) target.delete(existing);
        target.set(name, value);
    }
    return [
        header(
            `galera.cnf for ${member.host.name}, galera '${cluster.name}'`,
            '/etc/mysql/mariadb.conf.d/60-galera.cnf'
        ),
        '[mysqld]',
        ...[...server].map(([name, value]) => `${name} = ${value}`),
        '',
        '[galera]',
        ...[...wsrep].map(([name, value]) => `${name} = ${value}`),
        ''
    ].join('\n');
}

function garbdConfig(cluster: Galera, member: GaleraMember, segment: number | undefined): string {
    const nodes = cluster.members.map(m => `${m.host.address}:4567`).join(' ');
    const options = providerOptions(
        { ...cluster, options: new Map([...cluster.options].filter(([name]) => !name.startsWith('gcache.'))) },
        member,
        segment,
        [['gmcast.listen_addr', `tcp://${member.host.address}:4567`]]
    );
    return [
        header(
            `garbd.conf for ${member.host.name}, arbitrator of galera '${cluster.name}'`,
            '/etc/default/garb (Debian galera-arbitrator-4)'
        ),
        `GALERA_NODES="${nodes}"`,
        `GALERA_GROUP="${cluster.name}"`,
        `GALERA_OPTIONS="${options}"`,
        'LOG_FILE="/var/log/garbd.log"',
        ''
    ].join('\n');
}
