// Model consistency: duplicate-name, duplicate-address, address-outside-subnet and
// duplicate-setting fire with the facts in their message, and stay silent on the fixed text.

import { describe, expect, it } from 'vitest';
import { check, checkFiles, rules, withRule } from './helpers.js';

describe('duplicate-name', () => {
    it('fires on two hosts with one name, pointing at the first', async () => {
        const document = await check('region r {\n  host a 10.0.0.1\n  host a 10.0.0.2\n}', 'dup.hatopo');
        const [finding, ...more] = withRule(document, 'duplicate-name');
        expect(more).toEqual([]);
        expect(finding.message).toBe("host 'a' has the name of host 'a' at dup.hatopo:2");
        expect(finding.range.start).toEqual({ line: 2, character: 7 }); // the second name
        expect(finding.severity).toBe(1);
        const fixed = await check('region r {\n  host a 10.0.0.1\n  host b 10.0.0.2\n}');
        expect(rules(fixed)).not.toContain('duplicate-name');
    });

    it('fires on elements of different kinds sharing a name', async () => {
        const document = await check('region db { host a 10.0.0.1 }\ngalera db { members a }');
        const findings = withRule(document, 'duplicate-name');
        expect(findings).toHaveLength(1);
        expect(findings[0].message).toContain("galera 'db' has the name of region 'db'");
        expect(findings[0].range.start.line).toBe(1);
        const fixed = await check('region dc { host a 10.0.0.1 }\ngalera db { members a }');
        expect(rules(fixed)).not.toContain('duplicate-name');
    });

    it('fires on two backends of one name in one haproxy, naming the haproxy', async () => {
        const document = await check(
            'region r { host a 10.0.0.1 }\nhaproxy lb {\n  backend be { server a port 80 }\n  backend be { server a port 81 }\n}'
        );
        const [finding] = withRule(document, 'duplicate-name');
        expect(finding.message).toContain("backend 'be'");
        expect(finding.message).toContain("in haproxy 'lb'");
        expect(finding.range.start.line).toBe(3);
    });

    it('lets two haproxies each have a backend called galera', async () => {
        const document = await check(`region r 10.0.0.0/16 {
  host db1 10.0.0.1 host db2 10.0.0.2 host db3 10.0.0.3
  host lb1 10.0.0.11 host lb2 10.0.0.12
}
vip v1 10.0.0.101 vrid 1 { master lb1 priority 150 }
vip v2 10.0.0.102 vrid 2 { master lb2 priority 150 }
haproxy p1 { nodes lb1 frontend db bind v1 port 3306 backend galera backend galera mode tcp { server db1 port 3306 } }
haproxy p2 { nodes lb2 frontend db bind v2 port 3306 backend galera backend galera mode tcp { server db2 port 3306 } }`);
        expect(rules(document)).not.toContain('duplicate-name');
        expect(rules(document)).not.toContain('unresolved-reference');
        expect(rules(document)).not.toContain('syntax-error');
    });

    it('is reported in the importing file when the clash crosses an import', async () => {
        const docs = await checkFiles({
            'b.hatopo': 'region r {\n  host a 10.0.0.1\n}',
            'a.hatopo': 'import "b.hatopo"\nregion s {\n  host a 10.0.1.1\n}'
        });
        const [finding, ...more] = withRule(docs.get('a.hatopo')!, 'duplicate-name');
        expect(more).toEqual([]);
        expect(finding.message).toBe("host 'a' has the name of host 'a' at b.hatopo:2");
        expect(finding.range.start.line).toBe(2);
        expect(withRule(docs.get('b.hatopo')!, 'duplicate-name')).toEqual([]);
        const fixed = await checkFiles({
            'b.hatopo': 'region r {\n  host a 10.0.0.1\n}',
            'a.hatopo': 'import "b.hatopo"\nregion s {\n  host b 10.0.1.1\n}'
        });
        expect(rules(fixed.get('a.hatopo')!)).not.toContain('duplicate-name');
    });

    it('does not fire between files that do not import each other', async () => {
        const docs = await checkFiles({
            'b.hatopo': 'region r { host a 10.0.0.1 }',
            'a.hatopo': 'region s { host a 10.0.1.1 }'
        });
        for (const document of docs.values()) expect(rules(document)).not.toContain('duplicate-name');
    });
});

describe('duplicate-address', () => {
    it('fires on two hosts sharing an address, with the address and the other host', async () => {
        const document = await check('region r {\n  host a 10.0.0.1\n  host b 10.0.0.1\n}', 'addr.hatopo');
        const [finding, ...more] = withRule(document, 'duplicate-address');
        expect(more).toEqual([]);
        expect(finding.message).toBe("host 'b' has address 10.0.0.1, already used by host 'a' at addr.hatopo:2");
        expect(finding.range.start.line).toBe(2);
        const fixed = await check('region r {\n  host a 10.0.0.1\n  host b 10.0.0.2\n}');
        expect(rules(fixed)).not.toContain('duplicate-address');
    });

    it('fires on a vip that takes a host address', async () => {
        const document = await check('region r { host a 10.0.0.1 }\nvip v 10.0.0.1 vrid 1 { master a priority 150 }');
        const [finding] = withRule(document, 'duplicate-address');
        expect(finding.message).toContain("vip 'v' has address 10.0.0.1, already used by host 'a'");
        const fixed = await check('region r { host a 10.0.0.1 }\nvip v 10.0.0.100 vrid 1 { master a priority 150 }');
        expect(rules(fixed)).not.toContain('duplicate-address');
    });

    it('fires across an import', async () => {
        const docs = await checkFiles({
            'b.hatopo': 'region r { host a 10.0.0.1 }',
            'a.hatopo': 'import "b.hatopo"\nregion s { host b 10.0.0.1 }'
        });
        expect(withRule(docs.get('a.hatopo')!, 'duplicate-address')[0]?.message).toContain('b.hatopo:1');
    });
});

