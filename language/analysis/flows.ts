// The flows a topology needs (LANGUAGE.md, "Flows"; ports from DOMAIN.md §2), each with its purpose
// and the element that needs it, so a blocked flow can be reported where it comes from.

import type { Host, ModelElement, TopologyModel } from '../model/model.js';
import { PORTS } from '../model/defaults.js';
import { vipHolders } from './load-balancers.js';

export type Protocol = 'tcp' | 'udp' | 'ip';

export interface Flow {
    from: Host;
    to: Host;
    protocol: Protocol;
    /** The port, or the IP protocol number when protocol is 'ip'. */
    port: number;
    purpose: string;
    /** The element whose configuration needs the flow. */
    owner: ModelElement;
}

/** Ports a program listens on, by the element that makes it listen. */
export interface Listener {
    host: Host;
    port: number;
    protocol: Protocol;
    purpose: string;
    owner: ModelElement;
    /** Database, replication, cache and broker internals: never for an untrusted network. */
    sensitive: boolean;
}

export const VRRP_PROTOCOL = 112;

export function galeraPorts(sst: string): Array<{ port: number; purpose: string }> {
    return [
        { port: 4567, purpose: 'Galera replication' },
        { port: 4568, purpose: 'Galera IST' },
        sst === 'mysqldump'
            ? { port: 3306, purpose: 'Galera SST (mysqldump)' }
            : { port: 4444, purpose: `Galera SST (${sst})` }
    ];
}

export function deriveFlows(model: TopologyModel): Flow[] {
    const flows: Flow[] = [];
    forEachFlow(model, flow => flows.push(flow));
    return flows;
}

/**
 * The flows of deriveFlows, in the same order, one at a time: a rule that only looks at each flow
 * does not hold them all (300,000 at 20,000 hosts, 40 MB that would outlive the rule).
 */
export function forEachFlow(model: TopologyModel, visit: (flow: Flow) => void): void {
    const add = (from: Host, to: Host, protocol: Protocol, port: number, purpose: string, owner: ModelElement) => {
        if (from !== to) visit({ from, to, protocol, port, purpose, owner });
    };
    for (const cluster of model.galeras) {
        // garbd joins group communication only: it keeps no state, so no IST or SST reaches it [G-ARB].
        const voters = [...cluster.members, ...cluster.arbitrators].map(member => member.host);
        const dataNodes = cluster.members.map(member => member.host);
        for (const from of voters) for (const to of voters) add(from, to, 'tcp', 4567, 'Galera replication', cluster);
        const transfers = galeraPorts(cluster.sst).filter(({ port }) => port !== 4567);
        for (const from of dataNodes)
            for (const to of dataNodes)
                for (const { port, purpose } of transfers) add(from, to, 'tcp', port, purpose, cluster);
    }
    for (const cluster of model.rabbitmqs) {
        for (const from of cluster.members)
            for (const to of cluster.members) {
                add(from, to, 'tcp', 25672, 'RabbitMQ inter-node', cluster);
                add(from, to, 'tcp', 4369, 'RabbitMQ epmd', cluster);
            }
    }
    // Corosync's knet/UDP transport on mcastport 5405 and pcsd on 2224 between the nodes [COROSYNC], [FWD-HA].
    for (const cluster of model.pacemakers) {
        for (const from of cluster.nodes)
            for (const to of cluster.nodes) {
                add(from, to, 'udp', PORTS.corosync, `corosync of pacemaker ${cluster.name}`, cluster);
                add(from, to, 'tcp', PORTS.pcsd, `pcsd of pacemaker ${cluster.name}`, cluster);
            }
    }
    for (const vip of model.vips) {
        for (const a of vip.members)
            for (const b of vip.members) add(a.host, b.host, 'ip', VRRP_PROTOCOL, `VRRP of vip ${vip.name}`, vip);
    }
    for (const haproxy of model.haproxies) {
        for (const backend of haproxy.backends) {
            for (const node of haproxy.nodes)
                for (const server of backend.servers) {
                    add(
                        node,
                        server.host,
                        'tcp',
                        server.port,
                        `haproxy ${haproxy.name} → backend ${backend.name}`,
                        backend
                    );
                }
        }
    }
    for (const service of model.services) {
        const database = service.database;
        if (database) {
            // Through the database VIP the API nodes talk to whichever haproxy holds it.
            const targets = service.databaseVip
                ? vipHolders(service.databaseVip)
                : database.members.map(member => member.host);
            for (const node of service.nodes)
                for (const target of targets)
                    add(node, target, 'tcp', 3306, `${service.name} → database ${database.name}`, service);
        }
        for (const cache of service.caches) {
            for (const node of service.nodes)
                for (const server of cache.servers)
                    add(node, server, 'tcp', cache.port, `${service.name} → memcached ${cache.name}`, service);
        }
        if (service.queue) {
            for (const node of service.nodes)
                for (const member of service.queue.members)
                    add(node, member, 'tcp', 5672, `${service.name} → rabbitmq ${service.queue.name}`, service);
        }
        if (service.hsm) {
            for (const node of service.nodes)
                for (const member of service.hsm.members)
                    add(node, member, 'tcp', service.hsm.port, `${service.name} → hsm ${service.hsm.name}`, service);
        }
    }
}

export function deriveListeners(model: TopologyModel): Listener[] {
    const listeners: Listener[] = [];
    for (const cluster of model.galeras) {
        for (const member of cluster.members) {
            listeners.push({
                host: member.host,
                port: 3306,
                protocol: 'tcp',
                purpose: `MariaDB of galera ${cluster.name}`,
                owner: cluster,
                sensitive: true
            });
            for (const { port, purpose } of galeraPorts(cluster.sst))
                if (port !== 3306)
                    listeners.push({
                        host: member.host,
                        port,
                        protocol: 'tcp',
                        purpose,
                        owner: cluster,
                        sensitive: true
                    });
        }
        for (const arbitrator of cluster.arbitrators)
            listeners.push({
                host: arbitrator.host,
                port: 4567,
                protocol: 'tcp',
                purpose: `garbd of galera ${cluster.name}`,
                owner: cluster,
                sensitive: true
            });
    }
    for (const cluster of model.rabbitmqs) {
        for (const member of cluster.members) {
            listeners.push({
                host: member,
                port: 5672,
                protocol: 'tcp',
                purpose: `RabbitMQ AMQP of ${cluster.name}`,
                owner: cluster,
                sensitive: false
            });
            listeners.push({
                host: member,
                port: 25672,
                protocol: 'tcp',
                purpose: `RabbitMQ inter-node of ${cluster.name}`,
                owner: cluster,
                sensitive: true
            });
            listeners.push({
                host: member,
                port: 4369,
                protocol: 'tcp',
                purpose: 'RabbitMQ epmd',
                owner: cluster,
                sensitive: true
            });
        }
    }
    for (const pool of model.memcacheds) {
        for (const server of pool.servers)
            listeners.push({
                host: server,
                port: pool.port,
                protocol: 'tcp',
                purpose: `memcached ${pool.name}`,
                owner: pool,
                sensitive: true
            });
    }
    for (const service of model.services) {
        const port = service.port;
        if (port === undefined) continue; // a worker such as cinder-volume listens on no API port
        for (const node of service.nodes)
            listeners.push({
                host: node,
                port,
                protocol: 'tcp',
                purpose: `${service.name} API`,
                owner: service,
                sensitive: false
            });
    }
    return listeners;
}
