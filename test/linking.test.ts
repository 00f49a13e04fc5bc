// Linking: references resolve within a file and across `import`, never into a file that is not
// imported; frontends see only the backends of their own haproxy.

import { AstUtils } from 'langium';
import { describe, expect, it } from 'vitest';
import * as ast from '../language/generated/ast.js';
import { check, checkFiles, rules, withRule } from './helpers.js';

const PLACES = `region r 10.0.0.0/16 {
  zone app 10.0.1.0/24 { host a1 10.0.1.1 host a2 10.0.1.2 }
  host lb1 10.0.0.11 zone app
}
`;

describe('references within a file', () => {
    it('resolves hosts, zones, vips and clusters by name', async () => {
        const document = await check(`${PLACES}
vip v 10.0.1.100 vrid 1 { master a1 priority 150 backup a2 priority 100 }
galera db { members a1, a2, lb1 }
service s port 80 { nodes a1 frontend v database db via v }
link r -> app { allow tcp 80 from lb1 }
firewall fw protects a1 { allow tcp 80 from app }`);
        expect(withRule(document, 'unresolved-reference')).toEqual([]);
        const root = document.parseResult.value;
        const region = root.elements.find(ast.isRegion)!;
        const lb1 = region.hosts[0];
        expect(lb1.zone?.ref).toBe(region.zones[0]);
        const service = root.elements.find(ast.isService)!;
        expect(service.nodes[0].ref).toBe(region.zones[0].hosts[0]);
        expect(service.frontends[0].ref).toBe(root.elements.find(ast.isVip));
        expect(service.database?.ref).toBe(root.elements.find(ast.isGalera));
        const link = root.elements.find(ast.isLink)!;
        expect(link.from.ref).toBe(region);
        expect(link.to.ref).toBe(region.zones[0]);
        expect(link.rules[0].source?.ref).toBe(lb1);
        expect(root.elements.find(ast.isFirewall)!.target.ref?.name).toBe('a1');
    });

    it('reports an unknown host as unresolved-reference at the reference', async () => {
        const document = await check(`${PLACES}rabbitmq mq {\n  members a1, ghost, a2\n}`);
        const errors = withRule(document, 'unresolved-reference');
        expect(errors).toHaveLength(1);
        expect(errors[0].message).toContain('ghost');
        expect(errors[0].range.start).toEqual({ line: 5, character: 14 });
        expect(errors[0].severity).toBe(1);
    });

    it('does not resolve a reference to an element of the wrong type', async () => {
        const document = await check(`${PLACES}galera db { members a1 }\nservice s port 80 { nodes db }`);
        const errors = withRule(document, 'unresolved-reference');
        expect(errors).toHaveLength(1);
        expect(errors[0].message).toContain('db');
    });
});

