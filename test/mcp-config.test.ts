import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { literalCredentials } from '../src/checks/mcp/lib/credential.js';
import { launchOf } from '../src/checks/mcp/lib/launcher.js';
import { buildReport } from './helpers/pipeline.js';
import { discoverConfigs, userConfigPaths } from '../src/sources/mcp/discover.js';
import { isMcpConfigPath, parseMcpConfig } from '../src/sources/mcp/index.js';
import { analyzeMcpConfigText } from './helpers/pipeline.js';
import { parseJsonLocated } from '../src/sources/mcp/parse/jsonc.js';
import { parseTomlLocated } from '../src/sources/mcp/parse/toml.js';
import { parseYamlLocated } from '../src/sources/mcp/parse/yaml.js';
import { scanMcp } from './helpers/pipeline.js';
import type { McpSetting } from '../src/model/mcp.js';
import { fake, rand62 } from './helpers/tokens.js';

const FIX = join(import.meta.dirname, 'fixtures', 'mcp');
const tmp = mkdtempSync(join(tmpdir(), 'nhi-mcp-config-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function analyze(rel: string) {
  return analyzeMcpConfigText(rel, readFileSync(join(FIX, rel), 'utf8'));
}

/** `ruleId@line resource`, sorted: the exact findings of one file. */
function summary(rel: string): string[] {
  return analyze(rel)
    .findings.map((f) => `${f.ruleId}@${f.location.line} ${f.location.resource}`)
    .sort();
}

describe('parsers keep lines', () => {
  it('JSONC: keys, array items, comments, trailing commas', () => {
    const doc = parseJsonLocated('// c\n{\n  "a": {\n    "b": [1,\n      2,],\n  }, /* x\n y */ "c": "\\u0041"\n}', { comments: true });
    expect(doc.value).toEqual({ a: { b: [1, 2] }, c: 'A' });
    expect(doc.lineOf(['a'])).toBe(3);
    expect(doc.lineOf(['a', 'b', 1])).toBe(5);
    expect(doc.lineOf(['c'])).toBe(7);
    expect(doc.lineOf(['a', 'missing'])).toBe(3); // nearest parent
  });
  it('strict JSON rejects comments and trailing commas, naming line and column', () => {
    expect(() => parseJsonLocated('{\n  // no\n}', { comments: false })).toThrow(/line 2, column 3: comments are not allowed/);
    expect(() => parseJsonLocated('{"a": [1,]}', { comments: false })).toThrow(/line 1, column 10: trailing comma/);
    expect(() => parseJsonLocated('{"a": 1} x', { comments: true })).toThrow(/unexpected content/);
  });
  it('"__proto__" is an ordinary key', () => {
    const doc = parseJsonLocated('{"__proto__": {"polluted": true}}', { comments: false });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.keys(doc.value as object)).toEqual(['__proto__']);
  });
  it('YAML lines of keys and sequence items', () => {
    const doc = parseYamlLocated('a: 1\nlist:\n  - name: x\n    env:\n      K: v\n');
    expect(doc.lineOf(['list', 0])).toBe(3);
    expect(doc.lineOf(['list', 0, 'env', 'K'])).toBe(5);
  });
  it('TOML lines: tables, dotted keys, inline tables, multi-line arrays', () => {
    const text = 'x = 1\n[mcp_servers.a]\ncommand = "npx" # c\nargs = [\n  "-y", # first\n  "pkg",\n]\nenv = { K = "v", "L" = "w" }\n[mcp_servers."b.c".env]\nT = "1"\n';
    const doc = parseTomlLocated(text);
    expect(doc.lineOf(['mcp_servers', 'a'])).toBe(2);
    expect(doc.lineOf(['mcp_servers', 'a', 'args', 1])).toBe(6);
    expect(doc.lineOf(['mcp_servers', 'a', 'env', 'L'])).toBe(8);
    expect(doc.lineOf(['mcp_servers', 'b.c', 'env', 'T'])).toBe(10);
  });
});

