// Blue/green (Rackspace's story): only one colour takes production traffic, through DNS; the other
// set serves tests from the control plane and is kept for rollback. A standby set is still checked
// (VRRP, ports, header budgets), but it does not count in the sums that describe production:
// throughput, capacity and availability.
// - a VIP is standby when it says so, or when every haproxy that binds it is standby;
// - a service is standby when it says so, or when every VIP in front of it is standby.

import type { Service, TopologyModel, Vip } from '../model/model.js';

export function isStandbyVip(vip: Vip, model: TopologyModel): boolean {
    if (vip.standby) return true;
    const binders = model.haproxies.filter(haproxy => haproxy.frontends.some(frontend => frontend.vip === vip));
    return binders.length > 0 && binders.every(haproxy => haproxy.standby);
}

export function isStandbyService(service: Service, model: TopologyModel): boolean {
    if (service.standby) return true;
    return service.frontends.length > 0 && service.frontends.every(vip => isStandbyVip(vip, model));
}

/** The services production traffic reaches. */
export function liveServices(model: TopologyModel): Service[] {
    return model.services.filter(service => !isStandbyService(service, model));
}
