import { describe, expect, it } from 'vitest';
import { formatText } from './helpers.js';

const MESSY = `import "x.hatopo"
topology t "d" target availability 99.9%
region r { zone z 10.0.0.0/24 trust internal { host a 10.0.0.1 host b 10.0.0.2 // the db
} host c 10.0.0.3 zone z }

/* clusters */
   galera g { members a weight 2, b sst rsync option evs.suspect_timeout = PT30S }
vip v 10.0.0.9 vrid 3 { master a priority 150; backup b priority 100 }
haproxy h { nodes a frontend f bind v port 80 backend be backend be mode http check "/v3" { server a port 80 server b port 80 backup } }
service s port 5000 { nodes a token fernet expiration 24h path haproxy -> nginx large_client_header_buffers 4 8k }
link r <-> r { allow tcp 1, 2-3 }`;

describe('formatter', () => {
    it('puts one statement per line, indents blocks by two, separates elements by a blank line', async () => {
        const formatted = await formatText(MESSY);
        expect(formatted).toBe(`import "x.hatopo"

topology t "d"
target availability 99.9%

region r {
  zone z 10.0.0.0/24 trust internal {
    host a 10.0.0.1
    host b 10.0.0.2 // the db
  }
  host c 10.0.0.3 zone z
}

/* clusters */
galera g {
  members a weight 2, b
  sst rsync
  option evs.suspect_timeout = PT30S
}

vip v 10.0.0.9 vrid 3 {
  master a priority 150;
  backup b priority 100
}

haproxy h {
  nodes a
  frontend f bind v port 80 backend be
  backend be mode http check "/v3" {
    server a port 80
    server b port 80 backup
  }
}

service s port 5000 {
  nodes a
  token fernet expiration 24h
  path haproxy -> nginx large_client_header_buffers 4 8k
}

link r <-> r {
  allow tcp 1, 2-3
}`);
    });

    it('is idempotent and keeps every comment', async () => {
        const once = await formatText(MESSY);
        expect(await formatText(once)).toBe(once);
        expect(once).toContain('// the db');
        expect(once).toContain('/* clusters */');
    });

    it('leaves an empty block on one line', async () => {
        expect(await formatText('region r {\n\n}')).toBe('region r { }');
    });
});