describe('every client format', () => {
  it('Claude Desktop: literal env key, password in a docker arg, unpinned npx and image', () => {
    expect(summary('claude-desktop/claude_desktop_config.json')).toEqual([
      'mcp-config-literal-credential@11 mcp:claude-desktop:brave-search',
      'mcp-config-literal-credential@16 mcp:claude-desktop:postgres',
      'mcp-config-unpinned-package@14 mcp:claude-desktop:postgres',
      'mcp-config-unpinned-package@3 mcp:claude-desktop:filesystem',
    ]);
  });
  it('Claude Code .mcp.json: ${VAR} header is fine, a ${VAR:-default} default is a literal', () => {
    expect(summary('claude-code/.mcp.json')).toEqual(['mcp-config-literal-credential@12 mcp:claude-code:notes']);
  });
  it('Claude Code ~/.claude.json: user and per-project servers, allowedTools, reuse inside one file', () => {
    expect(summary('claude-code/.claude.json')).toEqual([
      'mcp-config-auto-approve@12 mcp:claude-code:/home/me/work/api#shell',
      'mcp-config-credential-reuse@7 mcp:claude-code:sentry',
      'mcp-config-literal-credential@17 mcp:claude-code:/home/me/work/api#shell',
      'mcp-config-literal-credential@7 mcp:claude-code:sentry',
      'mcp-config-unpinned-package@14 mcp:claude-code:/home/me/work/api#shell',
    ]);
    const reuse = analyze('claude-code/.claude.json').findings.find((f) => f.ruleId === 'mcp-config-credential-reuse')!;
    expect(reuse.owasp[0]).toBe('NHI9');
    expect(reuse.occurrences.map((o) => o.line)).toEqual([7, 17]);
  });
  it('Claude Code settings: mcp__server approves all its tools, a single acting tool is medium', () => {
    const r = analyze('claude-code/.claude/settings.json').findings;
    expect(r.map((f) => `${f.ruleId}@${f.location.line} ${f.severity} ${f.location.resource}`).sort()).toEqual([
      'mcp-config-auto-approve@5 high mcp:claude-code:github',
      'mcp-config-auto-approve@7 medium mcp:claude-code:jira',
    ]);
  });
  it('Cursor: literal bearer header and plain http to a remote host; localhost and ${env:} are fine', () => {
    expect(summary('cursor/.cursor/mcp.json')).toEqual(['mcp-config-literal-credential@6 mcp:cursor:wiki', 'mcp-config-plain-http@4 mcp:cursor:wiki']);
  });
  it('VS Code mcp.json (JSONC): password input fine, plain input reported, literal --api-key arg, @latest', () => {
    expect(summary('vscode/.vscode/mcp.json')).toEqual([
      'mcp-config-input-not-masked@5 mcp:vscode:jira',
      'mcp-config-literal-credential@23 mcp:vscode:perplexity',
      'mcp-config-unpinned-package@13 mcp:vscode:jira',
    ]);
  });
  it('VS Code settings.json: chat.tools.autoApprove', () => {
    expect(summary('vscode/.vscode/settings.json')).toEqual(['mcp-config-auto-approve@4 mcp:vscode:*']);
  });
  it('Windsurf: serverUrl over http, --api-key=… in args', () => {
    expect(summary('windsurf/.codeium/windsurf/mcp_config.json')).toEqual(['mcp-config-literal-credential@9 mcp:windsurf:stripe', 'mcp-config-plain-http@4 mcp:windsurf:docs']);
  });
  it('Cline: autoApprove of a command tool (a read-only list is fine)', () => {
    expect(summary('cline/cline_mcp_settings.json')).toEqual(['mcp-config-auto-approve@6 mcp:cline:terminal']);
  });
  it('Roo Code: alwaysAllow "*"', () => {
    expect(summary('roo/.roo/mcp.json')).toEqual(['mcp-config-auto-approve@6 mcp:roo-code:everything']);
  });
  it('Continue config.yaml (list of servers, requestOptions.headers)', () => {
    expect(summary('continue/.continue/config.yaml')).toEqual(['mcp-config-literal-credential@16 mcp:continue:search', 'mcp-config-unpinned-package@5 mcp:continue:sqlite']);
  });
  it('Continue mcpServers block with ${{ secrets.X }} references: clean', () => {
    const p = parseMcpConfig('continue/.continue/mcpServers/db.yaml', readFileSync(join(FIX, 'continue/.continue/mcpServers/db.yaml'), 'utf8'));
    expect(p.file?.servers.map((s) => s.name)).toEqual(['postgres']);
    expect(summary('continue/.continue/mcpServers/db.yaml')).toEqual([]);
  });
  it('Continue legacy config.json (JSONC, experimental.modelContextProtocolServers with transport)', () => {
    expect(summary('continue/.continue/config.json')).toEqual(['mcp-config-literal-credential@11 mcp:continue:#1']);
  });
  it('Zed (JSONC): old command object with a URL password, remote url with literal header, always_allow_tool_actions', () => {
    expect(summary('zed/.zed/settings.json')).toEqual([
      'mcp-config-auto-approve@4 mcp:zed:*',
      'mcp-config-literal-credential@11 mcp:zed:postgres',
      'mcp-config-literal-credential@17 mcp:zed:remote',
      'mcp-config-unpinned-package@7 mcp:zed:postgres',
    ]);
  });
  it('Gemini CLI: url (SSE) over http to a private address, httpUrl with literal header, trust: true', () => {
    const p = parseMcpConfig('gemini/.gemini/settings.json', readFileSync(join(FIX, 'gemini/.gemini/settings.json'), 'utf8'));
    expect(p.file?.servers.map((s) => `${s.name}:${s.transport}`)).toEqual(['legacy-sse:sse', 'analytics:http', 'shell:stdio']);
    expect(summary('gemini/.gemini/settings.json')).toEqual([
      'mcp-config-auto-approve@16 mcp:gemini:shell',
      'mcp-config-literal-credential@10 mcp:gemini:analytics',
      'mcp-config-plain-http@5 mcp:gemini:legacy-sse',
    ]);
  });
  it('Codex (TOML): bearer_token_env_var and env_vars are fine; literal http_headers and [env] table', () => {
    expect(summary('codex/.codex/config.toml')).toEqual([
      'mcp-config-literal-credential@25 mcp:codex:search',
      'mcp-config-literal-credential@9 mcp:codex:tickets',
      'mcp-config-unpinned-package@12 mcp:codex:fetch',
    ]);
  });
  it('Amazon Q: pinned uvx package, no credential: clean', () => {
    expect(summary('amazonq/.amazonq/mcp.json')).toEqual([]);
  });
  it('generic mcp.json with a Basic credential', () => {
    expect(summary('generic/mcp.json')).toEqual(['mcp-config-literal-credential@5 mcp:generic:search']);
  });
});

