// The devices a service's traffic crosses: the links (a VPN tunnel) and firewalls (an F5 pair)
// on the flows its API nodes need (database, cache, queue, HSM). Their availability is in series
// with the service's, and a link's capacity bounds its throughput. Clients' traffic to the VIPs
// starts outside the model and is not counted.

import type { Firewall, Link, ModelElement, Service, TopologyModel } from '../model/model.js';
import { deriveFlows, type Flow } from './flows.js';
import { contains, joins } from './reachability.js';

export interface Crossings {
    links: Link[];
    firewalls: Firewall[];
}

const flowsByOwner = new WeakMap<TopologyModel, Map<ModelElement, Flow[]>>();

function flowsOf(owner: ModelElement, model: TopologyModel): Flow[] {
    let byOwner = flowsByOwner.get(model);
    if (!byOwner) {
        byOwner = new Map();
        for (const flow of deriveFlows(model)) byOwner.set(flow.owner, [...(byOwner.get(flow.owner) ?? []), flow]);
        flowsByOwner.set(model, byOwner);
    }
    return byOwner.get(owner) ?? [];
}

/** The links and firewalls among `candidates` that a service's own flows cross. */
export function crossingsOf(service: Service, model: TopologyModel, candidates: Crossings): Crossings {
    if (candidates.links.length === 0 && candidates.firewalls.length === 0) return { links: [], firewalls: [] };
    const flows = flowsOf(service, model);
    return {
        links: candidates.links.filter(link => flows.some(flow => joins(link, flow.from, flow.to))),
        firewalls: candidates.firewalls.filter(firewall =>
            flows.some(flow => contains(firewall.protects, flow.to) && !contains(firewall.protects, flow.from))
        )
    };
}
