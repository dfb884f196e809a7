import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Finding, Location } from '../src/model/finding.js';
import type { Report } from '../src/model/report.js';
import { runCli, type CliResult } from './helpers/cli.js';
import { acmeFixture, EXPECTED_CHECKS, WORKFLOWS, type AcmeFixture } from './github-fixture.js';
import { TempRepo } from './helpers/git-repo.js';

// `nhi-audit github` end to end: the built CLI against the fake GitHub API (127.0.0.1) and bare
// repositories behind file:// clone URLs.

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((f) => join(dir, f))
    .filter((f) => statSync(f).isFile());
}

/** Every command line on the machine, polled while `during` runs (the token must never be in one). */
async function watchProcesses<T>(during: Promise<T>): Promise<{ result: T; lines: Set<string>; polls: number }> {
  const lines = new Set<string>();
  let done = false;
  let polls = 0;
  const poll = async (): Promise<void> => {
    while (!done) {
      await new Promise<void>((resolve) =>
        execFile('ps', ['-eo', 'args', '-ww'], { maxBuffer: 16 * 1024 * 1024 }, (_e, out) => {
          for (const l of String(out ?? '').split('\n')) lines.add(l);
          resolve();
        }),
      );
      polls++;
    }
  };
  const watcher = poll();
  const result = await during;
  done = true;
  await watcher;
  return { result, lines, polls };
}

function countBy(xs: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const x of xs.sort()) out[x] = (out[x] ?? 0) + 1;
  return out;
}

/** Findings with target indexes replaced by target paths, so two reports can be compared. */
function normalise(r: Report): unknown {
  const where = (l: Location) => ({ ...l, target: r.targets[l.target ?? 0]?.path });
  const f = (x: Finding) => ({
    ...x,
    location: where(x.location),
    owasp: [...x.owasp].sort(),
    occurrences: x.occurrences.map(where).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))),
  });
  return {
    findings: r.findings.map(f).sort((a, b) => a.id.localeCompare(b.id)),
    targets: r.targets.map((t) => ({ path: t.path, status: t.status })).sort((a, b) => a.path.localeCompare(b.path)),
  };
}