describe('malformed files: one warning with path, format, line and the parser message; no throw, no content', () => {
  const cases: Array<[string, RegExp]> = [
    ['malformed/claude/claude_desktop_config.json', /^malformed\/claude\/claude_desktop_config\.json: not valid JSON: line 2, column 3: comments are not allowed/],
    ['malformed/.cursor/mcp.json', /^malformed\/\.cursor\/mcp\.json: not valid JSON: line 3, column 49: trailing comma/],
    ['malformed/.vscode/mcp.json', /^malformed\/\.vscode\/mcp\.json: not valid JSONC: line 5, column 1: unexpected end of file/],
    ['malformed/.continue/mcpServers/bad.yaml', /^malformed\/\.continue\/mcpServers\/bad\.yaml: not valid YAML: line 5, column \d+: /],
    ['malformed/.codex/config.toml', /^malformed\/\.codex\/config\.toml: not valid TOML: line 4, column 1: /],
  ];
  for (const [rel, re] of cases) {
    it(rel, () => {
      const r = analyze(rel);
      expect(r.findings).toEqual([]);
      expect(r.warnings).toHaveLength(1);
      expect(r.warnings[0]).toMatch(re);
      expect(r.warnings[0]).not.toContain('\n');
      // The malformed TOML carries a token on the line after the error: it must not be quoted.
      expect(r.warnings[0]).not.toContain('Mx7Kq2Lm9Xv4');
    });
  }
  it('wrong shapes are warnings, the rest is still checked', () => {
    const r = analyzeMcpConfigText('.mcp.json', JSON.stringify({ mcpServers: { bad: 'x', ok: { command: 'npx', args: ['-y', 'some-server'] } } }, null, 2));
    expect(r.warnings).toEqual([".mcp.json:3: server 'bad' should be a mapping; skipped"]);
    expect(r.findings.map((f) => f.ruleId)).toEqual(['mcp-config-unpinned-package']);
  });
});

