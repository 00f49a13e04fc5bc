// Every default the model applies where the .hatopo file is silent, and every well-known port, with
// its source (DOMAIN.md). Rules, hovers and exporters read them from here, never restate them.

import type { Trust } from './model.js';

/** Well-known ports and protocol numbers (DOMAIN.md §2). */
export const PORTS = {
    mysql: 3306, // MySQL/MariaDB clients and mysqldump SST [G-FW]
    galeraReplication: 4567, // [G-FW]
    galeraIst: 4568, // ist.recv_addr [G-FW]
    galeraSst: 4444, // rsync, mariabackup, xtrabackup SST [M-CFG]
    clustercheck: 9200, // Galera health over HTTP, the HA guide's convention [HA-NEW]
    amqp: 5672, // [RMQ-NET]
    rabbitmqDistribution: 25672, // inter-node and CLI [RMQ-NET]
    epmd: 4369, // [RMQ-NET]
    memcached: 11211, // [MC-156]
    lunaNtls: 1792, // Luna network trust link
    kmip: 5696, // [BARB-KMIP]
    ssh: 22,
    haproxyStats: 1936, // OpenStack-Ansible's stats port [OSA-HAP]
    corosync: 5405, // mcastport, the knet/UDP transport [COROSYNC]
    pcsd: 2224, // [FWD-HA]
    vrrp: 112 // IP protocol number, not a port [KA-H]
} as const;

/** Defaults of the programs themselves, used where the model is silent. */
export const DEFAULTS = {
    trust: 'internal' as Trust,
    galeraWeight: 1, // pc.weight [G-PAR]
    galeraSegment: 0, // gmcast.segment [G-PAR]
    sst: 'rsync', // wsrep_sst_method [G-OPT]
    memcachedPort: PORTS.memcached,
    interface: 'eth0', // a host's NIC when it names none: keepalived's interface (docs/export.md)
    vrrpPriority: 100, // priority [KA-MAN]
    advertSeconds: 1, // advert_int [KA-MAN]
    bufsize: 16384, // tune.bufsize [HAP-DOC]
    maxrewrite: 1024, // tune.maxrewrite [HAP-DOC]
    tokenExpiration: 3600, // [token] expiration [KS-CONF]
    allowExpiredWindow: 172800, // [token] allow_expired_window [KS-CONF]
    maxActiveKeys: 3, // [fernet_tokens] max_active_keys [KS-CONF]
    hsmPort: PORTS.lunaNtls,
    queueType: 'quorum' as 'quorum' | 'classic' | 'mirrored', // quorum queues replace mirrored ones [RMQ-QQ]
    clustercheckPort: PORTS.clustercheck, // [HA-NEW], OSA galera_monitoring_check_port
    managementPorts: [PORTS.ssh],
    certificateDir: '/etc/haproxy/certs', // where a frontend's PEM is read when `tls` names none
    interfaces: ['public', 'internal', 'admin'],
    /** A host's availability when the model does not give one: 99.9 % (an assumption, UNSOURCED). */
    hostAvailability: 0.999
};
