import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../src/model/report.js';
import { ACCOUNT_ID, AUTH_FILE, EXPECTED, FAKE_AWS_ENV, fixtureAccount, KEYS_FILE, REPORT_FILE } from './fixtures/aws/account.js';
import { TempRepo } from './helpers/git-repo.js';
import { expectValidReport, runJson } from './helpers/report.js';
import { fake } from './helpers/tokens.js';
import { runCli } from './helpers/cli.js';
import { startIamServer, type IamServer } from './helpers/iam-server.js';

// The built CLI as a child process (`npm test` builds first).
const OFFLINE = ['--authorization-details', AUTH_FILE, '--credential-report', REPORT_FILE, '--now', '2026-01-01'];

function parse(stdout: string, stderr: string): Report {
  try {
    const r = JSON.parse(stdout) as Report;
    expectValidReport(r);
    return r;
  } catch (e) {
    throw new Error(`no valid JSON report on stdout: ${(e as Error).message}\n${stderr}`);
  }
}

// Each run starts a Node process; on a busy machine that alone takes seconds.
describe('nhi-audit aws (built CLI)', { timeout: 120_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'nhi-aws-e2e-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('offline: exits 1 with the findings in the JSON report', async () => {
    const r = await runCli(['aws', ...OFFLINE, '-f', 'json'], { cwd: dir });
    expect(r.code, r.stderr).toBe(1);
    const report = parse(r.stdout, r.stderr);
    expect(report.findings.map((f) => [f.ruleId, f.location.resource]).sort()).toEqual(Object.entries(EXPECTED).sort());
    expect(report.targets).toEqual([expect.objectContaining({ kind: 'aws', path: `aws:${ACCOUNT_ID}`, status: 'ok' })]);
    expect(report.summary.byOwasp.NHI2).toBe('not assessed');
    expect(report.summary.byOwasp.NHI5).toBeGreaterThan(0);
    expect(r.stderr).toBe('');
  });

  it('offline: --fail-on none exits 0; thresholds change what is reported', async () => {
    const none = await runCli(['aws', ...OFFLINE, '-f', 'json', '--fail-on', 'none'], { cwd: dir });
    expect(none.code).toBe(0);
    const lax = await runCli(['aws', ...OFFLINE, '-f', 'json', '--max-key-age-days', '400', '--max-unused-days', '400'], { cwd: dir });
    const ids = parse(lax.stdout, lax.stderr).findings.map((f) => f.ruleId);
    expect(ids).not.toContain('aws-access-key-age');
    expect(ids).not.toContain('aws-unused-role');
    expect(ids).toContain('aws-service-user-key-never-rotated'); // 699 days
  });

  it('offline: thresholds from the config file apply unless a flag overrides them', async () => {
    const cfg = join(dir, 'cfg.yaml');
    writeFileSync(cfg, 'thresholds:\n  max-key-age-days: 400\n');
    const r = await runCli(['aws', ...OFFLINE, '-f', 'json', '--config', cfg], { cwd: dir });
    expect(parse(r.stdout, r.stderr).findings.map((f) => f.ruleId)).not.toContain('aws-access-key-age');
    const flag = await runCli(['aws', ...OFFLINE, '-f', 'json', '--config', cfg, '--max-key-age-days', '90'], { cwd: dir });
    expect(parse(flag.stdout, flag.stderr).findings.map((f) => f.ruleId)).toContain('aws-access-key-age');
  });

  it('offline: one file runs its checks and reports the rest as skipped', async () => {
    // Partial (checks skipped for want of data): exit 2 unless --allow-partial accepts it.
    const strict = await runCli(['aws', '--credential-report', REPORT_FILE, '--now', '2026-01-01', '-f', 'json', '--fail-on', 'none'], { cwd: dir });
    expect(strict.code).toBe(2);
    expect(strict.stderr).toContain('--allow-partial');
    const r = await runCli(['aws', '--credential-report', REPORT_FILE, '--now', '2026-01-01', '-f', 'json', '--fail-on', 'none', '--allow-partial'], { cwd: dir });
    expect(r.code).toBe(0);
    const report = parse(r.stdout, r.stderr);
    expect(report.targets[0].status).toBe('partial');
    expect(report.targets[0].warnings![0]).toMatch(/^no --authorization-details file: skipped /);
    expect(report.findings).toHaveLength(8);
    expect(report.summary.byOwasp.NHI6).toBe('not assessed');
  });

  it('offline: writes SARIF with a result for every finding', async () => {
    const out = join(dir, 'aws.sarif');
    const r = await runCli(['aws', ...OFFLINE, '-f', 'sarif', '-o', out], { cwd: dir });
    expect(r.code).toBe(1);
    const sarif = JSON.parse(readFileSync(out, 'utf8'));
    expect(sarif.runs[0].results).toHaveLength(15);
    expect(sarif.runs[0].automationDetails.id).toBe(`nhi-audit/aws/aws_${ACCOUNT_ID}/`);
  });

  it('bad input: one line naming the file, exit 2', async () => {
    const bad = join(dir, 'not-auth.json');
    writeFileSync(bad, '[1,2,3]');
    const r = await runCli(['aws', '--authorization-details', bad, '-f', 'json'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toEqual([`nhi-audit: error: ${bad}: not the output of 'aws iam get-account-authorization-details' (no UserDetailList, RoleDetailList, GroupDetailList or Policies)`]);
    const date = await runCli(['aws', ...OFFLINE, '--now', 'yesterday'], { cwd: dir });
    expect(date.code).toBe(2);
    expect(date.stderr).toContain("--now expects a date such as 2026-01-01");
    const mix = await runCli(['aws', ...OFFLINE, '--profile', 'prod'], { cwd: dir });
    expect(mix.code).toBe(2);
    expect(mix.stderr).toContain('--profile applies to live scans');
  });

  it('--leaked-from: a key id leaked in git history is recognised as an active key of the account, by fingerprint', async () => {
    // The account's key for ci-deployer gets a realistic id (the fixture's ids say EXAMPLE, which
    // the scanner rightly ignores as documentation).
    const keyId = fake.awsKeyId();
    const keysFile = join(dir, 'access-keys.json');
    writeFileSync(keysFile, readFileSync(KEYS_FILE, 'utf8').replace('AKIAEXAMPLECIDEPLOY7', keyId));
    const repo = new TempRepo();
    const leak = repo.commit('deploy script', { 'deploy/env.sh': `export AWS_ACCESS_KEY_ID=${keyId}\n` });
    repo.git('rm', '-q', 'deploy/env.sh');
    repo.commit('remove key');
    const code = join(dir, 'code.json');
    const scan = await runCli(['scan', repo.dir, '-f', 'json', '-o', code, '--fail-on', 'none']);
    expect(scan.code, scan.stderr).toBe(0);

    const base = ['aws', ...OFFLINE, '--fail-on', 'none', '--leaked-from', code];
    const r = await runJson([...base, '--access-keys', keysFile], { cwd: dir });
    const found = r.report.findings.filter((f) => f.ruleId === 'aws-leaked-access-key');
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ severity: 'critical', location: { resource: `arn:aws:iam::${ACCOUNT_ID}:user/ci-deployer` } });
    expect(found[0].message).toContain(`deploy/env.sh:1@${leak.slice(0, 12)}`);
    expect(r.report.targets[0]).toMatchObject({ status: 'ok', stats: { leakedKeyIds: 1 } });
    for (const format of ['json', 'sarif', 'markdown', 'pretty']) {
      const out = await runCli([...base, '--access-keys', keysFile, '-f', format], { cwd: dir });
      expect(out.stdout, format).not.toContain(keyId);
    }

    // Without the account's key ids the match cannot be made: said, and the target is partial.
    const blind = await runJson(base, { cwd: dir });
    expect(blind.report.findings.some((f) => f.ruleId === 'aws-leaked-access-key')).toBe(false);
    expect(blind.report.targets[0].status).toBe('partial');
    expect(blind.stderr).toContain('--leaked-from needs the account\'s key ids');
    rmSync(repo.dir, { recursive: true, force: true });
  });

  describe('live, against the local IAM/STS endpoint', () => {
    let server: IamServer;
    beforeAll(async () => {
      server = await startIamServer(fixtureAccount(), { existingReportAgeMs: 60_000, pageSize: 10 });
    });
    afterAll(() => server.close());

    it('--endpoint-url with static credentials from the environment', async () => {
      const r = await runCli(['aws', '--endpoint-url', server.url, '--now', '2026-01-01', '-f', 'json', '--key-ids'], { cwd: dir, env: FAKE_AWS_ENV });
      expect(r.code, r.stderr).toBe(1);
      const report = parse(r.stdout, r.stderr);
      expect(report.findings).toHaveLength(15);
      expect(report.targets[0]).toMatchObject({ path: `aws:${ACCOUNT_ID}`, status: 'ok' });
      expect(report.targets[0].stats).toMatchObject({ authorizationPages: 4, listedAccessKeys: 11 });
      expect(r.stderr).toBe('');
      expect(r.stdout).not.toContain('AKIAEXAMPLECIDEPLOY7');
    });

    it('no credentials at all: status error, one line, exit 2', async () => {
      const env = { ...FAKE_AWS_ENV, AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined };
      const r = await runCli(['aws', '--endpoint-url', server.url, '-f', 'json'], { cwd: dir, env });
      expect(r.code).toBe(2);
      const report = parse(r.stdout, r.stderr);
      expect(report.targets[0]).toMatchObject({ kind: 'aws', status: 'error', error: expect.stringMatching(/^no AWS credentials found/) });
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    });
  });
});
