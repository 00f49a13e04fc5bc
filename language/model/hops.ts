// The proxy and server programs a request path can cross, with the settings hatopo knows for
// each: unit, default and source (DOMAIN.md §3). One catalogue for the model builder (which reads
// a hop's settings by it), the header budget, the docs test and completion.

import { DEFAULTS } from './defaults.js';

/** What one value of a setting is: bytes, a plain count, or requests a second. */
export type HopUnit = 'size' | 'count' | 'rate';

export interface HopSetting {
    name: string;
    /** The values it takes, in order (`large_client_header_buffers 4 8k`: a count, then a size). */
    values: readonly HopUnit[];
    /** The program's default, in the same order; absent when the feature is off by default. */
    defaults?: readonly number[];
    meaning: string;
    /** A source key of DOMAIN.md / docs/rules.md. */
    source: string;
}

export interface HopKind {
    kind: string;
    /** What the program is on a request path. */
    program: string;
    settings: readonly HopSetting[];
    /**
     * The setting that limits the token header, and what it limits: one header line, or the
     * request line and all headers together. HAProxy's limit is bufsize − maxrewrite (headers.ts).
     */
    headerLimit: { setting: string; scope: 'line' | 'headers' };
}

const maxHeaderLine = (source: string): HopSetting => ({
    name: 'max_header_line',
    values: ['size'],
    defaults: [16384],
    meaning: 'the longest header line eventlet.wsgi accepts (`[DEFAULT] max_header_line`)',
    source
});

export const HOP_KINDS: readonly HopKind[] = [
    {
        kind: 'haproxy',
        program: 'HAProxy in front of the API nodes',
        settings: [
            {
                name: 'tune.bufsize',
                values: ['size'],
                defaults: [DEFAULTS.bufsize],
                meaning: 'the buffer a request must fit in, less tune.maxrewrite',
                source: 'HAP-DOC'
            },
            {
                name: 'tune.maxrewrite',
                values: ['size'],
                defaults: [DEFAULTS.maxrewrite],
                meaning: 'the part of the buffer kept for header rewrites (at most half of tune.bufsize)',
                source: 'HAP-DOC'
            }
        ],
        headerLimit: { setting: 'tune.bufsize', scope: 'headers' }
    },
    {
        kind: 'nginx',
        program: 'nginx as a reverse proxy',
        settings: [
            {
                name: 'large_client_header_buffers',
                values: ['count', 'size'],
                defaults: [4, 8192],
                meaning: 'number and size of the buffers for long header lines: each line must fit in one',
                source: 'NGX'
            },
            {
                name: 'client_header_buffer_size',
                values: ['size'],
                defaults: [1024],
                meaning: 'the first buffer for the request header (longer lines move to large_client_header_buffers)',
                source: 'NGX'
            }
        ],
        headerLimit: { setting: 'large_client_header_buffers', scope: 'line' }
    },
    {
        kind: 'apache',
        program: 'Apache httpd (mod_wsgi or a proxy)',
        settings: [
            {
                name: 'LimitRequestFieldSize',
                values: ['size'],
                defaults: [8190],
                meaning: 'the longest header field',
                source: 'HTTPD'
            },
            {
                name: 'LimitRequestLine',
                values: ['size'],
                defaults: [8190],
                meaning: 'the longest request line',
                source: 'HTTPD'
            },
            {
                name: 'LimitRequestFields',
                values: ['count'],
                defaults: [100],
                meaning: 'the most header fields in one request',
                source: 'HTTPD'
            }
        ],
        headerLimit: { setting: 'LimitRequestFieldSize', scope: 'line' }
    },
    {
        kind: 'uwsgi',
        program: 'the uWSGI application server',
        settings: [
            {
                name: 'buffer-size',
                values: ['size'],
                defaults: [4096],
                meaning: 'the whole request but its body; larger requests get "invalid request block size"',
                source: 'UWSGI'
            }
        ],
        headerLimit: { setting: 'buffer-size', scope: 'headers' }
    },
    {
        kind: 'eventlet',
        program: "an OpenStack API's own eventlet WSGI server",
        settings: [maxHeaderLine('OSLO-SVC')],
        headerLimit: { setting: 'max_header_line', scope: 'line' }
    },
    {
        kind: 'oslo',
        program: 'oslo.service WSGI (eventlet underneath)',
        settings: [maxHeaderLine('OSLO-SVC')],
        headerLimit: { setting: 'max_header_line', scope: 'line' }
    },
    {
        kind: 'wsgi',
        program: "nova's `[wsgi]` server (eventlet underneath)",
        settings: [maxHeaderLine('NOVA-WSGI')],
        headerLimit: { setting: 'max_header_line', scope: 'line' }
    },
    {
        kind: 'gunicorn',
        program: 'the gunicorn application server',
        settings: [
            {
                name: 'limit_request_field_size',
                values: ['size'],
                defaults: [8190],
                meaning: 'the longest header field',
                source: 'GUNI'
            },
            {
                name: 'limit_request_line',
                values: ['size'],
                defaults: [4094],
                meaning: 'the longest request line',
                source: 'GUNI'
            },
            {
                name: 'limit_request_fields',
                values: ['count'],
                defaults: [100],
                meaning: 'the most header fields in one request',
                source: 'GUNI'
            }
        ],
        headerLimit: { setting: 'limit_request_field_size', scope: 'line' }
    },
    {
        kind: 'node',
        program: 'a Node.js HTTP server',
        settings: [
            {
                name: 'max-http-header-size',
                values: ['size'],
                defaults: [16384],
                meaning: 'the whole header block (`--max-http-header-size`; 8 KiB before v13.13.0)',
                source: 'NODE'
            }
        ],
        headerLimit: { setting: 'max-http-header-size', scope: 'headers' }
    },
    {
        kind: 'python',
        program: "Python's http.server / http.client",
        settings: [
            {
                name: 'max_line',
                values: ['size'],
                defaults: [65536],
                meaning: 'the longest header line (`_MAXLINE`)',
                source: 'CPY'
            },
            {
                name: 'max_headers',
                values: ['count'],
                defaults: [100],
                meaning: 'the most header lines (`_MAXHEADERS`)',
                source: 'CPY'
            }
        ],
        headerLimit: { setting: 'max_line', scope: 'line' }
    },
    {
        kind: 'repose',
        program: 'Repose, validating tokens and rate-limiting in front of the API',
        settings: [
            {
                name: 'requestHeaderSize',
                values: ['size'],
                defaults: [8192],
                meaning: "the whole header block (Jetty's HttpConfiguration, kept by Repose Valve)",
                source: 'REPOSE'
            },
            {
                name: 'rate-limit',
                values: ['rate'],
                meaning:
                    'the global limit (`global-limit-group`): requests a second for all users together, beyond which Repose answers 503; off unless written',
                source: 'REPOSE-RL'
            }
        ],
        headerLimit: { setting: 'requestHeaderSize', scope: 'headers' }
    }
];

const BY_KIND = new Map(HOP_KINDS.map(kind => [kind.kind, kind]));

export function hopKind(kind: string): HopKind | undefined {
    return BY_KIND.get(kind);
}

export function hopSetting(kind: HopKind, name: string): HopSetting | undefined {
    return kind.settings.find(setting => setting.name === name);
}

export const HOP_KIND_NAMES: readonly string[] = HOP_KINDS.map(kind => kind.kind);