describe('nhi-audit github (built CLI, fake API, file:// repositories)', { timeout: 180_000 }, () => {
  let fx: AcmeFixture;
  let cache: string;
  let out: string;
  let first: CliResult;
  let report: Report;
  let psLines: Set<string>;
  let psPolls: number;
  const env = (): Record<string, string | undefined> => ({ GITHUB_TOKEN: fx.token, GH_TOKEN: undefined, XDG_CACHE_HOME: join(out, 'xdg') });
  const base = (): string[] => ['github', '--org', 'acme', '--api-url', fx.server.url, '--cache-dir', cache, '--fail-on', 'none', '-f', 'json'];

  beforeAll(async () => {
    fx = await acmeFixture();
    cache = mkdtempSync(join(tmpdir(), 'nhi-audit-ghcache-'));
    out = mkdtempSync(join(tmpdir(), 'nhi-audit-ghout-'));
    const w = await watchProcesses(runCli(base(), { env: env() }));
    first = w.result;
    psLines = w.lines;
    psPolls = w.polls;
    report = JSON.parse(first.stdout) as Report;
  });
  afterAll(async () => {
    await fx.cleanup();
    rmSync(cache, { recursive: true, force: true });
    rmSync(out, { recursive: true, force: true });
  });

  it('audits the organisation: one target for the org and one per repository, forks skipped, archived kept', () => {
    // The fixture forbids one inventory endpoint of acme/old: a partly read target is not a pass (exit 2).
    expect(first.code, first.stderr).toBe(2);
    expect(first.stderr).toContain('acme/old: cannot read the Actions secrets of acme/old (HTTP 403)');
    expect(report.targets.map((t) => `${t.path}:${t.status}`).sort()).toEqual(['acme/ci:ok', 'acme/clean:ok', 'acme/history:ok', 'acme/leaky:ok', 'acme/old:partial', 'acme:ok']);
  });

  it('fires every inventory and workflow check of the fixture exactly as planted, and nothing else', () => {
    const posture = report.findings.filter((f) => f.ruleId.startsWith('github-')).map((f) => f.ruleId);
    expect(countBy(posture)).toEqual(countBy([...EXPECTED_CHECKS]));
  });

  it('finds the secret in a file and the one only in history, through the detector', () => {
    const secrets = report.findings.filter((f) => f.secret);
    const inFile = secrets.find((f) => f.location.path === 'config/payments.js');
    const inHistory = secrets.find((f) => f.location.path === 'notify.sh');
    expect(inFile, JSON.stringify(secrets.map((f) => f.location))).toBeDefined();
    expect(inHistory).toBeDefined();
    expect(inHistory!.location.commit).toMatch(/^[0-9a-f]{40}$/);
    expect(report.targets[inFile!.location.target ?? -1].path).toBe('acme/leaky');
    expect(report.targets[inHistory!.location.target ?? -1].path).toBe('acme/history');
  });

  it('clean repositories and settings produce nothing', () => {
    const clean = report.targets.findIndex((t) => t.path === 'acme/clean');
    const about = report.findings.filter((f) => f.location.target === clean || f.occurrences.some((o) => o.target === clean) || (f.location.resource ?? '').includes('acme/clean'));
    expect(about.map((f) => f.ruleId)).toEqual([]);
  });

  it('lands workflow findings on the workflow line, and inventory findings on the resource', () => {
    const wf = report.findings.find((f) => f.ruleId === 'github-workflow-static-cloud-credentials')!;
    expect([wf.location.path, wf.location.line]).toEqual(['.github/workflows/deploy.yml', 13]);
    const write = report.findings.find((f) => f.ruleId === 'github-deploy-key-write')!;
    expect(write.location.resource).toMatch(/^github:acme\/leaky:deploy-key:SHA256:/);
    const env = report.findings.find((f) => f.ruleId === 'github-environment-no-approval')!;
    expect([env.location.resource, env.location.path, env.location.line]).toEqual(['github:acme/ci:environment:production', '.github/workflows/deploy.yml', 8]);
  });

  it('reports the 403 as a coverage gap naming the permission, and the retried requests', () => {
    const old = report.targets.find((t) => t.path === 'acme/old')!;
    expect(JSON.stringify(old)).toMatch(/Actions secrets of acme\/old \(HTTP 403\).*Secrets: read/);
    expect(fx.server.requests.filter((r) => r.path === '/orgs/acme/hooks').map((r) => r.status)).toEqual([403, 200]);
    expect(fx.server.requests.filter((r) => r.path === '/repos/acme/clean/hooks').map((r) => r.status)).toEqual([502, 200]);
    expect(fx.server.count('/orgs/acme/repos')).toBe(3); // Link pagination, 2 a page
  });

  it('lists every identity it saw in the inventory', () => {
    const kinds = new Set((report.inventory ?? []).map((r) => r.kind));
    for (const k of ['github-actions-secret', 'github-deploy-key', 'github-app', 'github-webhook', 'github-token', 'github-environment']) expect(kinds, k).toContain(k);
  });

  it('never shows the token: not in stdout, stderr, the cache, or any command line during the clones', () => {
    expect(first.stdout).not.toContain(fx.token);
    expect(first.stderr).not.toContain(fx.token);
    for (const f of filesUnder(cache)) expect(readFileSync(f).includes(fx.token), f).toBe(false);
    expect(psPolls).toBeGreaterThan(0);
    expect([...psLines].filter((l) => l.includes(fx.token))).toEqual([]);
    // The API did get it.
    expect(fx.server.requests.every((r) => r.auth === 'expected')).toBe(true);
  });

  it('clones the first time and fetches from the cache the next', async () => {
    const sum = (r: Report, k: string): number => r.targets.reduce((n, t) => n + (t.stats[k] ?? 0), 0);
    expect([sum(report, 'cloned'), sum(report, 'fetched')]).toEqual([5, 0]);
    const again = await runCli(base(), { env: env() });
    const r2 = JSON.parse(again.stdout) as Report;
    expect([sum(r2, 'cloned'), sum(r2, 'fetched')]).toEqual([0, 5]);
    expect(normalise(r2)).toEqual(normalise(report));
  });

  it('--shard 1/2 and 2/2 joined by merge equal the unsharded run', async () => {
    const files: string[] = [];
    for (const i of [1, 2]) {
      const f = join(out, `shard-${i}.json`);
      const r = await runCli([...base(), '--shard', `${i}/2`, '-o', f, '--allow-partial'], { env: env() });
      expect(r.code, r.stderr).toBe(0);
      files.push(f);
    }
    const shards = files.map((f) => JSON.parse(readFileSync(f, 'utf8')) as Report);
    expect(shards.every((s) => s.targets.length > 0)).toBe(true);
    const merged = await runCli(['merge', ...files, '-f', 'json', '--fail-on', 'none', '--allow-partial']);
    expect(merged.code, merged.stderr).toBe(0);
    expect(normalise(JSON.parse(merged.stdout) as Report)).toEqual(normalise(report));
  });

  it('a repository that cannot be cloned fails its target (exit 2) unless --allow-partial', async () => {
    const args = ['github', '--repo', 'acme/fork-of-something', '--repo', 'acme/clean', '--api-url', fx.server.url, '--cache-dir', cache, '--fail-on', 'none', '-f', 'json'];
    const r = await runCli(args, { env: env() });
    expect(r.code).toBe(2);
    const rep = JSON.parse(r.stdout) as Report;
    const bad = rep.targets.find((t) => t.path === 'acme/fork-of-something')!;
    expect(bad.status).toBe('error');
    expect(bad.error).toMatch(/cannot clone acme\/fork-of-something/);
    expect(rep.targets.find((t) => t.path === 'acme/clean')!.status).toBe('ok');
    const partial = await runCli([...args, '--allow-partial'], { env: env() });
    expect(partial.code).toBe(0);
  });

  it('audit --github-repo runs the same source next to a code target, in one report', async () => {
    const code = mkdtempSync(join(tmpdir(), 'nhi-audit-code-'));
    const r = await runCli(['audit', code, '--github-repo', 'acme/leaky', '--api-url', fx.server.url, '--fail-on', 'none', '-f', 'json', '--no-history'], { env: env() });
    rmSync(code, { recursive: true, force: true });
    expect(r.code, r.stderr).toBe(0);
    const rep = JSON.parse(r.stdout) as Report;
    expect(rep.targets.map((t) => `${t.kind}:${t.status}`)).toEqual(['code:ok', 'github:ok']);
    const ids = rep.findings.map((f) => f.ruleId);
    expect(ids).toContain('github-deploy-key-write');
    expect(rep.findings.some((f) => f.secret && f.location.path === 'config/payments.js')).toBe(true);
    expect(r.stdout + r.stderr).not.toContain(fx.token);
  });

  it('usage errors exit 2; no token warns about the public rate limit', async () => {
    expect((await runCli(['github'], { env: env() })).code).toBe(2);
    expect((await runCli(['github', '--repo', 'not-a-repo'], { env: env() })).code).toBe(2);
    const r = await runCli(['github', '--repo', 'acme/clean', '--api-url', fx.server.url, '--cache-dir', cache, '--no-clone', '--fail-on', 'none', '-f', 'json'], { env: { GITHUB_TOKEN: undefined, GH_TOKEN: undefined } });
    expect(r.stderr).toMatch(/no GitHub token.*60 API requests an hour/);
    const viaVar = await runCli(['github', '--repo', 'acme/clean', '--api-url', fx.server.url, '--cache-dir', cache, '--no-clone', '--token-env', 'MY_GH', '-f', 'json', '--fail-on', 'none'], { env: { GITHUB_TOKEN: undefined, MY_GH: fx.token } });
    expect(viaVar.code, viaVar.stderr).toBe(0);
    expect(viaVar.stderr).not.toMatch(/no GitHub token/);
  });
});

describe('workflow checks in a local scan (built CLI)', { timeout: 60_000 }, () => {
  it('scan of a repository runs the same workflow checks, on the workflow lines', async () => {
    const repo = new TempRepo();
    try {
      repo.commit('ci', {
        '.github/workflows/ci.yml': `on: pull_request_target
permissions: write-all
jobs:
  t:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          ref: \${{ github.event.pull_request.head.sha }}
          persist-credentials: false
      - run: npm test
`,
        '.github/workflows/clean.yml': WORKFLOWS.clean,
      });
      const r = await runCli(['scan', repo.dir, '-f', 'json', '--fail-on', 'none']);
      expect(r.code, r.stderr).toBe(0);
      const rep = JSON.parse(r.stdout) as Report;
      const wf = rep.findings.filter((f) => f.ruleId.startsWith('github-workflow-')).map((f) => `${f.ruleId} ${f.location.path}:${f.location.line}`);
      expect(wf.sort()).toEqual(['github-workflow-untrusted-checkout .github/workflows/ci.yml:9', 'github-workflow-write-all .github/workflows/ci.yml:2']);
    } finally {
      repo.remove();
    }
  });
});
