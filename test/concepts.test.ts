// The stories' concepts, checked by the engine: blue/green standby sets, DNS names, devices on
// the path (firewalls, VPN tunnels), Pacemaker clusters, service modes, RabbitMQ across regions
// and environments of one design.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
    parallel,
    quorumAvailability,
    serviceAvailability,
    topologyAvailability
} from '../language/analysis/availability.js';
import { deriveFlows } from '../language/analysis/flows.js';
import { checkRabbitMQ } from '../language/analysis/rabbitmq.js';
import { whatIf } from '../language/analysis/what-if.js';
import { buildModel } from '../language/model/build-model.js';
import { DEFAULTS } from '../language/model/defaults.js';
import { check, checkFiles, rules, withRule } from './helpers.js';

const a = DEFAULTS.hostAvailability;

async function model(text: string) {
    const document = await check(text);
    return { document, model: buildModel([document]) };
}

const BLUE_GREEN = `topology bg
  target availability 99%
  target throughput 100/s
region cloud 10.20.0.0/16 {
  host g1 10.20.0.11
  host g2 10.20.0.12
  host b1 10.20.1.11
  host b2 10.20.1.12
  host ga 10.20.2.21
  host gb 10.20.2.22
  host ba 10.20.2.31
  host bb 10.20.2.32
  host hsm1 10.20.5.11
  host hsm2 10.20.5.12
}
vip green 10.20.0.10 vrid 51 { master g1 priority 150; backup g2 priority 100 }
vip blue 10.20.1.10 vrid 52 { master b1 priority 150; backup b2 priority 100 }
haproxy green-lb { nodes g1, g2; frontend fe bind green port 9311 backend be; backend be { server ga port 9311; server gb port 9311 } }
haproxy blue-lb { nodes b1, b2; STANDBY frontend fe bind blue port 9311 backend be; backend be { server ba port 9311; server bb port 9311 } }
hsm luna { members hsm1, hsm2; haonly; capacity 60/s }
service green-api kind barbican port 9311 { nodes ga, gb; frontend green; hsm luna }
service blue-api kind barbican port 9311 { nodes ba, bb; frontend blue; hsm luna }
`;

describe('blue/green: standby', () => {
    it('keeps the standby set out of capacity and availability, and still checks it', async () => {
        const both = await model(BLUE_GREEN.replace('STANDBY ', ''));
        const standby = await model(BLUE_GREEN.replace('STANDBY ', 'standby\n  '));
        expect(withRule(both.document, 'capacity-target')).toHaveLength(2);
        const capacity = withRule(standby.document, 'capacity-target');
        expect(capacity).toHaveLength(1);
        expect(capacity[0].message).toContain('green-api');
        const green = serviceAvailability(standby.model.services[0], standby.model).availability;
        expect(topologyAvailability(standby.model)).toBeCloseTo(green, 12);
        expect(topologyAvailability(both.model)).toBeLessThan(green);
        // Still checked: a VRRP mistake in the standby pair is reported.
        const broken = await check(
            BLUE_GREEN.replace('STANDBY ', 'standby\n  ').replace('backup b2 priority 100', 'backup b2 priority 150')
        );
        expect(rules(broken)).toContain('vrrp-priority');
    });

    it('a standby haproxy makes its VIP standby, and DNS must not point there', async () => {
        const text = BLUE_GREEN.replace('STANDBY ', 'standby\n  ') + 'dns barbican { points-to blue }\n';
        const dns = withRule(await check(text), 'dns-standby');
        expect(dns.map(d => d.message)).toEqual([
            "dns 'barbican' sends clients to vip 'blue' (10.20.1.10), which is standby: only tests should reach it (1 address in the name)"
        ]);
    });
});

const THREE_REGIONS = `topology k
  target availability 99.9999%
${['wlg', 'hlz', 'por']
    .map(
        (region, i) => `region ${region} 10.${i + 1}.0.0/16 {
  host ${region}-lb1 10.${i + 1}.0.11
  host ${region}-api1 10.${i + 1}.1.21
  host ${region}-db1 10.${i + 1}.2.31
}
vip ${region}-vip 10.${i + 1}.0.10 vrid 51 { master ${region}-lb1 priority 150 }
service keystone-${region} kind keystone port 5000 { nodes ${region}-api1; frontend ${region}-vip; database db }`
    )
    .join('\n')}
galera db { members wlg-db1, hlz-db1, por-db1 }
`;

describe('DNS round robin', () => {
    it('makes services of one kind behind one name alternatives: shared Galera once, the rest in parallel', async () => {
        const without = await model(THREE_REGIONS);
        const withDns = await model(`${THREE_REGIONS}dns keystone { round-robin wlg-vip, hlz-vip, por-vip }\n`);
        const galera = quorumAvailability([1, 1, 1].map(weight => ({ weight, availability: a })));
        const own = a * a; // one load balancer, one API node
        expect(topologyAvailability(withDns.model)).toBeCloseTo(galera * parallel([own, own, own]), 12);
        expect(topologyAvailability(without.model)).toBeCloseTo((galera * own) ** 3, 12);
        // None of them alone is a single point of failure any more.
        expect(withRule(without.document, 'spof').length).toBeGreaterThan(0);
        expect(withRule(withDns.document, 'spof')).toEqual([]);
        expect(withDns.model.elements.get('dns:keystone')?.kind).toBe('dns');
    });
});

