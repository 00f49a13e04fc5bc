// Keywords are names: every word keyword of the grammar can name an element and be referred to
// in every name slot (a host called `token`, `memcached cache`, `galera database`). The keywords
// come from the generated grammar, so a keyword added without joining the `Keyword` rule fails here.

import type { LangiumDocument } from 'langium';
import { parseHelper } from 'langium/test';
import { describe, expect, it } from 'vitest';
import type { Document } from '../language/generated/ast.js';
import { GRAMMAR_KEYWORDS, NAME_KEYWORDS } from './grammar-keywords.js';
import { services } from './helpers.js';

const WORDS = GRAMMAR_KEYWORDS.filter(keyword => /^[A-Za-z_][\w-]*$/.test(keyword));

const parse = parseHelper<Document>(services.Hatopo);
let counter = 0;

/** Every name slot of the language, filled with `k`: declarations and references. */
function everySlot(k: string): string {
    return `topology ${k} "t"
region ${k} 10.0.0.0/16 {
  zone ${k} 10.0.1.0/24 trust internal {
    host ${k} 10.0.1.1
  }
  host h2 10.0.1.2 zone ${k}
}
galera ${k} {
  members ${k} weight 1, h2
  garbd ${k}
  option ${k}.${k} = ${k}
}
rabbitmq ${k} { members ${k}, h2; partition_handling ${k}; option ${k} = ${k} }
memcached ${k} { servers ${k} }
vip ${k} 10.0.1.10 vrid 1 { master ${k} priority 150; backup h2 priority 100; interface ${k} }
haproxy ${k} {
  nodes ${k}, h2
  frontend ${k} bind ${k} port 1 backend ${k}
  backend ${k} { server ${k} port 1 }
}
service ${k} kind ${k} port 1 {
  nodes ${k}
  frontend ${k}
  database ${k} via ${k}
  cache ${k}
  queue ${k}
  hsm ${k}
  path ${k} -> ${k}
}
hsm ${k} { members ${k} (1/s) }
link ${k}: ${k} <-> ${k} { vpn endpoints ${k}, h2 }
link ${k} -> h2 { allow tcp 1 from ${k} }
firewall ${k} protects ${k} { devices ${k}; allow tcp 1 from ${k} }
dns ${k} "x" { points-to ${k}; round-robin ${k}, ${k} }
pacemaker ${k} { nodes ${k}; fencing ${k}; clone ${k}; active-passive ${k} }
`;
}

/** The slots that can be written once per topology: a Pacemaker VIP and the environment. */
function singleSlots(k: string): string {
    return `region r 10.0.0.0/16 { host ${k} 10.0.1.1 }
galera db { members ${k} }
vip ${k} 10.0.1.10 vrid 1 { master ${k} priority 150 }
hsm ${k} { members ${k} }
memcached ${k} { servers ${k} }
haproxy ${k} { nodes ${k} }
pacemaker p { nodes ${k}; vip v2 10.0.1.11 }
environment ${k} {
  region r 10.9.0.0/16
  host ${k} 10.9.1.5 availability 99%
  vip ${k} 10.9.1.11
  hsm ${k} capacity 1/s
  memcached ${k} threads 1
  haproxy ${k} bufsize 1k
}
`;
}

async function problems(text: string): Promise<string[]> {
    const document: LangiumDocument<Document> = await parse(text, { documentUri: `file:///names/${++counter}.hatopo` });
    return [
        ...document.parseResult.lexerErrors.map(error => `lexer: ${error.message}`),
        ...document.parseResult.parserErrors.map(error => `parser: ${error.message}`),
        ...document.references.flatMap(reference => (reference.error ? [`link: ${reference.error.message}`] : []))
    ];
}

describe('keywords as names', () => {
    it('the Keyword rule holds every word keyword of the grammar', () => {
        expect(WORDS.filter(word => !NAME_KEYWORDS.has(word))).toEqual([]);
        expect([...NAME_KEYWORDS].filter(word => !WORDS.includes(word))).toEqual([]);
    });

    it('memcached cache, galera database, rabbitmq queue and hosts called token and path parse', async () => {
        const text = `region r { host token 10.0.0.1
  host path 10.0.0.2
  host c3 10.0.0.3 }
memcached cache { servers token }
galera database { members token, path, c3 }
rabbitmq queue { members token, path, c3 }
service keystone port 5000 { nodes token, path; database database; cache cache; queue queue }
`;
        expect(await problems(text)).toEqual([]);
    });

    it.each(WORDS)('`%s` names an element in every name slot', async keyword => {
        expect(await problems(everySlot(keyword))).toEqual([]);
        expect(await problems(singleSlots(keyword))).toEqual([]);
    });

    it('a hop setting name is the program’s own word, never a keyword (the documented exception)', async () => {
        const text = `region r { host a 10.0.0.1 }
service s port 1 {
  nodes a
  path uwsgi buffer-size 8k -> nginx large_client_header_buffers 4 8k
  availability 99.9%
}
`;
        expect(await problems(text)).toEqual([]);
    });
});
