import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../src/model/report.js';
import { runCli } from './helpers/cli.js';
import { FakeGithub } from './helpers/github-server.js';
import { serve, type HostileServer } from './helpers/hostile-server.js';
import { startStateless2026Server, startStreamableServer, type TestServer } from './helpers/mcp-servers.js';
import { expectValidReport } from './helpers/report.js';
import { fake, rand62 } from './helpers/tokens.js';

// Issue 13 ("Trust"), remote services, through the built CLI against servers on 127.0.0.1: a tool
// that exposes the server's environment is a finding and is never called; what a GitHub or MCP
// server says in an error reaches reports, gaps and stderr redacted; a 501 is not retried.

interface Outputs {
  code: number;
  report: Report;
  /** Every byte the runs wrote: JSON, pretty -v and SARIF reports, and each run's stderr. */
  all: string;
}

/** The same command with -f json, -f pretty -v and -f sarif. */
async function runAllFormats(args: string[], env: Record<string, string | undefined> = {}): Promise<Outputs> {
  const json = await runCli([...args, '-f', 'json'], { env });
  let report: unknown;
  try {
    report = JSON.parse(json.stdout);
  } catch {
    throw new Error(`no JSON report (exit ${json.code}): ${json.stderr}`);
  }
  expectValidReport(report);
  const pretty = await runCli([...args, '-f', 'pretty', '-v'], { env });
  const sarif = await runCli([...args, '-f', 'sarif'], { env });
  JSON.parse(sarif.stdout);
  expect(pretty.code).toBe(json.code);
  expect(sarif.code).toBe(json.code);
  return { code: json.code, report, all: [json.stdout, json.stderr, pretty.stdout, pretty.stderr, sarif.stdout, sarif.stderr].join('\n') };
}

function expectNone(text: string, values: string[]): void {
  for (const v of values) {
    expect(text.includes(v), `a value (${v.slice(0, 4)}…) leaked`).toBe(false);
    // Not even most of it: a redacted form keeps at most 4 characters at each end.
    expect(text.includes(v.slice(2, -2)), `part of a value (${v.slice(0, 4)}…) leaked`).toBe(false);
  }
}

const gapsOf = (r: Report): string[] => r.targets.flatMap((t) => [t.error ?? '', ...(t.warnings ?? [])]).filter(Boolean);

describe('an MCP tool that exposes the server environment is a finding, and is never called', { timeout: 180_000 }, () => {
  const pat = fake.githubPat();
  let sdk: TestServer;
  let stateless: TestServer;
  let out: Outputs;
  beforeAll(async () => {
    sdk = await startStreamableServer({
      name: 'env-leaky',
      tools: [
        { name: 'get_env', description: "Returns the server's environment variables.", readOnly: true, answer: `GITHUB_TOKEN=${pat}` },
        { name: 'get_time', description: 'Current time.', readOnly: true },
        // Says nothing about secrets, but its answer holds one: called, and found by the secret rules.
        { name: 'get_status', description: 'Health of the service.', readOnly: true, answer: `ok; upstream token ${pat}` },
        { name: 'list_environments', description: 'Lists the deployment environments.', readOnly: true },
      ],
    });
    stateless = await startStateless2026Server([
      { name: 'printenv', description: 'Prints every variable.', readOnly: true, answer: `TOKEN=${pat}` },
      { name: 'read_file', description: 'Reads a file.', readOnly: true, params: { path: 'Path of the file' }, answer: pat },
      { name: 'run_command', description: 'Runs a command.', params: { command: 'Shell command line' } },
      // Optional input: without it, it might answer with every variable.
      { name: 'lookup', description: 'Looks a setting up.', readOnly: true, params: { name: 'Name of the environment variable' }, answer: `all: TOKEN=${pat}` },
      { name: 'get_weather', description: 'Weather for a city.', readOnly: true },
    ]);
    out = await runAllFormats(['mcp', sdk.url, stateless.url, '--call-tools', '--fail-on', 'none', '--timeout', '5000']);
  }, 180_000);
  afterAll(async () => {
    await sdk?.close();
    await stateless?.close();
  });

  it('tools that read the environment or files are not called even though they declare readOnlyHint', () => {
    // Each format ran the probe once: three runs.
    expect(sdk.rpc.filter((m) => m === 'tools/call:get_time')).toHaveLength(3);
    expect(sdk.rpc.filter((m) => m === 'tools/call:get_status')).toHaveLength(3);
    expect(sdk.rpc.filter((m) => m === 'tools/call:list_environments')).toHaveLength(3);
    expect(sdk.rpc).not.toContain('tools/call:get_env');
    expect(stateless.rpc.filter((m) => m === 'tools/call:get_weather')).toHaveLength(3);
    for (const t of ['printenv', 'read_file', 'run_command', 'lookup']) expect(stateless.rpc).not.toContain(`tools/call:${t}`);
  });

  it('one finding per endpoint: what each tool exposes and what gave it away', () => {
    const found = out.report.findings.filter((f) => f.ruleId === 'mcp-endpoint-tool-exposes-environment');
    expect(found).toHaveLength(2);
    const bySdk = found.find((f) => f.location.resource === sdk.url)!;
    expect(bySdk.severity).toBe('high');
    expect(bySdk.owasp).toEqual(expect.arrayContaining(['NHI2', 'NHI5']));
    expect(bySdk.evidence?.tools).toEqual([
      { tool: 'get_env', exposes: 'environment', signal: 'name' },
      { tool: 'get_status', exposes: 'secret-in-answer', signal: 'answer', secretRules: ['github-classic-pat'] },
    ]);
    expect(bySdk.message).toContain('without a token');
    const byStateless = found.find((f) => f.location.resource === stateless.url)!;
    expect(byStateless.evidence?.tools).toEqual([
      { tool: 'lookup', exposes: 'environment', signal: 'parameter name' },
      { tool: 'printenv', exposes: 'environment', signal: 'name' },
      { tool: 'run_command', exposes: 'shell', signal: 'name' },
      { tool: 'read_file', exposes: 'file-read', signal: 'name' },
    ]);
  });

  it('no tool answer and no value is in any output', () => {
    expectNone(out.all, [pat]);
    expect(out.all).not.toContain('upstream token');
  });
});