const DEDICATED = `topology rs
  target throughput 100/s
region cloud 10.20.0.0/16 {
  zone api-nodes 10.20.2.0/24 { host api1 10.20.2.21
    host api2 10.20.2.22 }
  host cloud-gw 10.20.9.1
}
region dedicated 10.30.0.0/16 {
  zone hsm-net 10.30.5.0/24 { host luna1 10.30.5.11
    host luna2 10.30.5.12 }
  host f5-a 10.30.0.5 availability 99.99%
  host f5-b 10.30.0.6 availability 99.99%
  host dc-gw 10.30.9.1
}
hsm luna { members luna1, luna2; haonly; capacity 500/s }
service barbican port 9311 { nodes api1, api2; hsm luna }
link hsm-vpn: api-nodes -> dedicated { vpn endpoints cloud-gw, dc-gw; capacity 80/s; allow tcp 1792 }
firewall f5 protects hsm-net { DEVICES; allow tcp 1792 from api-nodes; deny all }
`;

describe('devices on the path', () => {
    it('puts the firewall pair and the VPN tunnel in series with the service that crosses them', async () => {
        const { model: topology } = await model(DEDICATED.replace('DEVICES', 'devices f5-a, f5-b'));
        const { parts } = serviceAvailability(topology.services[0], topology);
        expect(parts['firewall f5']).toBeCloseTo(parallel([0.9999, 0.9999]), 12);
        expect(parts['vpn hsm-vpn']).toBeCloseTo(a * a, 12);
    });

    it('reports a single device, a single tunnel and a tunnel below the throughput target', async () => {
        const document = await check(DEDICATED.replace('DEVICES', 'devices f5-a'));
        const spof = withRule(document, 'spof').map(d => d.message);
        expect(spof).toEqual(
            expect.arrayContaining([
                expect.stringContaining("firewall 'f5' is 1 device (f5-a, 99.99 %)"),
                expect.stringContaining("vpn 'hsm-vpn' is 1 tunnel (cloud-gw ↔ dc-gw")
            ])
        );
        const capacity = withRule(document, 'capacity-target').map(d => d.message);
        expect(capacity).toEqual([
            "vpn 'hsm-vpn' carries 80/s, below the throughput target 100/s of barbican, whose traffic crosses it"
        ]);
        const redundant = await check(
            DEDICATED.replace('DEVICES', 'devices f5-a, f5-b')
                .replace('vpn endpoints', 'redundant; vpn endpoints')
                .replace('capacity 80/s', 'capacity 200/s')
        );
        expect(rules(redundant)).not.toContain('spof');
        expect(rules(redundant)).not.toContain('capacity-target');
    });
});

const PACEMAKER = `region rdo 10.40.0.0/16 {
  zone controllers 10.40.0.0/24 { host c1 10.40.0.11
    host c2 10.40.0.12
    host c3 10.40.0.13 }
}
pacemaker ctl {
  nodes c1, c2, c3
  fencing fence_ipmilan
  vip api-vip 10.40.0.100
  clone lb, keystone
  active-passive volume
}
haproxy lb { nodes c1, c2, c3; frontend fe bind api-vip port 5000 backend be; backend be { server c1 port 5000; server c2 port 5000; server c3 port 5000 } }
service keystone kind keystone port 5000 { nodes c1, c2, c3; frontend api-vip }
service volume kind cinder-volume { nodes c1, c2, c3 MODE}
`;

describe('Pacemaker', () => {
    it('holds its VIPs without VRRP: up while the cluster is quorate and a node serves', async () => {
        const { document, model: topology } = await model(PACEMAKER.replace('MODE', ''));
        expect(rules(document).filter(rule => rule.startsWith('vrrp') || rule === 'service-mode')).toEqual([]);
        const vip = topology.vips[0];
        expect(vip.pacemaker?.id).toBe('pacemaker:ctl');
        const { parts } = serviceAvailability(topology.services[0], topology);
        expect(parts['load balancers']).toBeCloseTo(
            quorumAvailability([1, 1, 1].map(weight => ({ weight, availability: a }))),
            12
        );
        expect(topology.services[1].mode).toBe('active-passive');
        const flows = deriveFlows(topology).filter(flow => flow.owner.id === 'pacemaker:ctl');
        expect(new Set(flows.map(flow => `${flow.port}/${flow.protocol}`))).toEqual(new Set(['5405/udp', '2224/tcp']));
    });

    it('says when a service and its Pacemaker resource disagree on the mode', async () => {
        const document = await check(PACEMAKER.replace('MODE', '; mode active-active'));
        expect(withRule(document, 'invalid-value').map(d => d.message)).toEqual([
            "pacemaker 'ctl' runs service 'volume' active-passive, but the service says mode active-active"
        ]);
    });
});

