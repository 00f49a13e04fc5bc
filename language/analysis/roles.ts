// What a host does in the topology, by membership: one list that the hover, the diagram and the
// export's inventory read.

import type { Host, ModelElement, TopologyModel } from '../model/model.js';

export interface Role {
    /** What the host is to that element: 'galera member', 'garbd', 'VRRP backup', 'API node' … */
    role: string;
    element: ModelElement;
    /** Figures that go with the role: weight, priority, … */
    detail?: string;
}

export function rolesOf(host: Host, model: TopologyModel): Role[] {
    return rolesByHost(model).get(host) ?? [];
}

/** Every host's roles at once: linear in the model, for the diagram and the inventory. */
export function rolesByHost(model: TopologyModel): Map<Host, Role[]> {
    const roles = new Map<Host, Role[]>();
    const add = (host: Host, role: Role) => {
        const list = roles.get(host);
        if (list) list.push(role);
        else roles.set(host, [role]);
    };
    for (const cluster of model.galeras) {
        for (const member of cluster.members) {
            add(member.host, {
                role: 'galera member',
                element: cluster,
                detail: member.weight !== 1 ? `weight ${member.weight}` : undefined
            });
        }
        for (const arbitrator of cluster.arbitrators) add(arbitrator.host, { role: 'garbd', element: cluster });
    }
    for (const cluster of model.rabbitmqs)
        for (const host of cluster.members) add(host, { role: 'rabbitmq node', element: cluster });
    for (const pool of model.memcacheds)
        for (const host of pool.servers) add(host, { role: 'memcached', element: pool });
    for (const vip of model.vips) {
        for (const member of vip.members) {
            add(member.host, { role: `VRRP ${member.state}`, element: vip, detail: `priority ${member.priority}` });
        }
    }
    for (const haproxy of model.haproxies)
        for (const host of haproxy.nodes) add(host, { role: 'haproxy', element: haproxy });
    for (const service of model.services)
        for (const host of service.nodes) add(host, { role: 'API node', element: service });
    for (const hsm of model.hsms) for (const host of hsm.members) add(host, { role: 'HSM', element: hsm });
    for (const cluster of model.pacemakers)
        for (const host of cluster.nodes) add(host, { role: 'pacemaker node', element: cluster });
    for (const firewall of model.firewalls)
        for (const host of firewall.devices) add(host, { role: 'firewall device', element: firewall });
    for (const link of model.links)
        for (const host of link.vpnEndpoints) add(host, { role: 'VPN gateway', element: link });
    return roles;
}

/** `galera member of keystone-db (weight 2)`. */
export function describeRole({ role, element, detail }: Role): string {
    return `${role} of ${element.kind} ${element.name}${detail ? ` (${detail})` : ''}`;
}