describe('what a GitHub server says in an error is redacted everywhere it is shown', { timeout: 240_000 }, () => {
  const sent = `opaque-${rand62(36)}`;
  const pat = fake.githubPat();
  const pat2 = fake.githubPat();
  const query = rand62(28);
  let gh: FakeGithub;
  let cache: string;
  let out: Outputs;
  beforeAll(async () => {
    cache = mkdtempSync(join(tmpdir(), 'nhi-audit-trust-remote-'));
    gh = new FakeGithub({
      orgs: ['acme', 'acme2'],
      routes: {},
      token: sent,
      gitError: `access denied for ${pat2} (sent ${sent})`,
      faults: {
        // GitHub's "Bad credentials", echoing the token this run sent (a format no rule knows).
        '/orgs/acme2/repos': { status: 401, message: `Bad credentials: ${sent}` },
        // …and a token a rule knows.
        '/repos/acme/other': { status: 401, message: `Bad credentials: ${pat}` },
        // A proxy that echoes the request line with a token in the query.
        '/repos/acme/app/actions/secrets': { status: 422, message: `Validation Failed for GET /repos/acme/app/actions/secrets?access_token=${query}&per_page=100` },
      },
    });
    const url = await gh.start();
    gh.fixture.routes['/orgs/acme/repos'] = [{ id: 1, name: 'app', full_name: 'acme/app', private: true, archived: false, fork: false, default_branch: 'main', clone_url: `${url}/git/app.git`, size: 10 }];
    out = await runAllFormats(['github', '--org', 'acme', '--org', 'acme2', '--repo', 'acme/other', '--api-url', url, '--cache-dir', cache, '--fail-on', 'none'], {
      GITHUB_TOKEN: sent,
      GH_TOKEN: undefined,
      XDG_CACHE_HOME: join(cache, 'xdg'),
    });
  }, 240_000);
  afterAll(async () => {
    await gh?.stop();
    if (cache) rmSync(cache, { recursive: true, force: true });
  });

  it('the gaps say what failed, with the server message redacted', () => {
    expect(out.code).toBe(2);
    const gaps = gapsOf(out.report);
    expect(gaps).toContainEqual(expect.stringMatching(/^cannot list the repositories of acme2: HTTP 401: Bad credentials: opaq…\w{4}/));
    expect(gaps).toContainEqual(expect.stringMatching(/^cannot read repository acme\/other: HTTP 401: Bad credentials: ghp_…\w{4}/));
    expect(gaps).toContainEqual(expect.stringMatching(/^cannot read the Actions secrets of acme\/app: HTTP 422: Validation Failed for GET \/repos\/acme\/app\/actions\/secrets\?access_token=\w{4}…\w{4}&per_page=100/));
    expect(gaps).toContainEqual(expect.stringMatching(/^cannot clone acme\/app: remote error: access denied for ghp_…\w{4} \(sent opaq…\w{4}\)/));
  });

  it('no token value is in the JSON, pretty or SARIF report or on stderr', () => {
    expect(out.all).toContain('Bad credentials');
    expectNone(out.all, [sent, pat, pat2, query]);
  });
});

