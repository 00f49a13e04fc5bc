// DNS names and blue/green: DNS points at the live colour; the standby set is reached only from
// the control plane for tests (Rackspace's story). A name that sends clients to a standby VIP
// sends production traffic to the untested set.

import type { TopologyModel } from '../model/model.js';
import type { Finding } from './finding.js';
import { findingAt } from './finding-factory.js';
import { isStandbyVip } from './standby.js';

export function checkDns(model: TopologyModel): Finding[] {
    return model.dnsNames.flatMap(dns =>
        dns.targets
            .filter(vip => isStandbyVip(vip, model))
            .map(vip =>
                findingAt(
                    'dns-standby',
                    dns,
                    `dns '${dns.name}' sends clients to vip '${vip.name}' (${vip.address}), which is standby: only tests should reach it (${dns.targets.length} address${dns.targets.length === 1 ? '' : 'es'} in the name)`,
                    { vip: vip.name }
                )
            )
    );
}
