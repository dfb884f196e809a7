import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CheckContext } from '../src/checks/types.js';
import type { Finding } from '../src/model/finding.js';
import { identifierFingerprint as secretFingerprint } from '../src/model/fingerprint.js'; // key ids: plain sha256
import { buildReport } from './helpers/pipeline.js';
import { RENDERERS } from '../src/report/index.js';
import { accessKeysByFingerprint, fetchAccount, type LiveOptions } from '../src/sources/aws/index.js';
import { scanAws, type AwsScanResult } from './helpers/pipeline.js';
import { ACCOUNT_ID, applyEnv, AUTH_FILE, bigAccount, CLEAN, EXPECTED, FAKE_AWS_ENV, fixtureAccount, KEYS_FILE, NOW, REPORT_FILE } from './fixtures/aws/account.js';
import { startIamServer, type IamServer, type IamServerOptions } from './helpers/iam-server.js';

const ctx: CheckContext = { now: NOW, thresholds: { maxKeyAgeDays: 90, maxUnusedDays: 90 } };
const FAST: Partial<LiveOptions> = { reportPoll: { attempts: 6, baseDelayMs: 5, maxDelayMs: 20 }, maxAttempts: 3 };

function summary(findings: Finding[]): Array<[string, string]> {
  return findings.map((f): [string, string] => [f.ruleId, f.location.resource!]).sort((a, b) => a[0].localeCompare(b[0]));
}

/** What must be identical between a live and an offline scan of the same account. */
function comparable(findings: Finding[]): unknown[] {
  return findings.map((f) => ({ id: f.id, ruleId: f.ruleId, resource: f.location.resource, severity: f.severity, score: f.score, message: f.message, evidence: f.evidence })).sort((a, b) => a.id.localeCompare(b.id));
}

const EXPECTED_PAIRS = Object.entries(EXPECTED).sort((a, b) => a[0].localeCompare(b[0]));

async function withServer(opts: IamServerOptions, fn: (s: IamServer) => Promise<void>, account = fixtureAccount()): Promise<void> {
  const s = await startIamServer(account, opts);
  try {
    await fn(s);
  } finally {
    await s.close();
  }
}

function live(s: IamServer, extra: Partial<LiveOptions> = {}): Promise<AwsScanResult> {
  return scanAws({ live: { endpointUrl: s.url, ...FAST, ...extra }, ctx });
}

beforeAll(() => applyEnv(FAKE_AWS_ENV));