describe('literal credential or reference', () => {
  const s = (kind: McpSetting['kind'], key: string | undefined, value: string): McpSetting => ({ kind, key, value });
  it('references are fine', () => {
    for (const v of ['${GITHUB_TOKEN}', '${env:GITHUB_TOKEN}', '${input:gh}', '$GITHUB_TOKEN', '${{ secrets.GITHUB_TOKEN }}', 'Bearer ${TOKEN}', 'op://vault/github/token', '%GITHUB_TOKEN%']) {
      expect(literalCredentials(s('env', 'GITHUB_TOKEN', v)), v).toEqual([]);
    }
  });
  it('placeholders, paths, ids, URLs without credentials and plain words are not credentials', () => {
    const cases: Array<[string, string]> = [
      ['API_KEY', 'your-api-key-here'],
      ['API_KEY', '<your key>'],
      ['GOOGLE_APPLICATION_CREDENTIALS', '/home/me/keys/sa.json'],
      ['AWS_ACCESS_KEY_ID', 'AKIAIOSFODNN7EXAMPLE'],
      ['TOKEN_URL', 'https://auth.corp.test/token'],
      ['AUTH_MODE', 'oauth'],
      ['SECRET_NAME', 'prod-db-password'],
      ['LOG_LEVEL', 'debug'],
      ['PASSWORD', 'changeme'],
    ];
    for (const [k, v] of cases) expect(literalCredentials(s('env', k, v)), `${k}=${v}`).toEqual([]);
  });
  it('credential-named keys with random values, headers, flags and URL passwords are literal', () => {
    const v = rand62(32);
    expect(literalCredentials(s('env', 'MY_SERVICE_API_KEY', v)).map((c) => c.value)).toEqual([v]);
    expect(literalCredentials(s('header', 'Authorization', `Bearer ${v}`)).map((c) => c.value)).toEqual([v]);
    expect(literalCredentials(s('header', 'x-api-key', v)).map((c) => c.where)).toEqual(['header x-api-key']);
    expect(literalCredentials(s('arg', '--token', v)).map((c) => c.where)).toEqual(['arg --token']);
    expect(literalCredentials(s('url', 'url', `https://mcp.corp.test/mcp?api_key=${v}`)).map((c) => c.where)).toEqual(['url query api_key']);
    expect(literalCredentials(s('env', 'DATABASE_URL', 'postgres://app:S3cr3t-pw@db/app')).map((c) => c.where)).toEqual(['env DATABASE_URL URL password']);
  });
  it('known token formats are recognised by the provider rules anywhere, even under a neutral name', () => {
    const pat = fake.githubPat();
    const [c] = literalCredentials(s('arg', undefined, pat));
    expect(c.value).toBe(pat);
    expect(c.known?.ruleId).toMatch(/^github-/);
    const slack = fake.slackBot();
    expect(literalCredentials(s('env', 'CONFIG', slack))[0]?.known?.ruleId).toMatch(/^slack-/);
  });
  it('a provider token is critical, carries a fingerprint and never its value', () => {
    const pat = fake.githubPat();
    const text = JSON.stringify({ mcpServers: { gh: { command: 'github-mcp', env: { GITHUB_PERSONAL_ACCESS_TOKEN: pat } } } }, null, 2);
    const [f] = analyzeMcpConfigText('.cursor/mcp.json', text, { target: 3 }).findings;
    expect(f.severity).toBe('critical');
    expect(f.source).toBe('mcp-config');
    expect(f.location).toMatchObject({ path: '.cursor/mcp.json', line: 6, resource: 'mcp:cursor:gh', target: 3 });
    expect(f.secret?.fingerprint).toMatch(/^hmac-sha256:[0-9a-f]{64}$/);
    expect(JSON.stringify(f)).not.toContain(pat);
  });
});

