// Which holders of a VIP can really serve it. keepalived moves the address to any member of the
// VRRP group, but only a member that runs a haproxy with a frontend on that VIP answers on it:
// a VIP that fails over to a host without haproxy is an outage, not a failover. A VIP no haproxy
// binds (clients reach the holders directly) is served by all its holders.

import type { Host, TopologyModel, Vip } from '../model/model.js';

export interface VipServers {
    vip: Vip;
    /** Holders that answer on the VIP. */
    serving: Host[];
    /** Holders that can take the address but serve nothing there. */
    idle: Host[];
}

/** The hosts that can hold a VIP: its VRRP members, or the nodes of the Pacemaker cluster that runs it. */
export function vipHolders(vip: Vip): Host[] {
    return vip.pacemaker ? vip.pacemaker.nodes : vip.members.map(member => member.host);
}

export function vipServers(vip: Vip, model: TopologyModel): VipServers {
    const proxies = model.haproxies.filter(haproxy => haproxy.frontends.some(frontend => frontend.vip === vip));
    const holders = vipHolders(vip);
    if (proxies.length === 0) return { vip, serving: holders, idle: [] };
    const running = new Set(proxies.flatMap(haproxy => haproxy.nodes));
    return {
        vip,
        serving: holders.filter(host => running.has(host)),
        idle: holders.filter(host => !running.has(host))
    };
}
