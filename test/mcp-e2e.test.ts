import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../src/model/report.js';
import { runCli } from './helpers/cli.js';
import { runJson } from './helpers/report.js';
import * as S from './helpers/mcp-servers.js';
import { fake, rand62 } from './helpers/tokens.js';

/** The built CLI as a child process (`npm test` builds first): `nhi-audit mcp …`. */

const FIX = join(import.meta.dirname, 'fixtures', 'mcp');
const tmp = mkdtempSync(join(tmpdir(), 'nhi-mcp-e2e-'));
/** CLI runs take a second or two each on a busy 2-core machine. */
const T = { timeout: 60_000 };

function mcpJson(args: string[], env?: Record<string, string>): Promise<{ code: number; report: Report; stderr: string }> {
  return runJson(['mcp', ...args], { cwd: tmp, env });
}

let open: S.TestServer;
let silent: S.TestServer;
beforeAll(async () => {
  open = await S.startStreamableServer({ name: 'open', tools: [{ name: 'run_command' }] });
  silent = await S.startSilentServer();
});
afterAll(async () => {
  await open.close();
  await silent.close();
  rmSync(tmp, { recursive: true, force: true });
});

describe('nhi-audit mcp --config', () => {
  it('reports a config file\'s findings in JSON with file, line and resource; exit 1', T, async () => {
    const file = join(FIX, 'cursor', '.cursor', 'mcp.json');
    const { code, report } = await mcpJson(['--config', file]);
    expect(code).toBe(1);
    expect(report.targets).toEqual([expect.objectContaining({ kind: 'mcp-config', path: file, status: 'ok' })]);
    expect(report.findings.map((f) => `${f.ruleId}@${f.location.line}`).sort()).toEqual(['mcp-config-literal-credential@6', 'mcp-config-plain-http@4']);
    const lit = report.findings.find((f) => f.ruleId === 'mcp-config-literal-credential')!;
    expect(lit).toMatchObject({ source: 'mcp-config', location: { path: file, resource: 'mcp:cursor:wiki' }, secret: { redacted: 'Wk3L…s0Ka' } });
    expect(report.summary.byOwasp.NHI1).toBe('not assessed');
    expect(report.summary.byOwasp.NHI2).toBe(1);
  });

  it('a malformed file is reported with its path and the parser message, the rest goes on; exit 2', T, async () => {
    const bad = join(FIX, 'malformed', '.codex', 'config.toml');
    const good = join(FIX, 'codex', '.codex', 'config.toml');
    const { code, report, stderr } = await mcpJson(['--config', bad, '--config', good]);
    expect(code).toBe(2);
    expect(report.targets.map((t) => t.status)).toEqual(['error', 'ok']);
    expect(report.targets[0].error).toMatch(/config\.toml: not valid TOML: line 4, column 1: /);
    expect(stderr).toMatch(/error: .*config\.toml: not valid TOML: line 4/);
    expect(report.findings.length).toBe(3);
  });
});