describe('reuse across files and clients', () => {
  it('the same literal credential in two clients\' configs is one finding with both places, NHI9 by correlation', () => {
    const key = rand62(32);
    const a = analyzeMcpConfigText('.cursor/mcp.json', JSON.stringify({ mcpServers: { notes: { command: 'node', args: ['n.js'], env: { NOTES_API_KEY: key } } } }), { target: 0 });
    const b = analyzeMcpConfigText('.vscode/mcp.json', JSON.stringify({ servers: { notes: { type: 'stdio', command: 'node', args: ['n.js'], env: { NOTES_API_KEY: key } } } }), { target: 0 });
    const report = buildReport({ targets: [{ kind: 'code', path: '.', status: 'ok', stats: {} }], findings: [...a.findings, ...b.findings] });
    const lit = report.findings.filter((f) => f.ruleId === 'mcp-config-literal-credential');
    expect(lit).toHaveLength(1);
    expect(lit[0].owasp).toContain('NHI9');
    expect(lit[0].occurrences.map((o) => o.path).sort()).toEqual(['.cursor/mcp.json', '.vscode/mcp.json']);
  });
  it('mcp --config over several files reports the reuse check across clients', async () => {
    const key = rand62(32);
    const f1 = join(tmp, 'reuse', '.cursor', 'mcp.json');
    const f2 = join(tmp, 'reuse', '.gemini', 'settings.json');
    mkdirSync(join(tmp, 'reuse', '.cursor'), { recursive: true });
    mkdirSync(join(tmp, 'reuse', '.gemini'), { recursive: true });
    writeFileSync(f1, JSON.stringify({ mcpServers: { a: { command: 'node', env: { A_TOKEN: key } } } }));
    writeFileSync(f2, JSON.stringify({ mcpServers: { b: { command: 'node', env: { B_TOKEN: key } } } }));
    const r = await scanMcp({ urls: [], configs: [f1, f2], discover: false, probe: false, local: false, timeoutMs: 1000, concurrency: 2, callTools: false });
    const reuse = r.findings.filter((f) => f.ruleId === 'mcp-config-credential-reuse');
    expect(reuse).toHaveLength(1);
    expect(reuse[0].message).toContain('across 2 clients (Cursor, Gemini CLI)');
    expect(r.targets.map((t) => `${t.kind}:${t.status}`)).toEqual(['mcp-config:ok', 'mcp-config:ok']);
    expect(r.targets[0].assessed).toEqual(expect.arrayContaining(['NHI2', 'NHI3', 'NHI4', 'NHI5', 'NHI7', 'NHI9']));
  });
});

describe('package runners', () => {
  const cases: Array<[string, string[], string | undefined]> = [
    ['npx', ['-y', '@scope/server'], 'unpinned'],
    ['npx', ['-y', '@scope/server@latest'], 'unpinned'],
    ['npx', ['-y', '@scope/server@^1.2.0'], 'unpinned'],
    ['npx', ['-y', '@scope/server@1.2.0', '--flag'], 'pinned'],
    ['npx', ['--package', 'srv@2.0.0', 'srv-bin'], 'pinned'],
    ['npx.cmd', ['-y', 'srv'], 'unpinned'],
    ['cmd', ['/c', 'npx', '-y', 'srv'], 'unpinned'],
    ['pnpm', ['dlx', 'srv@3.1.4'], 'pinned'],
    ['bunx', ['srv'], 'unpinned'],
    ['uvx', ['mcp-server-fetch'], 'unpinned'],
    ['uvx', ['mcp-server-fetch==2025.4.7'], 'pinned'],
    ['uvx', ['--from', 'git+https://github.com/o/r@0123456789abcdef0123456789abcdef01234567', 'srv'], 'pinned'],
    ['uv', ['tool', 'run', 'srv>=1'], 'unpinned'],
    ['pipx', ['run', 'srv==1.0'], 'pinned'],
    ['docker', ['run', '-i', '--rm', '-e', 'TOKEN', 'ghcr.io/o/srv'], 'unpinned'],
    ['docker', ['run', '-i', '--rm', 'ghcr.io/o/srv:latest'], 'unpinned'],
    ['docker', ['run', '-i', 'ghcr.io/o/srv@sha256:' + 'a'.repeat(64)], 'pinned'],
    ['docker', ['run', '-i', 'localhost:5000/srv:1.2'], 'pinned'],
    ['node', ['/opt/srv.js'], undefined],
    ['npx', ['./local-server'], undefined],
  ];
  for (const [cmd, args, want] of cases) {
    it(`${cmd} ${args.join(' ')}`, () => {
      const l = launchOf(cmd, args);
      expect(l === undefined ? undefined : l.pinned ? 'pinned' : 'unpinned').toBe(want);
    });
  }
});

describe('isMcpConfigPath (for scan)', () => {
  it('recognises client config files in a repository', () => {
    for (const p of ['.mcp.json', 'sub/.mcp.json', '.cursor/mcp.json', '.vscode/mcp.json', '.vscode/settings.json', 'claude_desktop_config.json', '.continue/mcpServers/db.yaml', '.continue/config.yaml', '.gemini/settings.json', '.codex/config.toml', '.zed/settings.json', '.roo/mcp.json', '.claude/settings.json', 'mcp.json', 'configs\\.cursor\\mcp.json']) {
      expect(isMcpConfigPath(p), p).toBe(true);
    }
    for (const p of ['package.json', 'settings.json', '.vscode/launch.json', 'src/mcp.ts', 'config.toml', '.continue/notes.yaml']) expect(isMcpConfigPath(p), p).toBe(false);
  });
});