describe('RabbitMQ across regions', () => {
    it('names the queue type when the model has one', async () => {
        const { model: topology } = await model(
            'region a 10.1.0.0/16 { host a1 10.1.0.1\n host a2 10.1.0.2 }\nregion b 10.2.0.0/16 { host b1 10.2.0.1 }\nrabbitmq mq { members a1, a2, b1 }\n'
        );
        // Quorum queues are the default (`queues quorum`).
        const [finding] = checkRabbitMQ(topology);
        expect(finding.data).toEqual({ regions: ['a', 'b'], queueType: 'quorum' });
        expect(finding.message).toContain('quorum queues keep only the majority side working');
        topology.rabbitmqs[0].queueType = 'mirrored';
        expect(checkRabbitMQ(topology)[0].message).toContain('classic mirrored queues do not cope with partitions');
    });
});

describe('environments', () => {
    const DESIGN = `topology d
  target throughput 100/s
manage from 10.20.9.0/24
region r 10.20.0.0/16 {
  zone z 10.20.1.0/24 { host a1 10.20.1.1
    host a2 10.20.1.2 }
}
vip v 10.20.1.10 vrid 1 { master a1 priority 150; backup a2 priority 100 }
hsm luna { members a1, a2; capacity 200/s }
service s kind barbican port 9311 { nodes a1, a2; frontend v; hsm luna }
`;

    it('renumbers a region, resizes, and reports what only the environment has, at its override', async () => {
        const documents = await checkFiles({
            'design.hatopo': DESIGN,
            'staging.hatopo':
                'import "design.hatopo"\n\nenvironment staging {\n  region r 10.120.0.0/16\n  hsm luna capacity 50/s\n}\n'
        });
        const design = documents.get('design.hatopo')!;
        const staging = documents.get('staging.hatopo')!;
        const topology = buildModel([design, staging]);
        expect(topology.hosts.map(host => host.address)).toEqual(['10.120.1.1', '10.120.1.2']);
        expect(topology.vips[0].address).toBe('10.120.1.10');
        expect(topology.environment?.id).toBe('environment:staging');
        expect(rules(design)).toEqual(['hsm-pair']); // haonly is missing, in the design itself
        const found = staging.diagnostics ?? [];
        expect(found.map(d => `${d.code} ${d.range.start.line}: ${d.message}`)).toEqual([
            "capacity-target 4: in environment staging: s: the throughput target 100/s exceeds hsm 'luna' capacity 50/s, the bottleneck of its request path (design.hatopo:10)"
        ]);
    });

    it('refuses a subnet too small for the region', async () => {
        const documents = await checkFiles({
            'design.hatopo': DESIGN,
            'tiny.hatopo': 'import "design.hatopo"\nenvironment tiny { region r 10.120.0.0/28 }\n'
        });
        expect(withRule(documents.get('tiny.hatopo')!, 'invalid-value').map(d => d.message)).toEqual([
            '10.120.0.0/28 is smaller than 10.20.0.0/16: a1, a2 and v would fall outside it'
        ]);
    });
});

describe('Pacemaker in the what-if', () => {
    it('stops the VIPs of a cluster that lost its quorum', async () => {
        const { model: topology } = await model(PACEMAKER.replace('MODE', ''));
        const one = whatIf(topology, ['host:c1']);
        expect(one.clusters.find(cluster => cluster.id === 'pacemaker:ctl')).toMatchObject({
            primary: true,
            survivingWeight: 2
        });
        expect(one.services.find(service => service.name === 'keystone')?.up).toBe(true);
        const two = whatIf(topology, ['host:c1', 'host:c2']);
        expect(two.clusters.find(cluster => cluster.id === 'pacemaker:ctl')?.primary).toBe(false);
        expect(two.services.find(service => service.name === 'keystone')?.reasons).toEqual([
            'pacemaker ctl has no quorum: api-vip stopped'
        ]);
    });
});

describe('the staging environment of the Rackspace story', () => {
    it('is the production design in its own subnets, with no findings of its own', async () => {
        const read = (file: string) => readFileSync(new URL(`../examples/${file}`, import.meta.url), 'utf8');
        const documents = await checkFiles({
            'barbican-rackspace.hatopo': read('barbican-rackspace.hatopo'),
            'environments/barbican-staging.hatopo': read('environments/barbican-staging.hatopo')
        });
        const staging = documents.get('environments/barbican-staging.hatopo')!;
        expect(staging.diagnostics ?? []).toEqual([]);
        const topology = buildModel([documents.get('barbican-rackspace.hatopo')!, staging]);
        expect(topology.hosts.find(host => host.name === 'green-api1')?.address).toBe('10.120.2.21');
        expect(topology.hosts.find(host => host.name === 'luna1')?.address).toBe('10.130.5.11');
        expect(topology.vips.find(vip => vip.name === 'green-vip')?.address).toBe('10.120.0.10');
    });
});
