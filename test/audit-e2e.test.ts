import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Finding } from '../src/model/finding.js';
import type { Report } from '../src/model/report.js';
import { ACCOUNT_ID, FAKE_AWS_ENV, fixtureAccount } from './fixtures/aws/account.js';
import { runCli } from './helpers/cli.js';
import { TempRepo } from './helpers/git-repo.js';
import { startIamServer, type IamServer } from './helpers/iam-server.js';
import { startStreamableServer, type TestServer } from './helpers/mcp-servers.js';
import { expectValidReport, runJson } from './helpers/report.js';
import { fake } from './helpers/tokens.js';

// `nhi-audit audit` end to end: the built CLI over two temp git repositories, the local IAM/STS
// Query server (the real AWS SDK talks to it) and a local unauthenticated MCP server, in one run.

const A = `arn:aws:iam::${ACCOUNT_ID}`;
const T = { timeout: 180_000 };

describe('nhi-audit audit (built CLI)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nhi-audit-e2e-'));
  const keyId = fake.awsKeyId();
  const shared = fake.slackBot();
  const agentToken = fake.stripeLive();
  let iam: IamServer;
  let mcp: TestServer;
  let a: TempRepo;
  let b: TempRepo;
  let report: Report;
  let code: number;
  let stdout: string;
  let workflowLine: number;

  beforeAll(async () => {
    const account = fixtureAccount();
    // ci-deployer's active key gets a realistic id (the fixture's ids say EXAMPLE, which the scanner ignores).
    for (const k of account.accessKeys) if (k.AccessKeyId === 'AKIAEXAMPLECIDEPLOY7') k.AccessKeyId = keyId;
    iam = await startIamServer(account, { existingReportAgeMs: 60_000 });
    mcp = await startStreamableServer({ name: 'notes', tools: [{ name: 'search_notes', description: 'Search the notes' }] });

    a = new TempRepo();
    a.commit('deploy script', { 'deploy/env.sh': `export AWS_ACCESS_KEY_ID=${keyId}\n` });
    const workflow = ['name: deploy', 'on: push', 'permissions:', '  id-token: write', '  contents: read', 'jobs:', '  deploy:', '    runs-on: ubuntu-latest', '    steps:', '      - uses: actions/checkout@v4', '        with:', '          persist-credentials: false', '      - uses: aws-actions/configure-aws-credentials@v4', '        with:', `          role-to-assume: ${A}:role/gh-deploy`, '          aws-region: us-east-1', ''];
    workflowLine = workflow.findIndex((l) => l.includes('role-to-assume')) + 1;
    a.commit('ci', {
      '.github/workflows/deploy.yml': workflow.join('\n'),
      'config/prod.env': `SLACK_BOT_TOKEN=${shared}\n`,
      '.cursor/mcp.json': JSON.stringify({ mcpServers: { notes: { url: mcp.url, headers: { Authorization: `Bearer ${agentToken}` } } } }, null, 2),
    });
    b = new TempRepo();
    b.commit('dev config', { 'config/dev.env': `SLACK_BOT_TOKEN=${shared}\n` });

    const r = await runCli(['audit', a.dir, b.dir, '--endpoint-url', iam.url, '--mcp', mcp.url, '--now', '2026-01-01', '-f', 'json', '--fail-on', 'none', '--inventory', join(dir, 'inventory.csv')], {
      cwd: dir,
      env: FAKE_AWS_ENV,
    });
    code = r.code;
    stdout = r.stdout;
    try {
      report = JSON.parse(r.stdout) as Report;
    } catch {
      throw new Error(`no JSON report (exit ${r.code}): ${r.stderr}`);
    }
  }, 240_000);

  afterAll(async () => {
    await iam?.close();
    await mcp?.close();
    a?.remove();
    b?.remove();
    rmSync(dir, { recursive: true, force: true });
  });

  const byRule = (id: string): Finding[] => report.findings.filter((f) => f.ruleId === id || (f.evidence?.alsoMatchedBy as string[] | undefined)?.includes(id));

  it('one valid report over every target, exit 0 with --fail-on none, no secret value in it', T, () => {
    expectValidReport(report);
    expect(code).toBe(0);
    expect(report.targets.map((t) => `${t.kind}:${t.status}`)).toEqual(['code:ok', 'code:ok', `aws:ok`, 'mcp-endpoint:ok']);
    expect(report.targets[2].path).toBe(`aws:${ACCOUNT_ID}`);
    for (const v of [keyId, shared, agentToken]) expect(stdout.includes(v)).toBe(false);
  });

  it('the committed key id is raised to critical because IAM shows it active, naming its user', T, () => {
    const f = report.findings.find((x) => x.secret?.identifierFingerprint && x.location.path === 'deploy/env.sh')!;
    expect(f).toBeDefined();
    expect(f.severity).toBe('critical');
    expect(f.evidence).toMatchObject({ iamUser: 'ci-deployer', iamUserArn: `${A}:user/ci-deployer`, iamKeyStatus: 'Active' });
    expect(f.message).toContain('active key of IAM user ci-deployer');
    expect(f.factors?.map((x) => x.factor)).toContain('confirmed-active');
    expect(f.score).toBeGreaterThanOrEqual(9.5);
    const iamSide = report.findings.find((x) => x.ruleId === 'aws-leaked-access-key')!;
    expect(iamSide.related).toContain(f.id);
    expect(f.related).toContain(iamSide.id);
  });

  it('the same token in two repositories is one NHI9 finding with both places (and NHI8: prod and dev)', T, () => {
    const fs = report.findings.filter((f) => f.secret && f.occurrences.some((o) => o.path === 'config/dev.env'));
    expect(fs).toHaveLength(1);
    const [f] = fs;
    expect(f.owasp).toEqual(expect.arrayContaining(['NHI2', 'NHI9', 'NHI8']));
    expect(new Set(f.occurrences.map((o) => `${o.target}:${o.path}`))).toEqual(new Set(['0:config/prod.env', '1:config/dev.env']));
    expect(f.factors).toEqual(expect.arrayContaining([{ factor: 'reuse', delta: 0.2 }]));
  });

  it('a workflow that assumes a role with unrestricted OIDC trust gets an NHI6 finding on its line', T, () => {
    const [f] = byRule('workflow-assumes-unrestricted-role');
    expect(f).toBeDefined();
    expect(f.owasp[0]).toBe('NHI6');
    expect(f.location).toMatchObject({ path: '.github/workflows/deploy.yml', line: workflowLine, resource: `${A}:role/gh-deploy`, target: 0 });
    expect(f.related).toEqual([report.findings.find((x) => x.ruleId === 'aws-oidc-trust-unrestricted')!.id]);
  });

  it('the agent story: the unauthenticated MCP server whose config holds a literal token is one linked finding', T, () => {
    const [f] = byRule('mcp-open-server-with-literal-token');
    expect(f).toBeDefined();
    expect(f.severity).toBe('critical');
    expect(f.location).toMatchObject({ path: '.cursor/mcp.json', resource: mcp.url });
    const open = report.findings.find((x) => x.ruleId === 'mcp-endpoint-unauthenticated')!;
    const token = report.findings.find((x) => x.secret && x.occurrences.some((o) => o.path === '.cursor/mcp.json'))!;
    expect(f.related).toEqual([open.id, token.id]);
    expect(f.message).toContain(mcp.url);
  });

  it('the posture lists all ten OWASP categories, assessed or not, with a grade', T, () => {
    const p = report.posture!;
    expect(p.categories.map((c) => c.id)).toEqual(['NHI1', 'NHI2', 'NHI3', 'NHI4', 'NHI5', 'NHI6', 'NHI7', 'NHI8', 'NHI9', 'NHI10']);
    for (const c of p.categories) expect(c.assessed, c.id).toBe(true);
    expect(p.grade).toBe('F');
    const nhi2 = p.categories.find((c) => c.id === 'NHI2')!;
    expect(nhi2.findings).toBe(report.findings.filter((f) => f.owasp.includes('NHI2')).length);
    expect(nhi2.highestScore).toBe(Math.max(...report.findings.filter((f) => f.owasp.includes('NHI2')).map((f) => f.score)));
  });

  it('the inventory lists every identity seen, with its findings, in the report and as CSV', T, () => {
    const inv = report.inventory!;
    const user = inv.find((r) => r.id === `${A}:user/ci-deployer`)!;
    expect(user).toMatchObject({ kind: 'aws-user', name: 'ci-deployer', provider: 'aws' });
    const leaked = report.findings.find((x) => x.secret?.identifierFingerprint && x.location.path === 'deploy/env.sh')!;
    expect(user.findings).toContain(report.findings.find((x) => x.ruleId === 'aws-leaked-access-key')!.id);
    const key = inv.find((r) => r.kind === 'aws-access-key' && r.findings.includes(leaked.id))!;
    expect(key).toMatchObject({ owner: 'ci-deployer', status: 'active' });
    expect(key.name).not.toContain(keyId);
    expect(inv.filter((r) => r.kind === 'leaked-credential').length).toBe(report.findings.filter((f) => f.secret).length);
    expect(inv.find((r) => r.kind === 'mcp-server' && r.id === mcp.url)).toMatchObject({ status: 'active' });
    expect(inv.find((r) => r.id === `${A}:role/gh-deploy`)!.findings.length).toBeGreaterThan(0);
    const csv = readFileSync(join(dir, 'inventory.csv'), 'utf8').split('\n');
    expect(csv[0]).toBe('kind,id,name,provider,owner,created,lastUsed,ageDays,status,privilege,permissions,where,findings,highestScore');
    expect(csv.filter(Boolean)).toHaveLength(inv.length + 1);
    for (const v of [keyId, shared, agentToken]) expect(csv.join('\n').includes(v)).toBe(false);
  });

  it('the same credential has the same id, severity and score in scan, mcp and audit', T, async () => {
    // The same MCP config read by `mcp --config` and found by `scan` in a folder outside git.
    const plain = join(dir, 'plain', '.cursor');
    mkdirSync(plain, { recursive: true });
    writeFileSync(join(plain, 'mcp.json'), readFileSync(join(a.dir, '.cursor', 'mcp.json')));
    const viaMcp = await runJson(['mcp', '--config', join(plain, 'mcp.json'), '--fail-on', 'none'], { cwd: dir });
    const viaScan = await runJson(['scan', join(dir, 'plain'), '--fail-on', 'none'], { cwd: dir });
    const pick = (r: Report) => r.findings.filter((f) => f.secret).map((f) => ({ id: f.id, ruleId: f.ruleId, severity: f.severity, score: f.score }));
    expect(pick(viaMcp.report)).toHaveLength(1);
    expect(pick(viaScan.report)).toEqual(pick(viaMcp.report));
    // The shared token: `scan` of both repositories and `audit` of them give the same finding.
    const scanBoth = await runJson(['scan', a.dir, b.dir, '--fail-on', 'none'], { cwd: dir });
    const s = scanBoth.report.findings.find((f) => f.secret && f.occurrences.some((o) => o.path === 'config/dev.env'))!;
    const t = report.findings.find((f) => f.secret && f.occurrences.some((o) => o.path === 'config/dev.env'))!;
    expect({ id: s.id, severity: s.severity, score: s.score }).toEqual({ id: t.id, severity: t.severity, score: t.score });
  });

  it('targets also come from the config file; bad target options are usage errors', T, async () => {
    const cfg = join(dir, 'targets.yaml');
    writeFileSync(cfg, `targets:\n  paths: [${JSON.stringify(b.dir)}]\n`);
    const r = await runJson(['audit', '--config', cfg, '--fail-on', 'none'], { cwd: dir });
    expect(r.report.targets.map((x) => x.path)).toEqual([b.dir]);
    const bad = await runCli(['audit', '--config', cfg, '--mcp', 'ftp://x'], { cwd: dir });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--mcp expects an http\(s\) URL/);
  });

  it('the HTML report of this audit renders in headless Chromium, with no secret, no request and no error; its screenshot is the README\'s', { timeout: 180_000 }, async () => {
    if (!existsSync('/usr/bin/chromium')) return; // .ci/run installs Debian's chromium
    const html = join(dir, 'audit.html');
    const r = await runCli(['audit', a.dir, b.dir, '--endpoint-url', iam.url, '--mcp', mcp.url, '--now', '2026-01-01', '-f', 'html', '-o', html, '--fail-on', 'none'], { cwd: dir, env: FAKE_AWS_ENV });
    expect(r.code, r.stderr).toBe(0);
    const text = readFileSync(html, 'utf8');
    for (const v of [keyId, shared, agentToken]) expect(text.includes(v)).toBe(false);
    const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'] });
    try {
      const context = await browser.newContext({ viewport: { width: 1400, height: 1000 }, offline: true });
      const page = await context.newPage();
      const requests: string[] = [];
      const errors: string[] = [];
      page.on('request', (q) => requests.push(q.url()));
      page.on('pageerror', (e) => errors.push(e.message));
      page.on('console', (m) => {
        if (m.type() === 'error') errors.push(m.text());
      });
      await page.goto(pathToFileURL(html).href);
      await page.waitForSelector('body[data-ready=true]', { timeout: 10_000 });
      expect(await page.getByTestId('category').count()).toBe(10);
      expect(await page.getByTestId('finding-row').count()).toBe(report.findings.length);
      expect(await page.getByTestId('grade').textContent()).toBe(report.posture!.grade);
      for (const v of [keyId, shared, agentToken]) expect((await page.content()).includes(v)).toBe(false);
      mkdirSync(new URL('../docs/', import.meta.url), { recursive: true });
      await page.screenshot({ path: new URL('../docs/audit-report.png', import.meta.url).pathname, fullPage: false });
      expect(errors).toEqual([]);
      expect(requests).toEqual([pathToFileURL(html).href]);
    } finally {
      await browser.close();
    }
  });
});
