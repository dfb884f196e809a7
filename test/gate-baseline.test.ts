import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { saltedFingerprint, secretFingerprint } from '../src/model/fingerprint.js';
import { createHash } from 'node:crypto';
import type { Report } from '../src/model/report.js';
import { runCli } from './helpers/cli.js';
import { customRulesYaml, customToken } from './helpers/gate-config.js';
import { TempRepo } from './helpers/git-repo.js';
import { fake } from './helpers/tokens.js';

/** baseline create → nothing new → moves and renames stay known → a new secret is exactly one new finding. */
describe('baseline (built CLI)', { timeout: 60_000 }, () => {
  const repo = new TempRepo();
  const a = customToken('high');
  const b = customToken('high');
  const keyId = fake.awsKeyId();
  const keySecret = fake.awsSecret();
  const BASE = '.nhi-audit-baseline.json';

  async function scan(args: string[] = []): Promise<{ code: number; report: Report; stderr: string }> {
    const r = await runCli(['scan', '--threads', '1', '-f', 'json', ...args, '.'], { cwd: repo.dir });
    if (!r.stdout) throw new Error(`no report (exit ${r.code}): ${r.stderr}`);
    return { code: r.code, report: JSON.parse(r.stdout) as Report, stderr: r.stderr };
  }

  beforeAll(() => {
    repo.commit('app', {
      '.nhi-audit.yaml': customRulesYaml(['high']),
      'src/a.js': `// config\nconst token = '${a}';\n`,
      'deploy/.env': `AWS_ACCESS_KEY_ID=${keyId}\nAWS_SECRET_ACCESS_KEY=${keySecret}\n`,
    });
  });
  afterAll(() => repo.remove());

  it('create records ids and fingerprints only, and a scan against it reports nothing new', async () => {
    const before = await scan();
    expect(before.code).toBe(1);
    expect(before.report.findings.length).toBeGreaterThanOrEqual(2);

    const c = await runCli(['baseline', 'create', '--threads', '1', '-o', BASE], { cwd: repo.dir });
    expect(c.code, c.stderr).toBe(0);
    expect(c.stderr).toMatch(/wrote \d+ findings? to \.nhi-audit-baseline\.json/);
    const text = readFileSync(join(repo.dir, BASE), 'utf8');
    for (const v of [a, keyId, keySecret]) expect(text).not.toContain(v);
    const file = JSON.parse(text) as { version: number; salt: string; findings: Array<{ id: string; fingerprint?: string }> };
    expect(file.version).toBe(2);
    expect(file.salt).toMatch(/^[0-9a-f]{32}$/);
    // ids are keyed with the baseline's salt (a run without the baseline keys them with the public one)
    expect(file.findings.map((e) => e.ruleId).sort()).toEqual(before.report.findings.map((f) => f.ruleId).sort());
    const withIt = await scan(['--baseline', BASE, '--fail-on', 'none']);
    expect(withIt.report.targets[0].stats.baselined).toBe(file.findings.length);
    // keyed with the baseline's own salt: not the plain sha256 of the value, not the default-salt fingerprint
    expect(file.findings.map((e) => e.fingerprint)).toContain(saltedFingerprint(a, file.salt));
    expect(file.findings.map((e) => e.fingerprint)).not.toContain(secretFingerprint(a));
    expect(text).not.toContain(createHash('sha256').update(a).digest('hex'));

    const after = await scan(['--baseline', BASE]);
    expect(after.code).toBe(0);
    expect(after.report.findings).toEqual([]);
    expect(after.report.targets[0].stats.baselined).toBe(before.report.findings.length);
    expect(after.stderr).toMatch(/baseline \.nhi-audit-baseline\.json: \d+ known findings? not reported/);
  });

  it('a moved line and a renamed file of the same secret are not new', async () => {
    repo.write('src/a.js', `// config\n\n\n// moved down\nconst token = '${a}';\n`);
    repo.git('mv', 'deploy/.env', 'prod.env');
    repo.commit('move things');
    const r = await scan(['--baseline', BASE]);
    expect(r.report.findings).toEqual([]);
    expect(r.code).toBe(0);
  });

  it('a different secret on a baselined line is exactly one new finding', async () => {
    repo.write('src/a.js', `// config\n\n\n// moved down\nconst token = '${b}';\n`);
    repo.commit('rotate the token (but commit the new one)');
    const r = await scan(['--baseline', BASE]);
    expect(r.code).toBe(1);
    expect(r.report.findings).toHaveLength(1);
    // keyed with the baseline's salt: the run used the baseline
    const salt = (JSON.parse(readFileSync(join(repo.dir, BASE), 'utf8')) as { salt: string }).salt;
    expect(r.report.findings[0]).toMatchObject({ ruleId: 'acme-high-token', secret: { fingerprint: saltedFingerprint(b, salt) }, location: { path: 'src/a.js', line: 5 } });
  });

  it('the config file can name the baseline (relative to the file); --baseline overrides it', async () => {
    writeFileSync(join(repo.dir, '.nhi-audit.yaml'), `baseline: ${BASE}\n${customRulesYaml(['high'])}`);
    const viaConfig = await scan();
    expect(viaConfig.report.findings).toHaveLength(1);
    writeFileSync(join(repo.dir, 'empty-baseline.json'), JSON.stringify({ version: 1, tool: 'x', createdAt: '2026-01-01T00:00:00Z', findings: [] }));
    const overridden = await scan(['--baseline', 'empty-baseline.json']);
    expect(overridden.report.findings.length).toBeGreaterThan(1);
  });

  it('a missing or malformed baseline is a usage error (exit 2) before scanning', async () => {
    const missing = await runCli(['scan', '--baseline', 'nope.json', '.'], { cwd: repo.dir });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('nope.json: cannot read the baseline (no such file)');
    writeFileSync(join(repo.dir, 'bad.json'), '{"version": 1, "findings": [{"id": "xyz"}]}');
    const bad = await runCli(['scan', '--baseline', 'bad.json', '.'], { cwd: repo.dir });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('bad.json: not a valid nhi-audit baseline: findings[0].id must be a 32-hex finding id');
  });

  it('create --from-report takes findings from any JSON report (e.g. aws or merged shards)', async () => {
    const r = await runCli(['scan', '--threads', '1', '--no-history', '-f', 'json', '-o', 'now.json', '.'], { cwd: repo.dir });
    expect(r.code).toBe(1);
    const c = await runCli(['baseline', 'create', '--from-report', 'now.json', '-o', 'from-report.json'], { cwd: repo.dir });
    expect(c.code, c.stderr).toBe(0);
    const ids = (JSON.parse(readFileSync(join(repo.dir, 'from-report.json'), 'utf8')) as { findings: Array<{ id: string }> }).findings.map((e) => e.id);
    const report = JSON.parse(readFileSync(join(repo.dir, 'now.json'), 'utf8')) as Report;
    expect(ids.sort()).toEqual(report.findings.map((f) => f.id).sort());
  });
});
