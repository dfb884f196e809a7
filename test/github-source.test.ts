import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Artifact } from '../src/model/artifact.js';
import type { GithubOrgObservation, GithubRepoObservation, WorkflowFile } from '../src/model/github.js';
import { githubSourceOptions, githubSources } from '../src/sources/github/index.js';
import { sshFingerprint } from '../src/sources/github/inventory.js';
import { tokenHostFor } from '../src/sources/github/clone.js';
import { parseWorkflow } from '../src/sources/github/workflow.js';
import { acmeFixture, WORKFLOWS, type AcmeFixture } from './github-fixture.js';

async function collect(fx: AcmeFixture, cacheDir: string, extra: Record<string, unknown> = {}): Promise<Artifact[]> {
  const [src] = githubSources({ orgs: ['acme'], apiUrl: fx.server.url, token: fx.token, cacheDir, concurrency: 2, ...extra });
  const out: Artifact[] = [];
  for await (const a of src.open({ now: new Date() })) out.push(a);
  return out;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((f) => join(dir, f))
    .filter((f) => statSync(f).isFile());
}

describe('GitHub source against the fake API (artifacts, no pipeline)', { timeout: 60_000 }, () => {
  let fx: AcmeFixture;
  let cache: string;
  let first: Artifact[];

  beforeAll(async () => {
    fx = await acmeFixture();
    cache = mkdtempSync(join(tmpdir(), 'nhi-audit-ghcache-'));
    first = await collect(fx, cache);
  });
  afterAll(async () => {
    await fx.cleanup();
    rmSync(cache, { recursive: true, force: true });
  });

  const obs = <T>(arts: Artifact[], type: string): T[] => arts.flatMap((a) => (a.kind === 'observation' && a.type === type ? [a.data as T] : []));

  it('follows Link pagination for the repository list and every list endpoint', () => {
    // 6 repositories at 2 a page: 3 requests.
    expect(fx.server.count('/orgs/acme/repos')).toBe(3);
    const org = obs<GithubOrgObservation>(first, 'github-org')[0];
    expect(org.personalAccessTokens).toHaveLength(4);
    expect(org.secrets).toHaveLength(4);
    expect(org.installations).toHaveLength(3);
  });

  it('retries a secondary rate limit (retry-after) and a 502, and sends the token on every request', () => {
    const hooks = fx.server.requests.filter((r) => r.path === '/orgs/acme/hooks').map((r) => r.status);
    expect(hooks).toEqual([403, 200]);
    const clean = fx.server.requests.filter((r) => r.path === '/repos/acme/clean/hooks').map((r) => r.status);
    expect(clean).toEqual([502, 200]);
    expect(obs<GithubOrgObservation>(first, 'github-org')[0].webhooks).toHaveLength(2);
    // The primary limit ran out (x-ratelimit-remaining: 0): waited for x-ratelimit-reset, then read all pages.
    expect(fx.server.requests.filter((r) => r.path === '/orgs/acme/installations').map((r) => r.status)).toEqual([403, 200, 200]);
    expect(obs<GithubOrgObservation>(first, 'github-org')[0].installations).toHaveLength(3);
    expect(fx.server.requests.every((r) => r.auth === 'expected')).toBe(true);
    // acme/leaky is cloned over smart HTTP from the same host: git got the token (the server answers 401 without it).
    expect(fx.server.requests.some((r) => r.path.startsWith('/git/leaky.git/') && r.status === 200 && r.auth === 'expected')).toBe(true);
  });

  it('sends the token to git only for the API host', () => {
    expect(tokenHostFor('https://github.com/acme/api.git', 'https://api.github.com')).toBe('https://github.com');
    expect(tokenHostFor('https://ghe.acme.test/acme/api.git', 'https://ghe.acme.test')).toBe('https://ghe.acme.test');
    expect(tokenHostFor('https://evil.test/acme/api.git', 'https://api.github.com')).toBeUndefined();
    expect(tokenHostFor('file:///tmp/x.git', 'https://api.github.com')).toBeUndefined();
  });

  it('turns a 403 on an inventory endpoint into a coverage gap naming the permission, not a failure', () => {
    const gaps = first.filter((a) => a.kind === 'coverage' && a.target.path === 'acme/old');
    expect(gaps).toHaveLength(1);
    const gap = gaps[0] as Extract<Artifact, { kind: 'coverage' }>;
    expect(gap.gap.fatal).toBeUndefined();
    expect(gap.gap.reason).toMatch(/Actions secrets of acme\/old \(HTTP 403\).*"Secrets: read"/);
    expect(obs<GithubRepoObservation>(first, 'github-repo').find((r) => r.repo === 'acme/old')!.secrets).toBeUndefined();
  });

  it('skips forks by default, keeps archived repositories, and yields content, workflows and inventory', () => {
    const repos = obs<GithubRepoObservation>(first, 'github-repo').map((r) => r.repo).sort();
    expect(repos).toEqual(['acme/ci', 'acme/clean', 'acme/history', 'acme/leaky', 'acme/old']);
    const texts = first.filter((a) => a.kind === 'text');
    const bytes = texts.map((a) => Buffer.from((a as { content: { bytes: Uint8Array } }).content.bytes).toString('utf8')).join('\n');
    expect(bytes).toContain(fx.headSecret);
    expect(bytes).toContain(fx.historySecret); // only in history
    const wfs = obs<WorkflowFile>(first, 'github-workflow');
    expect(wfs.map((w) => `${w.repo}:${w.path}`).sort()).toEqual([
      'acme/ci:.github/workflows/deploy.yml',
      'acme/ci:.github/workflows/lint.yaml',
      'acme/ci:.github/workflows/pr.yml',
      'acme/ci:.github/workflows/release.yml',
      'acme/clean:.github/workflows/ci.yml',
    ]);
    expect(wfs.find((w) => w.path.endsWith('deploy.yml'))!.defaultWorkflowPermissions).toBe('write');
    const ci = obs<GithubRepoObservation>(first, 'github-repo').find((r) => r.repo === 'acme/ci')!;
    expect(ci.workflowEnvironments).toEqual([{ environment: 'production', path: '.github/workflows/deploy.yml', line: 8, job: 'deploy' }]);
    const kinds = first.flatMap((a) => (a.kind === 'inventory' ? [a.record.kind] : []));
    for (const k of ['github-actions-secret', 'github-deploy-key', 'github-app', 'github-webhook', 'github-token', 'github-environment']) expect(kinds).toContain(k);
    // Webhook URLs are cut to their origin (a path may carry a token).
    expect(JSON.stringify(first.filter((a) => a.kind !== 'text'))).not.toContain('abc123');
    const org = obs<GithubOrgObservation>(first, 'github-org')[0];
    expect(org.deployKeys!.filter((k) => k.fingerprint === org.deployKeys!.find((x) => x.repo === 'acme/leaky')!.fingerprint).map((k) => k.repo).sort()).toEqual(['acme/history', 'acme/leaky']);
  });

  it('clones into the cache the first time and fetches the next, with no token in any cache file', async () => {
    const statsOf = (arts: Artifact[], key: string): number => arts.reduce((n, a) => n + (a.kind === 'stats' ? (a.stats?.[key] ?? 0) : 0), 0);
    expect(statsOf(first, 'cloned')).toBe(5);
    expect(statsOf(first, 'fetched')).toBe(0);
    const second = await collect(fx, cache);
    expect(statsOf(second, 'cloned')).toBe(0);
    expect(statsOf(second, 'fetched')).toBe(5);
    for (const f of filesUnder(cache)) expect(readFileSync(f).includes(fx.token), f).toBe(false);
  });

  it('a repository that cannot be cloned is a fatal gap of its own target; the others still run', async () => {
    const c = mkdtempSync(join(tmpdir(), 'nhi-audit-ghcache-'));
    try {
      const arts = await collect(fx, c, { orgs: ['acme'], includeForks: true, repoFilter: ['fork-*', 'clean'] });
      const fatal = arts.filter((a) => a.kind === 'coverage' && a.gap.fatal);
      expect(fatal.map((a) => a.target.path)).toEqual(['acme/fork-of-something']);
      expect((fatal[0] as Extract<Artifact, { kind: 'coverage' }>).gap.reason).toMatch(/^cannot clone acme\/fork-of-something: /);
      expect(arts.some((a) => a.kind === 'observation' && a.type === 'github-repo' && (a.data as GithubRepoObservation).repo === 'acme/clean')).toBe(true);
    } finally {
      rmSync(c, { recursive: true, force: true });
    }
  });

  it('defaults: api.github.com, 4 at once, archived in, forks out, cache under XDG_CACHE_HOME', () => {
    const prev = process.env.XDG_CACHE_HOME;
    process.env.XDG_CACHE_HOME = '/tmp/xdg-test';
    try {
      const o = githubSourceOptions({ orgs: ['x'] });
      expect([o.concurrency, o.includeArchived, o.includeForks, o.cacheDir]).toEqual([4, true, false, '/tmp/xdg-test/nhi-audit']);
    } finally {
      if (prev === undefined) delete process.env.XDG_CACHE_HOME;
      else process.env.XDG_CACHE_HOME = prev;
    }
  });
});

