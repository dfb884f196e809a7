import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import YAML from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configFor, finishRun, type OutputOptions } from '../src/cli/common.js';
import { UsageError } from '../src/cli/errors.js';
import { secretAllowlist } from '../src/config/apply.js';
import { CONFIG_SCHEMA_FILE, emptyConfig, parseConfig, resolveConfig } from '../src/config/load.js';
import type { Finding } from '../src/model/finding.js';
import type { Severity } from '../src/model/severity.js';
import { findingId, secretFingerprint } from '../src/model/fingerprint.js';
import type { Report } from '../src/model/report.js';
import { runCli } from './helpers/cli.js';
import { customRulesYaml, customToken } from './helpers/gate-config.js';
import { TempRepo } from './helpers/git-repo.js';

function configError(yaml: string): string {
  try {
    parseConfig(yaml, '.nhi-audit.yaml', '/repo');
  } catch (e) {
    expect(e).toBeInstanceOf(UsageError);
    return (e as Error).message;
  }
  throw new Error('expected a config error');
}

describe('config file: validation errors name the file, line and key', () => {
  const cases: Array<[string, string, RegExp]> = [
    ['unknown top-level key', 'fail-on: high\nfail_on: low\n', /^\.nhi-audit\.yaml:2: fail_on: unknown key \(expected one of: fail-on, /],
    ['bad severity', 'fail-on: severe\n', /^\.nhi-audit\.yaml:1: fail-on: must be one of critical, high, medium, low, info, none \(got 'severe'\)$/],
    ['score out of range', 'fail-on-score: 11\n', /:1: fail-on-score: must be <= 10/],
    ['wrong type', 'exclude: vendor/**\n', /:1: exclude: must be a list \(got 'vendor\/\*\*'\)$/],
    ['nested unknown key', 'allowlist:\n  path: [a]\n', /:2: allowlist\.path: unknown key \(expected one of: paths, secrets, fingerprints\)$/],
    ['invalid regex', 'allowlist:\n  secrets:\n    - ok\n    - "(unclosed"\n', /:4: allowlist\.secrets\[1\]: invalid regular expression: .*Unterminated group/],
    ['bad fingerprint', 'allowlist:\n  fingerprints:\n    - sha256:xyz\n', /:3: allowlist\.fingerprints\[0\]: must be a secret fingerprint hmac-sha256:<64 hex> or a 32-hex finding id/],
    ['negative threshold', 'thresholds:\n  max-unused-days: 0\n', /:2: thresholds\.max-unused-days: must be >= 1 \(got 0\)$/],
    ['YAML syntax', 'exclude: [a\nfail-on: high\n', /^\.nhi-audit\.yaml:\d+: invalid YAML: /],
    ['not a mapping', '- a\n- b\n', /:1: \(top level\): expected a mapping/],
    ['custom rule missing key', 'custom-rules:\n  rules:\n    - id: acme-x\n      title: X\n', /:3: custom-rules\.rules\[0\]: missing required key 'description'$/],
    ['custom rule bad id', `${customRulesYaml(['high'])}`.replace('id: acme-high-token', 'id: Acme_High'), /custom-rules\.rules\[0\]\.id: must be a rule id/],
    ['custom rule example does not match', customRulesYaml(['low']).replace("examples: ['token = acmelow_Zq8Lw2Nx5Rt7Vb3Mk9Pj4Hs6']", "examples: ['acmelow_tooShort']"), /custom-rules\.rules\[0\]\.examples\[0\]: rule acme-low-token does not match this example/],
    ['custom rule bad regex', customRulesYaml(['low']).replace("pattern: '\\b(acmelow_", "pattern: '\\b((acmelow_"), /custom-rules\.rules\[0\]: rule acme-low-token: pattern is not a valid regular expression/],
    ['custom rule shadows a built-in', customRulesYaml(['low']).replace('id: acme-low-token', 'id: aws-access-key'), /custom-rules\.rules\[0\]\.id: 'aws-access-key' is already a built-in rule/],
  ];
  for (const [name, yaml, re] of cases) it(name, () => expect(configError(yaml)).toMatch(re));

  it('accepts a full config and normalises it', () => {
    const cfg = parseConfig(
      `fail-on: medium\nfail-on-score: 8.5\nexclude: [vendor/**]\ndisable-rules: [generic-*]\nbaseline: ci/baseline.json\nallowlist:\n  paths: [test/fixtures/**]\n  secrets: ['(?i)^acmelow_TEST']\n  fingerprints: ['${'a'.repeat(32)}']\nthresholds:\n  max-key-age-days: 30\n${customRulesYaml(['low'])}`,
      '.nhi-audit.yaml',
      '/repo',
    );
    expect(cfg).toMatchObject({ failOn: 'medium', failOnScore: 8.5, exclude: ['vendor/**'], disableRules: ['generic-*'], baseline: '/repo/ci/baseline.json', thresholds: { maxKeyAgeDays: 30, maxUnusedDays: 90 } });
    expect(cfg.allowlist.secrets[0].test('ACMELOW_test123')).toBe(true);
    expect(cfg.customRules.map((r) => r.id)).toEqual(['acme-low-token']);
    expect(cfg.customRules[0]).toMatchObject({ group: 'acme', severity: 'low', kind: 'secret' });
  });

  it('an empty file is an empty config', () => {
    expect(parseConfig('# nothing yet\n', 'c', '/')).toMatchObject({ exclude: [], customRules: [] });
  });

  it('the shipped JSON Schema is itself valid and accepts the documented example', () => {
    const schema = JSON.parse(readFileSync(CONFIG_SCHEMA_FILE, 'utf8'));
    const validate = new Ajv({ strict: true, strictRequired: false }).compile(schema);
    const doc = YAML.parse(readFileSync(new URL('./fixtures/nhi-audit.example.yaml', import.meta.url), 'utf8'));
    expect(validate(doc), JSON.stringify(validate.errors)).toBe(true);
    expect(() => parseConfig(readFileSync(new URL('./fixtures/nhi-audit.example.yaml', import.meta.url), 'utf8'), 'example', '/')).not.toThrow();
  });

  it('thresholds are available to other commands (aws) through configFor', () => {
    const dir = mkdtempSync(join(tmpdir(), 'nhi-audit-cfg-'));
    try {
      writeFileSync(join(dir, 'c.yaml'), 'thresholds:\n  max-key-age-days: 45\n  max-unused-days: 120\n');
      expect(configFor({ config: join(dir, 'c.yaml') }).thresholds).toEqual({ maxKeyAgeDays: 45, maxUnusedDays: 120, maxSecretAgeDays: 365 });
      expect(configFor({ config: false }).thresholds).toEqual({ maxKeyAgeDays: 90, maxUnusedDays: 90, maxSecretAgeDays: 365 });
      // Discovery: the current directory first, then the one directory being scanned.
      writeFileSync(join(dir, '.nhi-audit.yml'), 'fail-on: low\n');
      expect(resolveConfig({ cwd: tmpdir(), roots: [dir] }).failOn).toBe('low');
      expect(resolveConfig({ cwd: dir }).failOn).toBe('low');
      expect(resolveConfig({ cwd: tmpdir(), roots: [dir, tmpdir()] }).failOn).toBeUndefined();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the scan-time allowlist matches paths, value regexes, fingerprints and finding ids — and custom rules\' own examples', () => {
    const value = customToken('high');
    const cfg = parseConfig(`allowlist:\n  paths: ['fixtures/**']\n  secrets: ['^acmehigh_ALLOW']\n  fingerprints: ['${secretFingerprint(value)}', '${findingId('acme-low-token', secretFingerprint('acmelow_X'))}']\n${customRulesYaml(['medium'])}`, 'c', '/');
    const allow = secretAllowlist(cfg)!;
    expect(allow('acme-high-token', value, 'src/a.js')).toBe(true);
    expect(allow('acme-high-token', customToken('high'), 'src/a.js')).toBe(false);
    expect(allow('acme-high-token', customToken('high'), 'fixtures/x/a.js')).toBe(true);
    expect(allow('acme-high-token', 'acmehigh_ALLOWxxxxxxxxxxxxxxxxxxx', 'src/a.js')).toBe(true);
    expect(allow('acme-low-token', 'acmelow_X', 'src/a.js')).toBe(true);
    expect(allow('acme-medium-token', 'acmemedium_Zq8Lw2Nx5Rt7Vb3Mk9Pj4Hs6', '.nhi-audit.yaml')).toBe(true);
  });
});

describe('gate: --fail-on / --fail-on-score / config precedence (finishRun in process)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nhi-audit-gate-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const target = { kind: 'code', path: '.', status: 'ok' as const, stats: {} };
  const mk = (sev: Severity, score?: number): Finding => ({ id: sev.padEnd(32, '0').replace(/[^0-9a-f]/g, 'a'), ruleId: `r-${sev}`, title: sev, severity: sev, score: score ?? 0, owasp: ['NHI2'], source: 'file', location: { path: 'a', line: 1, target: 0 }, occurrences: [{ source: 'file', path: 'a', line: 1, target: 0 }], message: 'm', remediation: 'r' });
  const gate = (findings: Finding[], opts: Partial<OutputOptions>, cfg = emptyConfig(), targets = [target]) =>
    finishRun({ targets, findings, startedAt: new Date() }, { format: 'json', output: join(dir, 'r.json'), quiet: true, ...opts }, cfg);

  it('defaults to high; none never fails on findings; 2 when a target could not be scanned', () => {
    expect(gate([mk('medium')], {})).toBe(0);
    expect(gate([mk('high')], {})).toBe(1);
    expect(gate([mk('critical')], { failOn: 'none' })).toBe(0);
    expect(gate([mk('info')], { failOn: 'info' })).toBe(1);
    expect(gate([], { failOn: 'none' }, emptyConfig(), [{ ...target, status: 'error', error: 'x' }])).toBe(2);
  });

  it('--fail-on-score is an alternative threshold on the 0-10 score (scores are recomputed from the finding)', () => {
    expect(gate([mk('medium')], { failOn: 'none', failOnScore: '5' })).toBe(1); // medium scores 5.0+
    expect(gate([mk('medium')], { failOn: 'none', failOnScore: '9' })).toBe(0);
    expect(() => gate([], { failOnScore: 'eleven' })).toThrow("--fail-on-score must be a number from 0 to 10, got 'eleven'");
  });

  it('the config file sets fail-on and fail-on-score; flags win', () => {
    const cfg = { ...emptyConfig(), failOn: 'low' as const, failOnScore: 9.5 };
    expect(gate([mk('low')], {}, cfg)).toBe(1);
    expect(gate([mk('low')], { failOn: 'high' }, cfg)).toBe(0);
    expect(gate([mk('critical')], { failOn: 'none' }, cfg)).toBe(0); // critical scores 9.0+ but below 9.5
    expect(gate([mk('critical')], { failOn: 'none' }, { ...cfg, failOnScore: 9 })).toBe(1);
  });
});

describe('config file and gate options (built CLI)', { timeout: 60_000 }, () => {
  const repo = new TempRepo();
  const medium = customToken('medium');
  const low = customToken('low');
  const high = customToken('high');
  const allowed = customToken('high');
  const fixture = customToken('critical');

  beforeAll(() => {
    repo.commit('init', {
      'src/app.js': `const m = '${medium}';\nconst l = '${low}';\nconst h = '${high}';\nconst a = '${allowed}';\n`,
      'test/fixtures/creds.txt': `KEY=${fixture}\n`,
      'vendor/lib.js': `x='${customToken('critical')}'\n`,
    });
  });
  afterAll(() => repo.remove());

  function writeConfig(body: string): void {
    writeFileSync(join(repo.dir, '.nhi-audit.yaml'), `${body}\n${customRulesYaml()}`);
  }

  async function scan(args: string[] = []): Promise<{ code: number; report: Report; stderr: string }> {
    const r = await runCli(['scan', '--no-history', '--threads', '1', '-f', 'json', ...args, '.'], { cwd: repo.dir });
    return { code: r.code, report: r.stdout ? (JSON.parse(r.stdout) as Report) : (undefined as never), stderr: r.stderr };
  }

  it('config errors exit 2 with one line naming the file and the key, and no report', async () => {
    writeFileSync(join(repo.dir, 'bad.yaml'), 'allowlist:\n  secrets: ["(x"]\n');
    const r = await runCli(['scan', '--config', 'bad.yaml', '.'], { cwd: repo.dir });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim()).toMatch(/^nhi-audit: error: bad\.yaml:2: allowlist\.secrets\[0\]: invalid regular expression/);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);

    writeFileSync(join(repo.dir, '.nhi-audit.yaml'), 'fail-on: hihg\n');
    const d = await runCli(['scan', '.'], { cwd: repo.dir });
    expect(d.code).toBe(2);
    expect(d.stderr).toContain(".nhi-audit.yaml:1: fail-on: must be one of critical, high, medium, low, info, none (got 'hihg')");

    const m = await runCli(['scan', '--config', 'missing.yaml', '.'], { cwd: repo.dir });
    expect(m.code).toBe(2);
    expect(m.stderr).toContain('missing.yaml: cannot read the config file (no such file)');
  });

  it('applies custom rules, excludes, path/regex/fingerprint allowlists, disabled rules and fail-on from the file', async () => {
    writeConfig(`fail-on: medium\nexclude: ['vendor/']\ndisable-rules: [acme-low-*]\nallowlist:\n  paths: ['test/fixtures/**']\n  fingerprints: ['${secretFingerprint(allowed)}']`);
    const { code, report } = await scan();
    expect(code).toBe(1); // the medium finding fails the gate set in the file
    expect(report.findings.map((f) => f.ruleId).sort()).toEqual(['acme-high-token', 'acme-medium-token']);
    expect(report.findings.find((f) => f.ruleId === 'acme-high-token')!.secret!.fingerprint).toBe(secretFingerprint(high));
    // the fixture (path), the fingerprinted one, and the 4 enabled custom rules' examples in the config file itself
    expect(report.targets[0].stats.allowlisted).toBe(2 + 4);
    expect(report.targets[0].stats.skippedExcluded).toBeGreaterThan(0);
  });

  it('flags override the file: --fail-on, --no-config', async () => {
    writeConfig('fail-on: low\ndisable-rules: [acme-high-token, acme-critical-token]');
    expect((await scan()).code).toBe(1); // low and medium findings, fail-on low
    expect((await scan(['--fail-on', 'high'])).code).toBe(0);
    const none = await runCli(['scan', '--no-history', '--threads', '1', '--no-config', '-f', 'json', '.'], { cwd: repo.dir });
    expect((JSON.parse(none.stdout) as Report).findings.filter((f) => f.ruleId.startsWith('acme-'))).toEqual([]); // no custom rules without the file
  });

  it('the gate defaults to high without a config file', async () => {
    rmSync(join(repo.dir, '.nhi-audit.yaml'));
    writeFileSync(join(repo.dir, 'only-medium.yaml'), customRulesYaml(['medium']));
    const r = await runCli(['scan', '--no-history', '--threads', '1', '--config', 'only-medium.yaml', '-f', 'json', 'src'], { cwd: repo.dir });
    expect((JSON.parse(r.stdout) as Report).findings.map((f) => f.ruleId)).toEqual(['acme-medium-token']);
    expect(r.code).toBe(0);
  });
});
