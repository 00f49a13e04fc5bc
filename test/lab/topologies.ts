// The lab tests' topologies, written the way an operator would.

/** Regions r1…rN (10.<base+i>.0.0/16), one zone each; a link between every pair carrying `allow`. */
export function galeraRegions(
    hosts: Record<string, string[]>,
    options: { base?: number; allow?: string; links?: Array<[string, string]> } = {}
): string {
    const base = options.base ?? 81;
    const names = Object.keys(hosts);
    const blocks = names.map(
        (name, i) =>
            `region ${name} 10.${base + i}.0.0/16 {\n  zone ${name}z 10.${base + i}.1.0/24 trust internal {\n` +
            hosts[name].map((host, j) => `    host ${host} 10.${base + i}.1.${11 + j}\n`).join('') +
            '  }\n}\n'
    );
    const pairs = options.links ?? names.flatMap((a, i) => names.slice(i + 1).map(b => [a, b] as [string, string]));
    const links = pairs.map(
        ([a, b]) => `link ${a} <-> ${b} { allow tcp ${options.allow ?? '3306, 4444, 4567, 4568'} }\n`
    );
    return `${blocks.join('')}${links.join('')}`;
}

export const ONE_PER_REGION = `topology three "one member per region"
${galeraRegions({ r1: ['a1'], r2: ['b1'], r3: ['c1'] })}
galera db {
  members a1, b1, c1
  sst rsync
}
`;

export const TWO_PLUS_TWO = `topology two-two "two members in each of two regions"
${galeraRegions({ r1: ['a1', 'a2'], r2: ['b1', 'b2'] })}
galera db {
  members a1, a2, b1, b2
  sst rsync
}
`;

/** Two members in r1, one in r2, over a link that carries replication and SST but not IST (4568). */
export function istLink(allow: string): string {
    return `topology ist "a link that ${allow.includes('4568') ? 'carries' : 'lacks'} 4568"
${galeraRegions({ r1: ['db1', 'db2'], r2: ['db3'] }, { base: 91, allow })}
galera db {
  members db1, db2, db3
  sst rsync
}
`;
}

/**
 * Two load balancers holding a VIP (keepalived, unicast) with haproxy in front of two API nodes
 * (nginx → uwsgi), and memcached, in one region: edge (public) and app zones.
 */
export function front(
    options: { path?: string; firewalls?: string; members?: string; haproxyNodes?: string } = {}
): string {
    return `topology front "haproxy + keepalived in front of nginx and uwsgi, memcached"
region r1 10.71.0.0/16 {
  zone edge 10.71.0.0/24 trust public {
    host lb1 10.71.0.11
    host lb2 10.71.0.12
  }
  zone app 10.71.1.0/24 trust internal {
    host api1 10.71.1.21
    host api2 10.71.1.22
    host mc1 10.71.1.41
  }
}
memcached mc {
  servers mc1
}
vip api-vip 10.71.0.100 vrid 61 {
${options.members ?? '  master lb1 priority 150\n  backup lb2 priority 100'}
  unicast
}
haproxy lbs {
  nodes ${options.haproxyNodes ?? 'lb1, lb2'}
  frontend api bind api-vip port 5000 backend api
  backend api mode http {
    server api1 port 5000
    server api2 port 5000
  }
}
service keystone kind keystone port 5000 {
  nodes api1, api2
  frontend api-vip
  cache mc
  token pkiz
  path ${options.path ?? 'haproxy -> nginx -> uwsgi'}
}
${options.firewalls ?? ''}`;
}
