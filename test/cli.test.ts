// The `hatopo` command end to end: the built bundle run on fixture files in a temp folder, with
// its three output formats, its exit codes and its handling of folders and imports.

import { execSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = path.resolve(__dirname, '..');
const BIN = path.join(ROOT, 'bin', 'hatopo.cjs');
let dir: string;

const CLEAN = `region r 10.0.0.0/16 {
  host a 10.0.0.1
  host b 10.0.0.2
}
`;
const ERRORS = `region r 10.0.0.0/16 {
  host a 10.0.0.1
  host a 10.0.0.2
  host c 10.9.0.3
}
`;
const WARNING = `region r { host a 10.0.0.1 }
memcached mc {
  servers a
  port 1
  port 2
}
`;

function write(name: string, text: string): string {
    const file = path.join(dir, name);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
    return file;
}

function hatopo(...args: string[]) {
    const result = spawnSync(process.execPath, [BIN, ...args], { cwd: dir, encoding: 'utf8', timeout: 60_000 });
    return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

beforeAll(() => {
    if (!fs.existsSync(path.join(ROOT, 'out', 'cli.cjs')))
        execSync('npm run build --silent', { cwd: ROOT, stdio: 'inherit' });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hatopo-cli-'));
    write('clean.hatopo', CLEAN);
    write('errors.hatopo', ERRORS);
    write('warning.hatopo', WARNING);
    write('tree/one.hatopo', CLEAN);
    write('tree/deep/er/two.hatopo', ERRORS);
    write('tree/deep/not-hatopo.txt', 'host x y z');
    write('imports/places/dc.hatopo', 'region dc 10.5.0.0/16 {\n  host db1 10.5.0.1\n}\n');
    write('imports/main.hatopo', 'import "places/dc.hatopo"\nrabbitmq mq {\n  members db1, nobody\n}\n');
    write('imports/dup.hatopo', 'import "places/dc.hatopo"\nregion other {\n  host db1 10.6.0.1\n}\n');
    write('imports/missing.hatopo', 'import "gone.hatopo"\nregion x { host y 10.7.0.1 }\n');
}, 180_000);

afterAll(() => {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe('text output', () => {
    it('prints one line per problem as file:line:col severity rule message, then a summary', () => {
        const { code, stdout, stderr } = hatopo('check', 'errors.hatopo');
        expect(code).toBe(1);
        expect(stderr).toBe('');
        const lines = stdout.trimEnd().split('\n');
        expect(lines).toEqual([
            "errors.hatopo:3:8 error duplicate-name host 'a' has the name of host 'a' at errors.hatopo:2",
            "errors.hatopo:4:8 error address-outside-subnet host 'c' has address 10.9.0.3, outside region 'r' subnet 10.0.0.0/16",
            '1 file checked: 2 errors, 0 warnings, 0 notes'
        ]);
    });

    it('counts warnings in the summary and exits 0 when there are no errors', () => {
        const { code, stdout } = hatopo('check', 'warning.hatopo');
        expect(code).toBe(0);
        expect(stdout).toMatch(
            /^warning\.hatopo:5:8 warning duplicate-setting 'port' is set 2 times in memcached; only the last one counts$/m
        );
        expect(stdout.trimEnd().split('\n').at(-1)).toBe('1 file checked: 0 errors, 1 warnings, 0 notes');
    });

    it('prints only the summary for a clean file and exits 0', () => {
        const { code, stdout, stderr } = hatopo('check', 'clean.hatopo');
        expect(code).toBe(0);
        expect(stderr).toBe('');
        expect(stdout).toBe('1 file checked: 0 errors, 0 warnings, 0 notes\n');
    });
});

describe('json output', () => {
    it('is an array of problems with 1-based positions', () => {
        const { code, stdout } = hatopo('check', 'errors.hatopo', '--format', 'json');
        expect(code).toBe(1);
        const problems = JSON.parse(stdout) as Array<Record<string, unknown>>;
        expect(Array.isArray(problems)).toBe(true);
        expect(problems).toHaveLength(2);
        expect(problems[0]).toEqual({
            file: 'errors.hatopo',
            line: 3,
            column: 8,
            endLine: 3,
            endColumn: 9,
            severity: 'error',
            rule: 'duplicate-name',
            message: "host 'a' has the name of host 'a' at errors.hatopo:2",
            // The second element of one name gets its own id, so the diagram marks the right one.
            element: 'host:a#2'
        });
        for (const problem of problems) {
            expect(Object.keys(problem).sort()).toEqual([
                'column',
                'element',
                'endColumn',
                'endLine',
                'file',
                'line',
                'message',
                'rule',
                'severity'
            ]);
            expect(problem.line as number).toBeGreaterThanOrEqual(1);
            expect(problem.column as number).toBeGreaterThanOrEqual(1);
        }
        expect(problems[1]).toMatchObject({ line: 4, column: 8, endColumn: 9, rule: 'address-outside-subnet' });
    });

    it('accepts --format=json and prints [] for a clean file', () => {
        const { code, stdout } = hatopo('check', '--format=json', 'clean.hatopo');
        expect(code).toBe(0);
        expect(JSON.parse(stdout)).toEqual([]);
    });
});

describe('sarif output', () => {
    it('is SARIF 2.1.0 with the hatopo driver, its rules and located results', () => {
        const { code, stdout } = hatopo('check', 'errors.hatopo', 'warning.hatopo', '--format', 'sarif');
        expect(code).toBe(1);
        const sarif = JSON.parse(stdout);
        expect(sarif.version).toBe('2.1.0');
        expect(sarif.runs).toHaveLength(1);
        const driver = sarif.runs[0].tool.driver;
        expect(driver.name).toBe('hatopo');
        const ids = driver.rules.map((rule: { id: string }) => rule.id);
        expect(ids).toEqual(
            expect.arrayContaining([
                'syntax-error',
                'unresolved-reference',
                'duplicate-name',
                'duplicate-setting',
                'address-outside-subnet'
            ])
        );
        expect(new Set(ids).size).toBe(ids.length);
        const results = sarif.runs[0].results;
        expect(results.map((r: { ruleId: string }) => r.ruleId)).toEqual([
            'duplicate-name',
            'address-outside-subnet',
            'duplicate-setting'
        ]);
        const first = results[0];
        expect(first.level).toBe('error');
        expect(results[2].level).toBe('warning');
        expect(driver.rules[first.ruleIndex].id).toBe('duplicate-name');
        expect(first.locations[0].physicalLocation.artifactLocation.uri).toBe('errors.hatopo');
        expect(first.locations[0].physicalLocation.region).toMatchObject({ startLine: 3, startColumn: 8 });
        expect(results[2].locations[0].physicalLocation.region.startLine).toBe(5);
    });
});

describe('exit codes and errors', () => {
    it('exits 1 with errors and 0 with --exit-zero, still printing them', () => {
        expect(hatopo('check', 'errors.hatopo').code).toBe(1);
        const { code, stdout } = hatopo('check', 'errors.hatopo', '--exit-zero');
        expect(code).toBe(0);
        expect(stdout).toContain('error duplicate-name');
    });

    it('exits 2 for a missing path with one line on stderr and no stack trace', () => {
        const { code, stdout, stderr } = hatopo('check', 'does-not-exist.hatopo');
        expect(code).toBe(2);
        expect(stdout).toBe('');
        const lines = stderr.trimEnd().split('\n');
        expect(lines).toHaveLength(1);
        expect(lines[0]).toContain('does-not-exist.hatopo');
        expect(stderr).not.toMatch(/^\s*at /m);
    });

    it('exits 2 for a missing path even next to an existing one', () => {
        const { code, stderr } = hatopo('check', 'clean.hatopo', 'nope');
        expect(code).toBe(2);
        expect(stderr.trimEnd().split('\n')).toHaveLength(1);
    });

    it('exits 2 for an unknown option or format, naming it', () => {
        const option = hatopo('check', '--bogus', 'clean.hatopo');
        expect(option.code).toBe(2);
        expect(option.stderr).toContain("unknown option '--bogus'");
        expect(option.stdout).toBe('');
        const format = hatopo('check', 'clean.hatopo', '--format', 'xml');
        expect(format.code).toBe(2);
        expect(format.stderr).toContain("'xml'");
        expect(format.stderr).not.toMatch(/^\s*at /m);
        const command = hatopo('lint', 'clean.hatopo');
        expect(command.code).toBe(2);
        expect(command.stderr).toContain("unknown command 'lint'");
    });

    it('exits 2 with no arguments and with check alone', () => {
        const none = hatopo();
        expect(none.code).toBe(2);
        expect(none.stdout + none.stderr).toContain('usage: hatopo check');
        const bare = hatopo('check');
        expect(bare.code).toBe(2);
        expect(bare.stderr).toContain('usage: hatopo check');
    });

    it('exits 2 for a folder without .hatopo files', () => {
        fs.mkdirSync(path.join(dir, 'empty'), { recursive: true });
        const { code, stderr } = hatopo('check', 'empty');
        expect(code).toBe(2);
        expect(stderr.trimEnd().split('\n')).toHaveLength(1);
    });

    // BUG: a syntax error that cuts a host short crashes the model builder (parseIpv4(undefined));
    // the CLI prints Langium's stack trace on stderr and a bogus "An error occurred during
    // validation" problem, although the command promises never to print a stack.
    it('prints no stack trace for a file with a syntax error', () => {
        write('broken.hatopo', 'region r {\n  host a 10.0.0.1\n  host\n}\n');
        const { code, stdout, stderr } = hatopo('check', 'broken.hatopo');
        expect(code).toBe(1);
        expect(stdout).toMatch(/^broken\.hatopo:4:1 error syntax-error /m);
        expect(stdout).not.toContain('An error occurred during validation');
        expect(stderr).not.toMatch(/^\s*at /m);
    });
});

describe('folders and imports', () => {
    it('finds *.hatopo files in a folder recursively', () => {
        const { code, stdout } = hatopo('check', 'tree');
        expect(code).toBe(1);
        const two = path.join('tree', 'deep', 'er', 'two.hatopo');
        expect(stdout).toContain(`${two}:3:8 error duplicate-name`);
        expect(stdout).not.toContain('not-hatopo');
        expect(stdout.trimEnd().split('\n').at(-1)).toBe('2 files checked: 2 errors, 0 warnings, 0 notes');
    });

    it('follows imports: names resolve through them and clashes are reported in the importing file', () => {
        const main = hatopo('check', path.join('imports', 'main.hatopo'), '--format', 'json');
        const problems = JSON.parse(main.stdout) as Array<{
            file: string;
            line: number;
            rule: string;
            message: string;
        }>;
        // db1 comes from the import; only `nobody` is unresolved.
        expect(problems.filter(p => p.rule === 'unresolved-reference')).toEqual([
            expect.objectContaining({
                file: path.join('imports', 'main.hatopo'),
                line: 3,
                message: expect.stringContaining('nobody')
            })
        ]);
        expect(main.stdout).not.toContain("'db1'");
        const dup = hatopo('check', path.join('imports', 'dup.hatopo'));
        expect(dup.code).toBe(1);
        expect(dup.stdout).toContain(
            `${path.join('imports', 'dup.hatopo')}:3:8 error duplicate-name host 'db1' has the name of host 'db1' at dc.hatopo:2`
        );
        expect(dup.stdout.trimEnd().split('\n').at(-1)).toBe('2 files checked: 1 errors, 0 warnings, 0 notes');
    });

    it('reports a missing import at the import line instead of failing the run', () => {
        const { code, stdout, stderr } = hatopo('check', path.join('imports', 'missing.hatopo'));
        expect(code).toBe(1);
        expect(stderr).toBe('');
        expect(stdout).toMatch(
            /^imports[\\/]missing\.hatopo:1:8 error unresolved-reference import "gone\.hatopo" not found/m
        );
    });
});

describe('help and usage errors', () => {
    it('prints help for hatopo and for every command, exit 0', () => {
        const top = hatopo('--help');
        expect(top.code).toBe(0);
        expect(top.stdout).toMatch(/^usage: hatopo check\|render\|export/);
        for (const command of ['check', 'render', 'export'])
            expect(top.stdout).toMatch(new RegExp(`^  ${command} `, 'm'));
        const options: Record<string, string[]> = {
            check: ['--format text|json|sarif', '--exit-zero', '--fail KIND:NAME'],
            render: ['--out DIAGRAM.svg|DIAGRAM.png', '--expand REGION', '--collapse-above N'],
            export: ['--out DIR', '--force']
        };
        for (const [command, names] of Object.entries(options)) {
            for (const asked of [
                [command, '--help'],
                [command, '-h'],
                ['help', command],
                [command, 'x.hatopo', '--help']
            ]) {
                const { code, stdout, stderr } = hatopo(...asked);
                expect(code, asked.join(' ')).toBe(0);
                expect(stderr).toBe('');
                expect(stdout.split('\n')[0]).toMatch(new RegExp(`^usage: hatopo ${command} `));
                for (const name of [...names, '-h, --help']) expect(stdout).toContain(`  ${name}`);
            }
        }
    });

    it('says what is wrong in one line, then the usage line, exit 2', () => {
        const cases: Array<[string[], string]> = [
            [['check', 'clean.hatopo', '--format'], '--format needs a value'],
            [['check', 'clean.hatopo', '--exit-zero=yes'], '--exit-zero takes no value'],
            [
                ['check', 'clean.hatopo', '--fail', 'rack:1'],
                "--fail takes region:NAME, host:NAME or link:NAME, not 'rack:1'"
            ],
            [
                ['check', 'clean.hatopo', '--fail', 'host:a', '--format', 'sarif'],
                '--fail does not combine with --format sarif'
            ],
            [['render', 'clean.hatopo', '--out', 'x.txt'], 'render --out takes a .svg, .png or .json file'],
            [['render', 'clean.hatopo', '--format', 'png'], 'render --format png needs --out FILE.png'],
            [['render', 'clean.hatopo', '--view', 'flat'], "--view takes architecture, network or hosts, not 'flat'"],
            [['render', 'clean.hatopo', 'errors.hatopo', '--out', 'x.svg'], 'render takes exactly one .hatopo file'],
            [
                ['render', 'clean.hatopo', '--out', 'x.svg', '--collapse-above', 'lots'],
                '--collapse-above takes a whole number'
            ],
            [['export', 'clean.hatopo'], 'export needs --out DIR'],
            [['export', '--out', 'o'], 'export takes one .hatopo file and --out DIR']
        ];
        for (const [args, message] of cases) {
            const { code, stdout, stderr } = hatopo(...args);
            expect(code, args.join(' ')).toBe(2);
            expect(stdout).toBe('');
            const lines = stderr.trimEnd().split('\n');
            expect(lines, args.join(' ')).toHaveLength(2);
            expect(lines[0]).toBe(`hatopo: ${message}`);
            expect(lines[1]).toMatch(new RegExp(`^usage: hatopo ${args[0]} .*\\(more: hatopo ${args[0]} --help\\)$`));
        }
        const unknown = hatopo('lint');
        expect(unknown.stderr.trimEnd().split('\n')).toEqual([
            "hatopo: unknown command 'lint'",
            'usage: hatopo check|render|export|lab [options] (more: hatopo --help)'
        ]);
    });
});

describe('export gate', () => {
    it('refuses a topology whose imported file has a syntax error, naming its place', () => {
        write('gate/places.hatopo', 'region dc 10.5.0.0/16 {\n  host db1 10.5.0.1\n  host\n}\n');
        write('gate/main.hatopo', 'import "places.hatopo"\ngalera g { members db1 }\n');
        const { code, stdout, stderr } = hatopo('export', path.join('gate', 'main.hatopo'), '--out', 'gate-out');
        expect(code).toBe(2);
        expect(stdout).toBe('');
        expect(stderr).toBe(
            `hatopo: ${path.join('gate', 'places.hatopo')}:4:1: 1 syntax or reference error: fix them before exporting\n`
        );
        expect(fs.existsSync(path.join(dir, 'gate-out'))).toBe(false);
    });
});

describe('input limits', () => {
    // A spawn timeout well under the test's: a FIFO that blocked would fail here, not hang the suite.
    const quick = (...args: string[]) => {
        const result = spawnSync(process.execPath, [BIN, ...args], { cwd: dir, encoding: 'utf8', timeout: 20_000 });
        expect(result.error, 'hatopo did not finish within 20 s').toBeUndefined();
        return { code: result.status, stdout: result.stdout, stderr: result.stderr };
    };

    it('refuses a FIFO, named or imported, with one line and exit 2, without blocking', () => {
        execSync(`mkfifo ${JSON.stringify(path.join(dir, 'pipe.hatopo'))}`);
        write('reads-pipe.hatopo', 'import "pipe.hatopo"\nregion r { host a 10.0.0.1 }\n');
        for (const command of [['check'], ['render', '--out', 'p.svg'], ['export', '--out', 'p-out']]) {
            const named = quick(command[0], 'pipe.hatopo', ...command.slice(1));
            expect(named.code).toBe(2);
            expect(named.stderr).toBe('hatopo: pipe.hatopo: a FIFO, not a regular file: refused\n');
        }
        const imported = quick('check', 'reads-pipe.hatopo');
        expect(imported.code).toBe(2);
        expect(imported.stderr).toBe(
            'hatopo: pipe.hatopo (imported at reads-pipe.hatopo:1): a FIFO, not a regular file: refused\n'
        );
        const device = quick('check', '/dev/zero');
        expect(device.code).toBe(2);
        expect(device.stderr).toBe('hatopo: /dev/zero: a character device, not a regular file: refused\n');
    });

    it('refuses a file over the limit (10 MiB, HATOPO_MAX_FILE_SIZE), named or imported', () => {
        const line = 'region r { host a 10.0.0.1 }\n';
        fs.writeFileSync(path.join(dir, 'huge.hatopo'), line.repeat(Math.ceil((50 << 20) / line.length)));
        write('reads-huge.hatopo', 'import "huge.hatopo"\n');
        const named = quick('check', 'huge.hatopo');
        expect(named.code).toBe(2);
        expect(named.stdout).toBe('');
        expect(named.stderr).toBe(
            'hatopo: huge.hatopo: 50 MiB, over the input limit of 10 MiB (HATOPO_MAX_FILE_SIZE raises it): refused\n'
        );
        const imported = quick('check', 'reads-huge.hatopo');
        expect(imported.code).toBe(2);
        expect(imported.stderr).toMatch(/^hatopo: huge\.hatopo \(imported at reads-huge\.hatopo:1\): 50 MiB, over /);
        fs.rmSync(path.join(dir, 'huge.hatopo'));
        const env = (value: string) =>
            spawnSync(process.execPath, [BIN, 'check', 'clean.hatopo'], {
                cwd: dir,
                encoding: 'utf8',
                env: { ...process.env, HATOPO_MAX_FILE_SIZE: value }
            });
        expect(env('20').stderr).toBe(
            `hatopo: clean.hatopo: ${CLEAN.length} bytes, over the input limit of 20 bytes (HATOPO_MAX_FILE_SIZE raises it): refused\n`
        );
        expect(env('1k').status).toBe(0);
        const bad = env('lots');
        expect(bad.status).toBe(2);
        expect(bad.stderr).toBe(
            'hatopo: HATOPO_MAX_FILE_SIZE=lots is not a size (bytes, or a number with k, M or G)\n'
        );
    });

    it('keeps every finding of a file with tens of thousands of them', () => {
        // Langium appended them with push(...list), which overflows the stack and loses them all; a
        // small stack shows it with 20,000 instead of 120,000.
        const hosts = Array.from({ length: 20_000 }, (_, i) => `  host h${i} 10.0.0.1`).join('\n');
        write('many.hatopo', `region r 10.0.0.0/8 {\n${hosts}\n}\n`);
        const result = spawnSync(process.execPath, ['--stack-size=100', BIN, 'check', 'many.hatopo'], {
            cwd: dir,
            encoding: 'utf8',
            maxBuffer: 64 << 20
        });
        expect(result.stderr).toBe('');
        expect(result.stdout.trimEnd().split('\n').at(-1)).toBe('1 file checked: 19999 errors, 0 warnings, 0 notes');
    });
});

describe('output safety', () => {
    it('percent-encodes SARIF artifact URIs as relative references', () => {
        const name = path.join('odd dir', 'a #1 %41 ü:x?.hatopo');
        write(name, ERRORS);
        const sarif = JSON.parse(hatopo('check', name, '--format', 'sarif').stdout);
        const uri: string = sarif.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri;
        expect(uri).toBe('odd%20dir/a%20%231%20%2541%20%C3%BC%3Ax%3F.hatopo');
        expect(uri).toMatch(/^[A-Za-z0-9\-._~%!$&'()*+,;=/]+$/); // nothing a URI reference must not contain
        expect(decodeURIComponent(new URL(uri, 'file:///base/').pathname)).toBe(`/base/${name}`);
    });

    it('escapes control characters in file names and messages, so no line can be faked', () => {
        const name = 'evil\nerrors.hatopo:1:1 error fake-rule\r\u001b[2Kowned\u0085.hatopo';
        write(name, ERRORS + 'host \u001b[31m\n');
        const { stdout } = hatopo('check', name, '--exit-zero');
        const lines = stdout.trimEnd().split('\n');
        expect(
            lines.every(
                line =>
                    line.startsWith('evil\\nerrors.hatopo:1:1 error fake-rule\\r\\x1b[2Kowned\\x85.hatopo:') ||
                    /^1 file checked/.test(line)
            ),
            stdout
        ).toBe(true);
        expect(lines.length).toBeGreaterThanOrEqual(4); // the two errors, the ESC the lexer refused, a summary
        const controls = [...stdout].filter(char => char !== '\n' && /\p{Cc}/u.test(char));
        expect(controls).toEqual([]);
        expect(stdout).toContain('\\x1b');
        fs.rmSync(path.join(dir, name));
    });
});