describe('discovery per client and OS', () => {
  it('lists the documented user and managed paths', () => {
    const linux = userConfigPaths({ platform: 'linux', home: '/home/u', cwd: '/w', env: {} }).map((c) => c.path);
    expect(linux).toEqual(
      expect.arrayContaining([
        '/home/u/.config/Claude/claude_desktop_config.json',
        '/home/u/.claude.json',
        '/home/u/.cursor/mcp.json',
        '/home/u/.codeium/windsurf/mcp_config.json',
        '/home/u/.config/Code/User/mcp.json',
        '/home/u/.config/Code/User/globalStorage/saoudrizwan.claude-dev/settings/cline_mcp_settings.json',
        '/home/u/.continue/config.yaml',
        '/home/u/.config/zed/settings.json',
        '/home/u/.gemini/settings.json',
        '/home/u/.codex/config.toml',
        '/etc/claude-code/managed-mcp.json',
      ]),
    );
    const mac = userConfigPaths({ platform: 'darwin', home: '/Users/u', cwd: '/w', env: {} }).map((c) => c.path);
    expect(mac).toEqual(expect.arrayContaining(['/Users/u/Library/Application Support/Claude/claude_desktop_config.json', '/Users/u/Library/Application Support/Code/User/mcp.json', '/Library/Application Support/ClaudeCode/managed-mcp.json']));
    const win = userConfigPaths({ platform: 'win32', home: 'C:\\Users\\u', cwd: 'C:\\w', env: { APPDATA: 'C:\\Users\\u\\AppData\\Roaming', CODEX_HOME: 'D:\\codex' } }).map((c) => c.path);
    expect(win).toEqual(expect.arrayContaining(['C:\\Users\\u\\AppData\\Roaming\\Claude\\claude_desktop_config.json', 'C:\\Users\\u\\AppData\\Roaming\\Code\\User\\mcp.json', 'D:\\codex\\config.toml', 'C:\\Program Files\\ClaudeCode\\managed-mcp.json']));
  });
  it('finds the files that exist under a home directory and the current project', async () => {
    const home = join(tmp, 'home');
    const cwd = join(tmp, 'proj');
    const files: Record<string, string> = {
      [join(home, '.config', 'Claude', 'claude_desktop_config.json')]: '{"mcpServers":{}}',
      [join(home, '.cursor', 'mcp.json')]: '{"mcpServers":{"x":{"command":"npx","args":["-y","srv"]}}}',
      [join(home, '.continue', 'mcpServers', 'a.yaml')]: 'mcpServers:\n  - name: a\n    command: node\n',
      [join(home, '.codex', 'config.toml')]: '[mcp_servers.a]\ncommand = "node"\n',
      [join(cwd, '.vscode', 'mcp.json')]: '{ "servers": {} }',
      [join(cwd, '.mcp.json')]: '{"mcpServers": {',
    };
    for (const [p, t] of Object.entries(files)) {
      mkdirSync(join(p, '..'), { recursive: true });
      writeFileSync(p, t);
    }
    const env = { platform: 'linux' as const, home, cwd, env: {} };
    const found = discoverConfigs(env);
    expect(found.map((c) => `${c.spec.client}:${c.scope}`).sort()).toEqual(['claude-code:project', 'claude-desktop:user', 'codex:user', 'continue:user', 'cursor:user', 'vscode:project']);
    const r = await scanMcp({ urls: [], configs: [], discover: true, discoveryEnv: env, probe: false, local: false, timeoutMs: 1000, concurrency: 2, callTools: false });
    expect(r.targets).toHaveLength(6);
    const broken = r.targets.find((t) => t.path.endsWith('.mcp.json'))!;
    expect(broken.status).toBe('error');
    expect(broken.error).toMatch(/\.mcp\.json: not valid JSON: line 1, column \d+: unexpected end of file/);
    expect(r.findings.map((f) => f.ruleId)).toEqual(['mcp-config-unpinned-package']);
  });
  it('a missing --config file is a target error, the others still run', async () => {
    const r = await scanMcp({ urls: [], configs: [join(tmp, 'nope.json'), join(FIX, 'cursor', '.cursor', 'mcp.json')], discover: false, probe: false, local: false, timeoutMs: 1000, concurrency: 1, callTools: false });
    expect(r.targets.map((t) => t.status)).toEqual(['error', 'ok']);
    expect(r.targets[0].error).toMatch(/nope\.json: no such file$/);
    expect(r.findings.length).toBe(2);
  });
});