describe('aws: live scan through the real SDK against a local IAM/STS endpoint', () => {
  let server: IamServer;
  let result: AwsScanResult;

  beforeAll(async () => {
    server = await startIamServer(fixtureAccount(), { pageSize: 7, reportPolls: 2 });
    result = await live(server);
  });
  afterAll(() => server.close());

  it('reports each problem of the account exactly once, on the right principal', () => {
    expect(summary(result.findings)).toEqual(EXPECTED_PAIRS);
  });

  it('reports nothing on the clean principals', () => {
    const resources = new Set(result.findings.map((f) => f.location.resource));
    for (const c of CLEAN) expect(resources.has(c), c).toBe(false);
  });

  it('describes the account as one complete target', () => {
    const t = result.target;
    expect(t).toMatchObject({ kind: 'aws', path: `aws:${ACCOUNT_ID}`, status: 'ok' });
    expect(t.warnings).toBeUndefined();
    expect(t.stats).toMatchObject({ users: 10, roles: 15, groups: 2, policies: 6, oidcProviders: 3, checksRun: 15, checksSkipped: 0, findings: 15 });
    expect(t.assessed).toEqual(['NHI1', 'NHI3', 'NHI4', 'NHI5', 'NHI6', 'NHI7', 'NHI9', 'NHI10']);
  });

  it('pages through GetAccountAuthorizationDetails and waits for the credential report', () => {
    // 10 users + 2 groups + 15 roles + 6 policies = 33 items at 7 a page.
    expect(server.calls.GetAccountAuthorizationDetails).toBe(5);
    expect(result.target.stats.authorizationPages).toBe(5);
    // Not present → generate (STARTED twice, then COMPLETE) → get.
    expect(server.calls.GenerateCredentialReport).toBe(3);
    expect(server.calls.GetCredentialReport).toBe(2);
    expect(server.calls.ListAccessKeys).toBeUndefined();
    expect(server.calls.GetAccessKeyLastUsed).toBeUndefined();
    expect(result.target.stats.apiCalls).toBe(server.totalCalls);
  });

  it('decodes URL-encoded documents and names the evidence', () => {
    const byRule = new Map(result.findings.map((f) => [f.ruleId, f]));
    const admin = byRule.get('aws-admin-access')!;
    expect(admin.severity).toBe('critical'); // a user with active keys
    expect(admin.message).toContain('group Admins → managed policy AdministratorAccess');
    expect(admin.evidence).toMatchObject({ kind: 'full', grants: [{ policy: 'group Admins → managed policy AdministratorAccess', statement: 0, action: ['*'], resource: ['*'] }] });
    const oidc = byRule.get('aws-oidc-trust-unrestricted')!;
    expect(oidc.evidence).toMatchObject({ issuer: 'token.actions.githubusercontent.com', statement: 0, subjectScope: 'none' });
    expect(oidc.message).toContain("no condition restricts the token's sub");
    const age = byRule.get('aws-access-key-age')!;
    expect(age.evidence).toMatchObject({ created: '2025-03-01T00:00:00.000Z', ageDays: 306, lastUsed: '2025-12-30T00:00:00.000Z' });
    const privesc = byRule.get('aws-privilege-escalation')!;
    expect((privesc.evidence as { paths: Array<{ id: string }> }).paths.map((p) => p.id)).toEqual(['passrole-lambda-invoke']);
    for (const f of result.findings) {
      expect(f.source).toBe('aws-iam');
      expect(f.remediation.length).toBeGreaterThan(20);
      expect(f.location.resource).toMatch(/^arn:aws:iam::111122223333:/);
    }
  });

  it('gives the same findings offline from the exported files', () => {
    const off = scanAws({ files: { authorizationDetails: AUTH_FILE, credentialReport: REPORT_FILE }, ctx });
    return off.then((r) => {
      expect(comparable(r.findings)).toEqual(comparable(result.findings));
      expect(r.target).toMatchObject({ kind: 'aws', path: `aws:${ACCOUNT_ID}`, status: 'ok' });
    });
  });

  it('renders in every output format', () => {
    const report = buildReport({ targets: [result.target], findings: result.findings });
    for (const [name, render] of Object.entries(RENDERERS)) {
      const text = render(report, { color: false, showSecrets: false });
      expect(text, name).toContain('public-role');
    }
    const sarif = JSON.parse(RENDERERS.sarif(report, { color: false, showSecrets: false }));
    expect(sarif.runs[0].results).toHaveLength(15);
  });
});

