// RabbitMQ cluster size ([RMQ-CL]): an odd number of at least three nodes, so a partition has a
// majority. A cluster across regions: "clustering is meant to be used across LAN. It is not
// recommended to run clusters that span WAN" ([RMQ-CL] #clustering-dealing-with-failure); the Kolla
// spec: mirrored queues "will not cope seamlessly with network partitions" and are "not recommended
// for use across a WAN". Quorum queues keep working on a majority side, but the cluster is still
// one Erlang cluster over the WAN; Shovel or Federation join brokers across regions.

import type { RabbitMQ, TopologyModel } from '../model/model.js';
import type { Finding } from './finding.js';
import { findingAt } from './finding-factory.js';

export function checkRabbitMQ(model: TopologyModel): Finding[] {
    return [...model.rabbitmqs.flatMap(size), ...model.rabbitmqs.flatMap(acrossWan)];
}

function acrossWan(cluster: RabbitMQ): Finding[] {
    const regions = [...new Set(cluster.members.map(host => host.region.name))];
    if (regions.length < 2) return [];
    const queues =
        cluster.queueType === 'quorum'
            ? 'quorum queues keep only the majority side working'
            : cluster.queueType === 'mirrored'
              ? 'classic mirrored queues do not cope with partitions (and are gone in RabbitMQ 4.0)'
              : 'its queues see every partition between the regions';
    return [
        findingAt(
            'rabbitmq-wan',
            cluster,
            `rabbitmq '${cluster.name}' spans ${regions.length} regions (${regions.join(', ')}): clustering is meant for a LAN and a WAN partition splits it; ${queues}. Run one cluster per region and join them with Shovel or Federation`,
            { regions, ...(cluster.queueType ? { queueType: cluster.queueType } : {}) }
        )
    ];
}

function size(cluster: RabbitMQ): Finding[] {
    const count = cluster.members.length;
    if (count >= 3 && count % 2 === 1) return [];
    const why =
        count < 3
            ? 'fewer than 3: losing one node leaves no majority'
            : 'an even count: an even split leaves no majority';
    return [
        findingAt('rabbitmq-min-members', cluster, `rabbitmq '${cluster.name}' has ${count} members, ${why}`, {
            members: count
        })
    ];
}