describe('references across files', () => {
    it('resolves hosts of an imported file', async () => {
        const docs = await checkFiles({
            'b.hatopo': PLACES,
            'a.hatopo': 'import "b.hatopo"\nrabbitmq mq { members a1, a2, lb1 }'
        });
        const a = docs.get('a.hatopo')!;
        expect(withRule(a, 'unresolved-reference')).toEqual([]);
        const mq = a.parseResult.value.elements.find(ast.isRabbitMQ)!;
        expect(mq.members.map(m => m.ref?.name)).toEqual(['a1', 'a2', 'lb1']);
        expect(AstUtils.getDocument(mq.members[0].ref!).uri.toString()).toBe(docs.get('b.hatopo')!.uri.toString());
    });

    it('follows imports transitively and through relative folders', async () => {
        const docs = await checkFiles({
            'places.hatopo': PLACES,
            'mid.hatopo': 'import "places.hatopo"\ngalera db { members a1, a2, lb1 }',
            'top.hatopo': 'import "mid.hatopo"\nservice s port 80 { nodes a1 database db }'
        });
        const top = docs.get('top.hatopo')!;
        expect(withRule(top, 'unresolved-reference')).toEqual([]);
        const service = top.parseResult.value.elements.find(ast.isService)!;
        expect(service.nodes[0].ref?.name).toBe('a1');
        expect(service.database?.ref?.name).toBe('db');
    });

    it('resolves an import in a subfolder and ../ back out', async () => {
        const docs = await checkFiles({
            'sub/places.hatopo': PLACES,
            'sub/deeper/uses.hatopo': 'import "../places.hatopo"\nrabbitmq mq { members a1 }',
            'main.hatopo': 'import "sub/places.hatopo"\nrabbitmq mq2 { members a2 }'
        });
        expect(withRule(docs.get('sub/deeper/uses.hatopo')!, 'unresolved-reference')).toEqual([]);
        expect(withRule(docs.get('main.hatopo')!, 'unresolved-reference')).toEqual([]);
    });

    it('does not see the hosts of a file it does not import', async () => {
        const docs = await checkFiles({
            'b.hatopo': PLACES,
            'a.hatopo': 'rabbitmq mq {\n  members a1\n}'
        });
        const errors = withRule(docs.get('a.hatopo')!, 'unresolved-reference');
        expect(errors).toHaveLength(1);
        expect(errors[0].message).toContain('a1');
        expect(errors[0].range.start.line).toBe(1);
        // ... and the imported direction does not make the importer visible either.
        const reverse = await checkFiles({
            'b.hatopo': 'import "a.hatopo"\nrabbitmq mq { members x1 }',
            'a.hatopo': 'region r { host x2 10.0.0.2 }\nrabbitmq mq2 { members x1 }'
        });
        expect(withRule(reverse.get('a.hatopo')!, 'unresolved-reference')).toHaveLength(1);
    });

    it('reports an import of a missing file as unresolved-reference at the import', async () => {
        const document = await check('region r { host a 10.0.0.1 }\nimport "missing.hatopo"');
        const notParsed = withRule(document, 'syntax-error');
        expect(notParsed.length).toBeGreaterThan(0); // imports come first
        const missing = await check('// header\nimport "missing.hatopo"\nregion r { host a 10.0.0.1 }');
        const errors = withRule(missing, 'unresolved-reference');
        expect(errors).toHaveLength(1);
        expect(errors[0].message).toContain('missing.hatopo');
        expect(errors[0].range.start).toEqual({ line: 1, character: 7 });
        expect(errors[0].range.end).toEqual({ line: 1, character: 23 });
    });

    it('reports only the missing one of two imports', async () => {
        const docs = await checkFiles({
            'b.hatopo': PLACES,
            'a.hatopo': 'import "b.hatopo"\nimport "c.hatopo"\nrabbitmq mq { members a1 }'
        });
        const errors = withRule(docs.get('a.hatopo')!, 'unresolved-reference');
        expect(errors).toHaveLength(1);
        expect(errors[0].range.start.line).toBe(1);
        expect(errors[0].message).toContain('c.hatopo');
    });

    it('links the rest while an import is still being typed (no path yet)', async () => {
        // Found by test/lsp-fuzz.test.ts: `import` alone made every reference of the file fail with
        // "Path must be a string", and validation with it.
        const docs = await checkFiles({
            'b.hatopo': PLACES,
            'a.hatopo': 'import "b.hatopo"\nimport\nrabbitmq mq { members a1, a2, lb1 }'
        });
        const a = docs.get('a.hatopo')!;
        expect(rules(a)).toEqual(['syntax-error']);
        expect((a.diagnostics ?? []).map(d => d.message).join('\n')).not.toContain('An error occurred');
    });
});

describe('frontends and backends', () => {
    const twoProxies = `${PLACES}
vip v1 10.0.1.101 vrid 1 { master a1 priority 150 }
vip v2 10.0.1.102 vrid 2 { master a2 priority 150 }
haproxy p1 {
  backend galera mode tcp { server a1 port 3306 }
  frontend f bind v1 port 3306 backend galera
}
haproxy p2 {
  frontend f bind v2 port 3306 backend galera
  backend galera mode tcp { server a2 port 3306 }
}
`;

    it('resolves a frontend to the backend of its own haproxy when another has one of the same name', async () => {
        const document = await check(twoProxies);
        expect(withRule(document, 'unresolved-reference')).toEqual([]);
        const [p1, p2] = document.parseResult.value.elements.filter(ast.isHAProxy);
        expect(p1.frontends[0].backend.ref).toBe(p1.backends[0]);
        expect(p2.frontends[0].backend.ref).toBe(p2.backends[0]);
        expect(p1.frontends[0].backend.ref).not.toBe(p2.backends[0]);
    });

    it('does not resolve a backend that only another haproxy has', async () => {
        const document = await check(`${PLACES}
vip v1 10.0.1.101 vrid 1 { master a1 priority 150 }
haproxy p1 { backend only-here { server a1 port 80 } }
haproxy p2 {
  frontend f bind v1 port 80 backend only-here
}`);
        const errors = withRule(document, 'unresolved-reference');
        expect(errors).toHaveLength(1);
        expect(errors[0].message).toContain('only-here');
        expect(errors[0].range.start.line).toBe(8); // the frontend line of p2
    });

    it('does not let hosts or services reference a backend by its bare name', async () => {
        const document = await check(
            `${PLACES}haproxy p { backend be { server a1 port 80 } }\nservice s port 80 { nodes be }`
        );
        expect(rules(document)).toContain('unresolved-reference');
    });
});