describe('aws: offline files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nhi-aws-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads URL-encoded document strings and dates without a zone the same way', async () => {
    const auth = fixtureAccount().authorizationDetails;
    const mangle = (v: unknown, key = ''): unknown => {
      if (['PolicyDocument', 'AssumeRolePolicyDocument', 'Document'].includes(key)) return encodeURIComponent(JSON.stringify(v));
      if (typeof v === 'string' && /^\d{4}-\d\d-\d\dT[\d:]+\+00:00$/.test(v)) return v.replace('+00:00', '');
      if (Array.isArray(v)) return v.map((x) => mangle(x));
      if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, mangle(x, k)]));
      return v;
    };
    const file = join(dir, 'auth-encoded.json');
    writeFileSync(file, JSON.stringify(mangle(auth)));
    const a = await scanAws({ files: { authorizationDetails: file, credentialReport: REPORT_FILE }, ctx });
    const b = await scanAws({ files: { authorizationDetails: AUTH_FILE, credentialReport: REPORT_FILE }, ctx });
    expect(JSON.stringify(mangle(auth))).toContain('%22Statement%22');
    expect(comparable(a.findings)).toEqual(comparable(b.findings));
    expect(a.findings).toHaveLength(15);
  });

  it('runs what it can with only one file and says which checks were skipped', async () => {
    const auth = await scanAws({ files: { authorizationDetails: AUTH_FILE }, ctx });
    expect(auth.target.status).toBe('partial');
    expect(new Set(auth.findings.map((f) => f.ruleId))).toEqual(new Set(['aws-unused-role', 'aws-role-shared-by-workloads', 'aws-admin-access', 'aws-privilege-escalation', 'aws-oidc-trust-unrestricted', 'aws-cross-account-trust-without-external-id', 'aws-role-trust-public']));
    expect(auth.target.warnings).toEqual([expect.stringMatching(/^no --credential-report file: skipped aws-access-key-age, .*aws-unused-access-key$/)]);
    // Without the report, the admin user's keys are unknown: high, not critical.
    expect(auth.findings.find((f) => f.ruleId === 'aws-admin-access')!.severity).toBe('high');
    expect(auth.target.assessed).toEqual(['NHI1', 'NHI3', 'NHI4', 'NHI5', 'NHI6', 'NHI9']);

    const rep = await scanAws({ files: { credentialReport: REPORT_FILE }, ctx });
    expect(rep.target.status).toBe('partial');
    expect(rep.findings).toHaveLength(8);
    expect(rep.target.warnings![0]).toMatch(/^no --authorization-details file: skipped aws-admin-access, /);
    expect(rep.target.path).toBe(`aws:${ACCOUNT_ID}`);
  });

  it('accepts the CLI JSON of get-credential-report (base64 Content)', async () => {
    const file = join(dir, 'report.json');
    writeFileSync(file, JSON.stringify({ Content: Buffer.from(fixtureAccount().credentialReportCsv).toString('base64'), ReportFormat: 'text/csv', GeneratedTime: '2026-01-01T00:00:00Z' }));
    const r = await scanAws({ files: { credentialReport: file }, ctx });
    expect(r.findings).toHaveLength(8);
  });

  it('matches key ids from list-access-keys to the report and indexes them by fingerprint', async () => {
    const r = await scanAws({ files: { authorizationDetails: AUTH_FILE, credentialReport: REPORT_FILE, accessKeys: KEYS_FILE }, ctx });
    const idx = accessKeysByFingerprint(r.inventory!);
    expect(idx.size).toBe(11);
    expect(idx.get(secretFingerprint('AKIAEXAMPLECIDEPLOY7'))).toMatchObject({ status: 'Active', ownerArn: `arn:aws:iam::${ACCOUNT_ID}:user/ci-deployer`, lastUsed: '2025-12-30T00:00:00.000Z' });
    expect(idx.get(secretFingerprint('AKIAEXAMPLEREPORTX27'))).toMatchObject({ status: 'Inactive', userName: 'report-exporter' });
    const age = r.findings.find((f) => f.ruleId === 'aws-access-key-age')!;
    expect(age.evidence).toMatchObject({ accessKeyId: 'AKI…OY7' });
    expect(JSON.stringify(r.findings)).not.toContain('AKIAEXAMPLECIDEPLOY7');
    // Same ids as without key ids: the key is identified by its creation time.
    const plain = await scanAws({ files: { authorizationDetails: AUTH_FILE, credentialReport: REPORT_FILE }, ctx });
    expect(r.findings.map((f) => f.id).sort()).toEqual(plain.findings.map((f) => f.id).sort());
  });

  it('rejects a file that is not what it claims, naming the file', async () => {
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{"Users": []}');
    await expect(scanAws({ files: { authorizationDetails: bad }, ctx })).rejects.toThrow(`${bad}: not the output of 'aws iam get-account-authorization-details'`);
    const csv = join(dir, 'bad.csv');
    writeFileSync(csv, 'name,arn\nx,y\n');
    await expect(scanAws({ files: { credentialReport: csv }, ctx })).rejects.toThrow(`${csv}: not an IAM credential report (missing columns user, user_creation_time`);
    await expect(scanAws({ files: { credentialReport: join(dir, 'missing.csv') }, ctx })).rejects.toThrow('missing.csv: cannot read (no such file)');
    writeFileSync(bad, '{ nope');
    await expect(scanAws({ files: { authorizationDetails: bad }, ctx })).rejects.toThrow(/bad\.json: not valid JSON/);
  });
});