describe('leak test: planted credentials never reach any output', () => {
  const planted = {
    pat: fake.githubPat(),
    stripe: fake.stripeLive(),
    slack: fake.slackBot(),
    header: rand62(40),
    urlPassword: `pw-${rand62(16)}`,
    toml: rand62(36),
    yaml: rand62(36),
    broken: rand62(36),
  };
  const files: string[] = [];
  beforeAll(() => {
    const put = (rel: string, text: string) => {
      const p = join(tmp, 'leak', rel);
      mkdirSync(join(p, '..'), { recursive: true });
      writeFileSync(p, text);
      files.push(p);
    };
    put('.cursor/mcp.json', JSON.stringify({ mcpServers: { gh: { command: 'npx', args: ['-y', 'gh-mcp', '--token', planted.pat], env: { STRIPE_SECRET_KEY: planted.stripe } }, db: { command: 'node', args: ['db.js'], env: { DATABASE_URL: `postgres://app:${planted.urlPassword}@db.corp.test/app` } } } }, null, 2));
    put('.vscode/mcp.json', `{\n  // comment\n  "servers": { "chat": { "type": "http", "url": "https://chat.corp.test/mcp?token=${planted.slack}", "headers": { "Authorization": "Bearer ${planted.header}" } } },\n}\n`);
    put('.codex/config.toml', `[mcp_servers.s]\ncommand = "node"\nenv = { SEARCH_API_KEY = "${planted.toml}" }\n`);
    put('.continue/mcpServers/x.yaml', `mcpServers:\n  - name: x\n    url: https://x.corp.test/mcp\n    requestOptions:\n      headers:\n        X-Api-Key: ${planted.yaml}\n`);
    put('bad/.codex/config.toml', `[mcp_servers.b]\nenv = { TOKEN = "${planted.broken}" \nargs = [\n`);
  });

  // Every format renders the same Report, so a value absent from the JSON report and the pretty text
  // cannot appear in SARIF, Markdown or GitHub output either (report-formats tests cover those renderers).
  it('pretty and json output hold none of them, yet every one is found', T, async () => {
    const formats = ['pretty', 'json'];
    const runs = await Promise.all(formats.map((format) => runCli(['mcp', '-f', format, ...files.flatMap((f) => ['--config', f])], { cwd: tmp })));
    runs.forEach((r, i) => {
      expect(r.code, formats[i]).toBe(2); // the broken file
      const out = r.stdout + r.stderr;
      for (const [name, v] of Object.entries(planted)) expect(out.includes(v), `${name} leaked in ${formats[i]}`).toBe(false);
      expect(out, formats[i]).toContain('mcp-config-literal-credential');
    });
    const report = JSON.parse(runs[1].stdout) as Report;
    // One credential, one finding: a provider rule may speak for a literal the config check also found.
    const lit = report.findings.filter((f) => f.ruleId === 'mcp-config-literal-credential' || (f.evidence?.alsoMatchedBy as string[] | undefined)?.includes('mcp-config-literal-credential'));
    expect(lit).toHaveLength(7);
    expect(lit.find((f) => f.evidence?.recognisedAs === 'github-classic-pat')?.severity).toBe('critical');
    expect(report.targets.find((t) => t.status === 'error')?.error).toMatch(/bad\/\.codex\/config\.toml: not valid TOML: line \d+/);
  });
});

describe('nhi-audit mcp URL', () => {
  it('an open server: critical finding, exit 1, tool names in the evidence', T, async () => {
    const { code, report } = await mcpJson([open.url, '--timeout', '2000']);
    expect(code).toBe(1);
    expect(report.targets).toEqual([expect.objectContaining({ kind: 'mcp-endpoint', path: open.url, status: 'ok' })]);
    const f = report.findings.find((x) => x.ruleId === 'mcp-endpoint-unauthenticated')!;
    expect(f.severity).toBe('critical');
    expect(f.evidence?.tools).toEqual(['run_command']);
  });

  it('renders endpoint findings in SARIF with a placeholder location', T, async () => {
    const r = await runCli(['mcp', open.url, '-f', 'sarif'], { cwd: tmp });
    const sarif = JSON.parse(r.stdout);
    const res = sarif.runs[0].results.find((x: { ruleId: string }) => x.ruleId === 'mcp-endpoint-unauthenticated');
    expect(res.locations[0].physicalLocation.artifactLocation.uri).toMatch(/^nhi-audit-resources\/mcp\/http\/127\.0\.0\.1/);
  });

  it('a server that never answers: the target is not scanned (exit 2), said on stderr', T, async () => {
    const { code, report, stderr } = await mcpJson([silent.url, '--timeout', '300']);
    expect(code).toBe(2);
    expect(report.targets[0]).toMatchObject({ status: 'error', error: `${silent.url}: timed out after 300 ms` });
    expect(stderr).toContain('timed out after 300 ms');
  });
});

describe('usage errors exit 2 with one line', () => {
  const cases: Array<[string[], RegExp]> = [
    [[], /nothing to audit/],
    [['ftp://example.test/mcp'], /only http:\/\/ and https:\/\//],
    [['http://127.0.0.1:9/mcp', '--timeout', 'abc'], /--timeout expects a whole number/],
    [['http://127.0.0.1:9/mcp', '--token-env', 'NHI_AUDIT_UNSET_VAR_X'], /NHI_AUDIT_UNSET_VAR_X: that environment variable is not set/],
  ];
  it('each case', T, async () => {
    const runs = await Promise.all(cases.map(([args]) => runCli(['mcp', ...args], { cwd: tmp })));
    runs.forEach((r, i) => {
      const [args, re] = cases[i];
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
      expect(r.stderr).toMatch(re);
    });
  });
});
