// Model consistency: names, addresses and subnets. Cheap, linear checks over the whole topology
// (the file and everything it imports).

import { subnetContains } from '../model/addresses.js';
import { namedElements, type ModelElement, type TopologyModel } from '../model/model.js';
import type { Finding } from './finding.js';
import { findingAt as finding } from './finding-factory.js';

export function checkConsistency(model: TopologyModel): Finding[] {
    return [...duplicateNames(model), ...duplicateAddresses(model), ...addressesOutsideSubnets(model)];
}

function duplicateNames(model: TopologyModel): Finding[] {
    const findings: Finding[] = [];
    const report = (elements: Iterable<ModelElement>, scope: string) => {
        const first = new Map<string, ModelElement>();
        for (const element of elements) {
            const earlier = first.get(element.name);
            if (!earlier) {
                first.set(element.name, element);
                continue;
            }
            findings.push(
                finding(
                    'duplicate-name',
                    element,
                    `${element.kind} '${element.name}' has the name of ${earlier.kind} '${earlier.name}' at ${where(earlier)}${scope}`,
                    { firstAt: earlier.nameSource }
                )
            );
        }
    };
    report(namedElements(model), '');
    // Frontends and backends are named within their haproxy, each kind on its own (as in haproxy.cfg,
    // where `frontend api` and `backend api` go together).
    for (const haproxy of model.haproxies) {
        report(haproxy.frontends, ` in haproxy '${haproxy.name}'`);
        report(haproxy.backends, ` in haproxy '${haproxy.name}'`);
    }
    return findings;
}

function duplicateAddresses(model: TopologyModel): Finding[] {
    const findings: Finding[] = [];
    const owners = new Map<number, ModelElement & { address: string }>();
    for (const element of [...model.hosts, ...model.vips]) {
        if (element.addressValue === undefined) continue;
        const earlier = owners.get(element.addressValue);
        if (!earlier) {
            owners.set(element.addressValue, element);
            continue;
        }
        findings.push(
            finding(
                'duplicate-address',
                element,
                `${element.kind} '${element.name}' has address ${element.address}, already used by ${earlier.kind} '${earlier.name}' at ${where(earlier)}`,
                { address: element.address, other: earlier.name }
            )
        );
    }
    return findings;
}

function addressesOutsideSubnets(model: TopologyModel): Finding[] {
    const findings: Finding[] = [];
    for (const host of model.hosts) {
        if (host.addressValue === undefined) continue;
        // The closest enclosing subnet decides: the zone's, else the region's.
        const owner = host.zone?.subnet ? host.zone : host.region.subnet ? host.region : undefined;
        const subnet = owner?.subnet;
        if (!owner || !subnet || subnetContains(subnet, host.addressValue)) continue;
        findings.push(
            finding(
                'address-outside-subnet',
                host,
                `host '${host.name}' has address ${host.address}, outside ${owner.kind} '${owner.name}' subnet ${subnet.text}`,
                { address: host.address, subnet: subnet.text, owner: owner.name }
            )
        );
    }
    for (const zone of model.zones) {
        const regionSubnet = zone.region.subnet;
        if (!zone.subnet || !regionSubnet) continue;
        const inside = zone.subnet.prefix >= regionSubnet.prefix && subnetContains(regionSubnet, zone.subnet.base);
        if (!inside) {
            findings.push(
                finding(
                    'address-outside-subnet',
                    zone,
                    `zone '${zone.name}' subnet ${zone.subnet.text} is not inside region '${zone.region.name}' subnet ${regionSubnet.text}`,
                    { subnet: zone.subnet.text, regionSubnet: regionSubnet.text }
                )
            );
        }
    }
    return findings;
}

/** "line 12" in the same file, "other.hatopo:12" across files: short enough for a message. */
function where(element: ModelElement): string {
    const file = element.nameSource.uri.split('/').pop();
    return `${file}:${element.nameSource.start.line + 1}`;
}