describe('aws: coverage gaps and failures', () => {
  it('AccessDenied on the credential report: a gap naming the checks and permissions, the rest still runs', () =>
    withServer({ deny: ['GenerateCredentialReport', 'GetCredentialReport'] }, async (s) => {
      const r = await live(s);
      expect(r.target.status).toBe('partial');
      expect(r.findings.map((f) => f.ruleId)).toContain('aws-admin-access');
      expect(r.findings.some((f) => f.ruleId === 'aws-root-access-key')).toBe(false);
      const w = r.target.warnings!.join('\n');
      expect(w).toMatch(/credential-report not readable \(AccessDenied: User: .* is not authorized to perform: iam:GetCredentialReport.*\): skipped aws-access-key-age, .*; needs iam:GenerateCredentialReport and iam:GetCredentialReport/);
      expect(r.target.stats.checksSkipped).toBe(8);
      expect(r.target.assessed).not.toContain('NHI7');
    }));

  it('AccessDenied on GetAccountAuthorizationDetails: report checks still run', () =>
    withServer({ deny: ['GetAccountAuthorizationDetails'], existingReportAgeMs: 60_000 }, async (s) => {
      const r = await live(s);
      expect(r.target.status).toBe('partial');
      expect(r.findings).toHaveLength(8);
      expect(r.target.warnings!.join('\n')).toMatch(/authorization-details not readable \(AccessDenied.*\): skipped aws-admin-access, .*; needs iam:GetAccountAuthorizationDetails/);
      expect(r.target.path).toBe(`aws:${ACCOUNT_ID}`);
    }));

  it('AccessDenied on ListOpenIDConnectProviders: every check runs, the gap is still reported', () =>
    withServer({ deny: ['ListOpenIDConnectProviders'] }, async (s) => {
      const r = await live(s);
      expect(r.findings).toHaveLength(15);
      expect(r.target.status).toBe('partial');
      expect(r.target.warnings).toEqual([expect.stringMatching(/^oidc-providers not readable \(AccessDenied: .*\); needs iam:ListOpenIDConnectProviders$/)]);
    }));

  it('everything denied: status error with one line, exit 2 through the gate', () =>
    withServer({ deny: ['GetAccountAuthorizationDetails', 'GetCredentialReport', 'GenerateCredentialReport', 'ListOpenIDConnectProviders'] }, async (s) => {
      const r = await live(s);
      expect(r.target.status).toBe('error');
      expect(r.target.error).toMatch(/^nothing could be read from the account: AccessDenied/);
      expect(r.target.error).not.toContain('\n');
    }));

  it('retries 5xx responses with backoff', () =>
    withServer({ transient: { GetAccountAuthorizationDetails: 2, GetCallerIdentity: 1 } }, async (s) => {
      const r = await live(s);
      expect(r.target.status).toBe('ok');
      expect(r.findings).toHaveLength(15);
      expect(s.calls.GetAccountAuthorizationDetails).toBe(3); // one page, two failed attempts
      expect(r.target.stats['calls.GetAccountAuthorizationDetails']).toBe(1);
    }));

  it('reuses a recent credential report instead of generating one', () =>
    withServer({ existingReportAgeMs: 3600_000 }, async (s) => {
      const r = await live(s);
      expect(r.findings).toHaveLength(15);
      expect(s.calls.GetCredentialReport).toBe(1);
      expect(s.calls.GenerateCredentialReport).toBeUndefined();
    }));

  it('gives up on a report that never completes, within the polling bound', () =>
    withServer({ reportPolls: 1000 }, async (s) => {
      const t0 = Date.now();
      const r = await live(s, { reportPoll: { attempts: 4, baseDelayMs: 5, maxDelayMs: 10 } });
      expect(Date.now() - t0).toBeLessThan(5000);
      expect(s.calls.GenerateCredentialReport).toBe(4);
      expect(r.target.status).toBe('partial');
      expect(r.target.warnings!.join('\n')).toMatch(/credential-report not readable \(ReportNotReady: credential report still not complete after 4 attempts/);
    }));

  it('rejected credentials are an error with the reason, after one call', () =>
    withServer({ rejectCredentials: true }, async (s) => {
      const r = await live(s);
      expect(r.target.status).toBe('error');
      expect(r.target.error).toBe('AWS rejected the credentials (InvalidClientTokenId): The security token included in the request is invalid.');
      expect(s.totalCalls).toBe(1);
    }));

  it('an unreachable endpoint is an error, not a crash', async () => {
    const r = await scanAws({ live: { endpointUrl: 'http://127.0.0.1:9', maxAttempts: 2 }, ctx });
    expect(r.target.status).toBe('error');
    expect(r.target.error).toMatch(/^cannot reach http:\/\/127\.0\.0\.1:9 \(ECONNREFUSED\)/);
  });
});

describe('aws: --key-ids (per-user calls, opt-in)', () => {
  it('lists keys only for users with keys and asks last use only for keys the report lacks', () =>
    withServer({ existingReportAgeMs: 60_000 }, async (s) => {
      const r = await live(s, { keyIds: true });
      // 8 users have a key in the report (bob and carol have none).
      expect(s.calls.ListAccessKeys).toBe(8);
      // Only ops-admin's second key was created after the report.
      expect(s.calls.GetAccessKeyLastUsed).toBe(1);
      const idx = accessKeysByFingerprint(r.inventory!);
      expect(idx.size).toBe(11);
      expect(idx.get(secretFingerprint('AKIAEXAMPLEOPSADMN27'))).toMatchObject({ status: 'Inactive', lastUsed: '2025-12-31T13:00:00.000Z', ownerArn: `arn:aws:iam::${ACCOUNT_ID}:user/ops-admin` });
      expect(r.findings).toHaveLength(15);
      expect(r.target.stats.listedAccessKeys).toBe(11);
    }));

  it('AccessDenied on ListAccessKeys stops listing after the first refusal and reports the gap', () =>
    withServer({ existingReportAgeMs: 60_000, deny: ['ListAccessKeys'] }, async (s) => {
      const r = await live(s, { keyIds: true });
      expect(s.calls.ListAccessKeys).toBeLessThanOrEqual(4); // at most the calls already in flight
      expect(r.findings).toHaveLength(15);
      expect(r.target.warnings!.join('\n')).toMatch(/access-keys not readable \(AccessDenied: .*\); needs iam:ListAccessKeys/);
    }));
});

describe('aws: API calls grow with pages, not principals', () => {
  it('1,000 users and 1,000 roles take ceil(items / page) pages plus a constant', async () => {
    const counts: Record<number, { total: number; pages: number; ms: number }> = {};
    for (const n of [500, 1000]) {
      await withServer(
        { pageSize: 100, existingReportAgeMs: 60_000 },
        async (s) => {
          const t0 = Date.now();
          const r = await fetchAccount({ endpointUrl: s.url, ...FAST });
          counts[n] = { total: s.totalCalls, pages: s.calls.GetAccountAuthorizationDetails, ms: Date.now() - t0 };
          expect(r.inventory.authorization!.users).toHaveLength(n);
          expect(r.inventory.authorization!.roles).toHaveLength(n);
          expect(r.inventory.credentials).toHaveLength(n + 1);
          expect(r.apiCalls).toBe(s.totalCalls);
          // No call is made per principal.
          expect(Object.keys(s.calls).sort()).toEqual(['GetAccountAuthorizationDetails', 'GetCallerIdentity', 'GetCredentialReport', 'ListOpenIDConnectProviders']);
        },
        bigAccount(n),
      );
    }
    expect(counts[1000].pages).toBe(Math.ceil(2000 / 100));
    expect(counts[1000].total).toBeLessThanOrEqual(Math.ceil(2000 / 100) + 3);
    expect(counts[500].total).toBeLessThanOrEqual(Math.ceil(1000 / 100) + 3);
    // Doubling the principals adds exactly the extra pages.
    expect(counts[1000].total - counts[500].total).toBe(counts[1000].pages - counts[500].pages);
    console.log(`aws call counts: 1000 principals → ${counts[500].total} calls (${counts[500].ms} ms), 2000 principals → ${counts[1000].total} calls (${counts[1000].ms} ms)`);
  });

  it('checks 2,000 clean principals quickly and find nothing', async () => {
    await withServer(
      { pageSize: 1000, existingReportAgeMs: 60_000 },
      async (s) => {
        const t0 = Date.now();
        const r = await live(s);
        expect(r.findings).toEqual([]);
        expect(r.target.status).toBe('ok');
        expect(Date.now() - t0).toBeLessThan(20_000);
      },
      bigAccount(1000),
    );
  });
});