describe('address-outside-subnet', () => {
    it('fires on a host outside its zone subnet', async () => {
        const document = await check('region r 10.0.0.0/16 {\n  zone app 10.0.1.0/24 {\n    host a 10.0.2.5\n  }\n}');
        const [finding, ...more] = withRule(document, 'address-outside-subnet');
        expect(more).toEqual([]);
        expect(finding.message).toBe("host 'a' has address 10.0.2.5, outside zone 'app' subnet 10.0.1.0/24");
        expect(finding.range.start.line).toBe(2);
        const fixed = await check('region r 10.0.0.0/16 {\n  zone app 10.0.1.0/24 {\n    host a 10.0.1.5\n  }\n}');
        expect(rules(fixed)).not.toContain('address-outside-subnet');
    });

    it('fires on a host outside the subnet of the zone it references', async () => {
        const document = await check('region r 10.0.0.0/16 {\n  zone app 10.0.1.0/24\n  host a 10.0.3.5 zone app\n}');
        expect(withRule(document, 'address-outside-subnet')[0]?.message).toContain(
            "outside zone 'app' subnet 10.0.1.0/24"
        );
        const fixed = await check('region r 10.0.0.0/16 {\n  zone app 10.0.1.0/24\n  host a 10.0.1.255 zone app\n}');
        expect(rules(fixed)).not.toContain('address-outside-subnet');
    });

    it('fires on a host outside its region subnet when it has no zone', async () => {
        const document = await check('region r 10.1.0.0/16 {\n  host a 10.2.0.1\n}');
        const [finding] = withRule(document, 'address-outside-subnet');
        expect(finding.message).toBe("host 'a' has address 10.2.0.1, outside region 'r' subnet 10.1.0.0/16");
        expect(finding.range.start.line).toBe(1);
        const fixed = await check('region r 10.1.0.0/16 {\n  host a 10.1.255.254\n}');
        expect(rules(fixed)).not.toContain('address-outside-subnet');
        const noSubnet = await check('region r {\n  host a 10.2.0.1\n}');
        expect(rules(noSubnet)).not.toContain('address-outside-subnet');
    });

    it('fires on a zone subnet outside its region subnet', async () => {
        const document = await check('region r 10.1.0.0/16 {\n  zone z 10.2.0.0/24\n}');
        const [finding, ...more] = withRule(document, 'address-outside-subnet');
        expect(more).toEqual([]);
        expect(finding.message).toBe("zone 'z' subnet 10.2.0.0/24 is not inside region 'r' subnet 10.1.0.0/16");
        expect(finding.range.start.line).toBe(1);
        const fixed = await check('region r 10.1.0.0/16 {\n  zone z 10.1.7.0/24\n}');
        expect(rules(fixed)).not.toContain('address-outside-subnet');
    });

    it('fires on a zone subnet wider than its region subnet even at the same base', async () => {
        const document = await check('region r 10.1.0.0/24 {\n  zone z 10.1.0.0/16\n}');
        expect(withRule(document, 'address-outside-subnet')[0]?.message).toContain(
            "zone 'z' subnet 10.1.0.0/16 is not inside region 'r' subnet 10.1.0.0/24"
        );
    });
});

describe('duplicate-setting', () => {
    it('fires on a memcached port written twice, at the last one', async () => {
        const document = await check(
            'region r { host a 10.0.0.1 }\nmemcached mc {\n  servers a\n  port 11211\n  port 11212\n}'
        );
        const [finding, ...more] = withRule(document, 'duplicate-setting');
        expect(more).toEqual([]);
        expect(finding.message).toBe("'port' is set 2 times in memcached; only the last one counts");
        expect(finding.severity).toBe(2);
        expect(finding.range.start.line).toBe(4);
        const fixed = await check('region r { host a 10.0.0.1 }\nmemcached mc {\n  servers a\n  port 11212\n}');
        expect(rules(fixed)).not.toContain('duplicate-setting');
    });

    it('fires on a host availability and a token expiration written twice', async () => {
        const host = await check('region r { host a 10.0.0.1 availability 99% availability 99.9% availability 98% }');
        expect(withRule(host, 'duplicate-setting')[0]?.message).toBe(
            "'availability' is set 3 times in host; only the last one counts"
        );
        const token = await check('service s port 1 { token fernet expiration 1h expiration 2h }');
        expect(withRule(token, 'duplicate-setting')[0]?.message).toContain("'expiration' is set 2 times in token");
    });

    it('does not fire on repeatable settings such as members, timeouts or rules', async () => {
        const document = await check(`region r { host a 10.0.0.1 host b 10.0.0.2 host c 10.0.0.3 }
galera db { members a members b, c option x = 1 option y = 2 }
haproxy lb { nodes a nodes b timeout client 1s timeout server 2s }
link r -> r { allow tcp 1 allow tcp 2 }`);
        expect(rules(document)).not.toContain('duplicate-setting');
    });

    it('does not count settings of nested blocks (a hop kind, a timeout kind) as the block own', async () => {
        const document = await check(`region r { host a 10.0.0.1 availability 99.9% }
service s kind identity port 5000 { nodes a token fernet expiration 1h path haproxy -> nginx -> uwsgi }
haproxy lb { nodes a timeout check 1s backend be mode tcp check mysql { server a port 80 } }`);
        expect(withRule(document, 'duplicate-setting')).toEqual([]);
    });
});