describe('what an MCP server says in an error is redacted everywhere it is shown', { timeout: 240_000 }, () => {
  const pat = fake.githubPat();
  const bearer = `eyJ${rand62(40)}`;
  const userToken = `user-${rand62(32)}`;
  let servers: Array<HostileServer | TestServer> = [];
  afterEach(async () => {
    await Promise.all(servers.map((s) => s.close()));
    servers = [];
  });

  it('a JSON-RPC error on the handshake: the target fails with the server words, redacted', async () => {
    const s = await serve((req, res, body) => {
      let id: unknown = null;
      try {
        id = (JSON.parse(body) as { id?: unknown }).id ?? null;
      } catch {
        /* a GET */
      }
      if (req.method !== 'POST') {
        res.writeHead(405, { 'content-type': 'text/plain' });
        res.end(`no stream for Authorization: Bearer ${bearer}`);
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ jsonrpc: '2.0', id, error: { code: -32001, message: `Unauthorized: token ${pat} rejected` } }));
    });
    servers.push(s);
    const out = await runAllFormats(['mcp', `${s.url}/mcp`, '--timeout', '3000']);
    expect(out.code).toBe(2);
    expect(out.report.targets[0].status).toBe('error');
    expect(out.report.targets[0].error).toMatch(/no MCP handshake succeeded .*; the server said: -32001: Unauthorized: token ghp_…\w{4} rejected$/);
    expectNone(out.all, [pat, bearer]);
  });

  it('an HTTP 500 whose body echoes a token and an Authorization header', async () => {
    const s = await serve((_req, res) => {
      res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(`upstream failed for a request with Authorization: Bearer ${bearer} and token ${pat}\nstack trace line`);
    });
    servers.push(s);
    const out = await runAllFormats(['mcp', `${s.url}/mcp`, '--timeout', '3000']);
    expect(out.code).toBe(2);
    expect(out.report.targets[0].error).toMatch(/HTTP 500; the server said: upstream failed for a request with Authorization: Bearer eyJ\w…\w{4} and token ghp_…\w{4}$/);
    expectNone(out.all, [pat, bearer]);
    expect(out.all).not.toContain('stack trace line');
  });

  it('a real SDK server whose tools/list error echoes a token: a warning that says what failed, partial', async () => {
    const s = await startStreamableServer({ tools: [{ name: 'get_time' }], listToolsError: `listing denied: ${pat} / Authorization: Bearer ${bearer}` });
    servers.push(s);
    const out = await runAllFormats(['mcp', s.url, '--timeout', '3000']);
    expect(out.code).toBe(2);
    expect(out.report.targets[0].status).toBe('partial');
    expect(gapsOf(out.report)).toContainEqual(expect.stringMatching(/handshake completed but tools\/list failed \(-32603: listing denied: ghp_…\w{4} \/ Authorization: Bearer eyJ\w…\w{4}\)/));
    expectNone(out.all, [pat, bearer]);
  });

  it('a 401 whose challenge and body echo the --token-env token: the evidence keeps the challenge, redacted', async () => {
    const s = await serve((_req, res) => {
      res.writeHead(401, { 'content-type': 'application/json', 'www-authenticate': `Bearer error="invalid_token", error_description="token ${userToken} is for another audience"` });
      res.end(JSON.stringify({ error: 'invalid_token', error_description: `token ${userToken} rejected` }));
    });
    servers.push(s);
    const out = await runAllFormats(['mcp', `${s.url}/mcp`, '--token-env', 'TRUST_REMOTE_TOKEN', '--timeout', '3000', '--fail-on', 'none'], { TRUST_REMOTE_TOKEN: userToken });
    const f = out.report.findings.find((x) => x.ruleId === 'mcp-endpoint-missing-auth-challenge');
    expect(f?.evidence?.wwwAuthenticate).toMatch(/^Bearer error="invalid_token", error_description="token user…\w{4} is for another audience"$/);
    expectNone(out.all, [userToken]);
  });
});

describe('MCP: 501 Not Implemented is not retried, 503 is', { timeout: 120_000 }, () => {
  let s: HostileServer | undefined;
  afterEach(async () => {
    await s?.close();
    s = undefined;
  });
  const count = async (status: number): Promise<{ requests: number; retries: number }> => {
    let requests = 0;
    s = await serve((_req, res) => {
      requests++;
      res.writeHead(status, { 'content-type': 'text/plain', 'retry-after': '0' });
      res.end('no');
    });
    const r = await runCli(['mcp', `${s.url}/mcp`, '--timeout', '2000', '-f', 'json']);
    expect(r.code).toBe(2);
    const report = JSON.parse(r.stdout) as Report;
    await s.close();
    s = undefined;
    return { requests, retries: Number(report.targets[0].stats?.retries ?? 0) };
  };

  it('the same three handshake attempts: one request each for 501, three each for 503', async () => {
    const r501 = await count(501);
    const r503 = await count(503);
    expect(r501.retries).toBe(0);
    expect(r501.requests).toBe(3);
    expect(r503.retries).toBeGreaterThan(0);
    expect(r503.requests).toBe(3 * r501.requests);
  });
});