describe('parseWorkflow', () => {
  it('gives lines for jobs, steps, permissions, role assumptions and static cloud keys', () => {
    const wf = parseWorkflow('.github/workflows/deploy.yml', WORKFLOWS.deploy);
    expect(wf.parseError).toBeUndefined();
    expect(wf.triggers).toEqual(['push']);
    expect(wf.jobs.map((j) => [j.id, j.line, j.environment?.value])).toEqual([['deploy', 6, 'production']]);
    expect(wf.staticCloudKeys).toEqual([{ provider: 'aws', secretNames: ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY'], line: 13, job: 'deploy', via: 'aws-actions/configure-aws-credentials' }]);
    const clean = parseWorkflow('ci.yml', WORKFLOWS.clean);
    expect(clean.roleAssumptions).toEqual([{ roleArn: 'arn:aws:iam::111122223333:role/ci-readonly', line: 15, job: 'test' }]);
    expect(clean.staticCloudKeys).toEqual([]);
    expect(clean.permissions?.scopes).toEqual({ contents: 'read', 'id-token': 'write' });
    const rel = parseWorkflow('release.yml', WORKFLOWS.release);
    expect(rel.permissions?.all).toBe('write-all');
    expect(rel.secretExpressions).toEqual([{ expression: 'secrets.NPM_TOKEN', line: 10, job: 'release', inRun: true, echoed: true }]);
  });

  it('never throws on a file that is not a workflow', () => {
    expect(parseWorkflow('x.yml', 'a: [').parseError).toBeDefined();
    expect(parseWorkflow('x.yml', '- just\n- a list\n').parseError).toBe('not a YAML mapping');
  });

  it('fingerprints SSH keys like ssh-keygen -l', () => {
    // ssh-keygen -lf of this key prints SHA256:xdbDLLXrSXDhqxbgsbNBVj0MdWvvKmGlypW4aR8Ozr8 (checked once by hand).
    const fp = sshFingerprint('ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHzbdbR7H8NUQRwq+1GIXS2t2WR3b4QR8/ZUkVyIcn5o test');
    expect(fp).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
  });
});
