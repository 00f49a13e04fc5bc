// One typo, one error: while a syntax error cuts an element short (model.ts `incomplete`), the
// rules do not judge it, nor anything that depends on it (a service on a half-parsed cluster),
// nor the topology's totals when a service is affected. The syntax error itself is reported by
// the parser; everything else waits until the text parses.

import type * as m from '../model/model.js';
import type { ModelElement, TopologyModel } from '../model/model.js';
import type { Finding } from './finding.js';

export function withoutCutShort(model: TopologyModel, findings: Finding[]): Finding[] {
    const cutShort = [...model.elements.values()].filter(element => element.incomplete);
    if (cutShort.length === 0) return findings;
    const affected = affectedElements();
    const totalsAffected = model.services.some(service => affected(service));
    return findings.filter(finding => {
        const element = finding.element && (finding.element.owner ?? finding.element);
        if (!element || element.kind === 'topology') return !totalsAffected;
        return !affected(element);
    });
}

/** Whether an element is cut short or depends, directly or not, on one that is. */
function affectedElements(): (element: ModelElement) => boolean {
    const memo = new Map<ModelElement, boolean>();
    const visit = (element: ModelElement): boolean => {
        const known = memo.get(element);
        if (known !== undefined) return known;
        memo.set(element, false); // a cycle (a VIP and its Pacemaker cluster) is not a dependency
        const result = element.incomplete === true || dependencies(element).some(visit);
        memo.set(element, result);
        return result;
    };
    return visit;
}

/** What an element's findings are computed from. */
function dependencies(element: ModelElement): ModelElement[] {
    switch (element.kind) {
        case 'service': {
            const service = element as m.Service;
            return [
                ...service.nodes,
                ...service.frontends,
                ...service.caches,
                ...[service.database, service.databaseVip, service.queue, service.hsm].filter(e => e !== undefined)
            ];
        }
        case 'galera': {
            const cluster = element as m.Galera;
            return [...cluster.members, ...cluster.arbitrators].map(member => member.host);
        }
        case 'rabbitmq':
            return (element as m.RabbitMQ).members;
        case 'memcached':
            return (element as m.Memcached).servers;
        case 'vip': {
            const vip = element as m.Vip;
            return [...vip.members.map(member => member.host), ...(vip.pacemaker ? [vip.pacemaker] : [])];
        }
        case 'haproxy': {
            const haproxy = element as m.HAProxy;
            return [
                ...haproxy.nodes,
                ...haproxy.frontends.flatMap(frontend => [frontend, frontend.vip]),
                ...haproxy.backends.flatMap(backend => [backend, ...backend.servers.map(server => server.host)])
            ];
        }
        case 'hsm':
            return (element as m.HsmGroup).members;
        case 'link': {
            const link = element as m.Link;
            return [link.from, link.to, ...link.vpnEndpoints];
        }
        case 'firewall': {
            const firewall = element as m.Firewall;
            return [firewall.protects, ...firewall.devices];
        }
        case 'dns':
            return (element as m.Dns).targets;
        case 'pacemaker': {
            const cluster = element as m.Pacemaker;
            return [...cluster.nodes, ...cluster.clones, ...cluster.activePassive];
        }
        default:
            return [];
    }
}
