// RabbitMQ cluster size ([RMQ-CL]): an odd number of at least three nodes, so a partition has a majority.

import type { TopologyModel } from '../model/model.js';
import type { Finding } from './finding.js';
import { findingAt } from './finding-factory.js';

export function checkRabbitMQ(model: TopologyModel): Finding[] {
    return model.rabbitmqs.flatMap(cluster => {
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
    });
}
