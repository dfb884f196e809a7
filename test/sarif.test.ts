import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { secretFinding } from '../src/detect/to-finding.js';
import type { Finding } from '../src/model/finding.js';
import { findingId } from '../src/model/fingerprint.js';
import type { Report, TargetResult } from '../src/model/report.js';
import type { RuleMeta, SecretRuleSpec } from '../src/model/rule.js';
import { SEVERITIES, type Severity } from '../src/model/severity.js';
import { buildReport } from './helpers/pipeline.js';
import { automationId, FINGERPRINT_KEY, renderSarif, type SarifRenderOptions } from '../src/report/sarif.js';
import { loadSecretRules } from '../src/rules/catalog.js';
import { runCli } from './helpers/cli.js';
import { customRulesYaml, customToken } from './helpers/gate-config.js';
import { TempRepo } from './helpers/git-repo.js';
import { expectGithubReadySarif, validateSarif, type Sarif, type SarifResult } from './helpers/sarif.js';
import { fake } from './helpers/tokens.js';

const ARN = 'arn:aws:iam::123456789012:role/deploy-prod';
const MCP_URL = 'http://127.0.0.1:8931/mcp';

function awsRule(): SecretRuleSpec {
  const r = loadSecretRules().find((x) => x.id === 'aws-access-key');
  if (!r) throw new Error('built-in rule aws-access-key is missing');
  return r;
}

/** A secret finding as the scanner builds it (real rule, real fingerprinting and redaction). */
function secret(rule: SecretRuleSpec, value: string, place: { path: string; line: number; target?: number; source?: string; commit?: string }, pair?: string): Finding {
  return secretFinding(
    rule,
    { ruleId: rule.id, value, index: 0, end: value.length, line: place.line, column: 5, ...(pair ? { pair } : {}) },
    { source: place.source ?? 'file', path: place.path, target: place.target ?? 0, committed: true, ...(place.commit ? { commit: place.commit, commitDate: '2024-01-02T12:00:00Z' } : {}) },
    { showSecrets: false, identifier: !!pair },
  );
}

/** A posture finding (an IAM role, an MCP endpoint) the way makePostureFinding shapes it. */
function posture(ruleId: string, severity: Severity, resource: string, target: number, file?: { path: string; line: number }): Finding {
  const location = { resource, target, ...(file ?? {}) };
  return {
    id: findingId(ruleId, `${resource}\0`),
    ruleId,
    title: `${ruleId} title`,
    severity,
    score: 0,
    owasp: ['NHI5'],
    source: file ? 'mcp-config' : 'aws-iam',
    location,
    occurrences: [{ source: file ? 'mcp-config' : 'aws-iam', ...location }],
    message: `The check ${ruleId} fired.`,
    remediation: 'Tighten it.',
  };
}

const targets: TargetResult[] = [
  { kind: 'code', path: '.', status: 'ok', stats: { files: 3 }, assessed: ['NHI2'] },
  { kind: 'aws', path: '123456789012', status: 'partial', warnings: ['iam: ListRoles throttled, retried'], stats: {}, assessed: ['NHI5'] },
  { kind: 'mcp-config', path: '.cursor/mcp.json', status: 'ok', stats: {}, assessed: ['NHI4'] },
];

describe('SARIF renderer (in process)', () => {
  const keyId = fake.awsKeyId();
  const keySecret = fake.awsSecret();
  const findings = [
    secret(awsRule(), keyId, { path: 'deploy/.env', line: 3 }, keySecret),
    secret(awsRule(), keyId, { path: 'old/.env', line: 1, source: 'git-history', commit: 'a'.repeat(40) }, keySecret),
    posture('aws-role-admin', 'high', ARN, 1),
    posture('mcp-no-auth', 'medium', MCP_URL, 2, { path: '.cursor/mcp.json', line: 4 }),
    posture('aws-unused-role', 'low', 'arn:aws:iam::123456789012:role/old', 1),
    posture('aws-info', 'info', 'arn:aws:iam::123456789012:user/ci', 1),
  ];
  const report = buildReport({ targets, findings, startedAt: new Date('2026-01-01T00:00:00Z') });
  const sarif = expectGithubReadySarif(renderSarif(report, { color: false, showSecrets: false }));
  const run = sarif.runs[0];
  const byRule = (id: string): SarifResult => run.results.find((r) => r.ruleId === id)!;

  it('is schema-valid, with a physical location on every result, for file and non-file findings', () => {
    expect(run.results).toHaveLength(5); // the two AWS places are one finding
    expect(new Set(run.results.map((r) => r.level))).toEqual(new Set(['error', 'warning', 'note']));
  });

  it('takes rule metadata from the rule files: descriptions, remediation help, severity, tags, precision', () => {
    const rule = run.tool.driver.rules.find((r) => r.id === 'aws-access-key')!;
    const meta = awsRule();
    expect(rule.shortDescription.text).toBe(meta.title);
    expect(rule.fullDescription.text).toBe(meta.description);
    expect(rule.help.markdown).toContain(meta.remediation.split('\n')[0]);
    expect(rule.properties['security-severity']).toBe({ critical: '9.5', high: '8.0', medium: '5.5', low: '3.0', info: '0.0' }[meta.severity]);
    expect(rule.properties.tags).toEqual(expect.arrayContaining(['security', ...meta.owasp]));
    expect(rule.properties.precision).toBe(meta.precision);
  });

  it('anchors a resource with no file to the documented placeholder path, with the ARN in the message and logicalLocations', () => {
    const r = byRule('aws-role-admin');
    const loc = r.locations[0];
    expect(loc.physicalLocation.artifactLocation.uri).toBe('nhi-audit-resources/aws/arn/aws/iam/123456789012/role/deploy-prod');
    expect(loc.physicalLocation.region.startLine).toBe(1);
    expect(loc.logicalLocations).toEqual([expect.objectContaining({ fullyQualifiedName: ARN, kind: 'resource' })]);
    expect(r.message.text).toContain(ARN);
  });

  it('anchors a resource declared in a file to that file and line, keeping the URL', () => {
    const r = byRule('mcp-no-auth');
    expect(r.locations[0].physicalLocation).toMatchObject({ artifactLocation: { uri: '.cursor/mcp.json' }, region: { startLine: 4 } });
    expect(r.locations[0].logicalLocations?.[0].fullyQualifiedName).toBe(MCP_URL);
    expect(r.message.text).toContain(MCP_URL);
  });

  it('points a secret at its current file, lists the other places, and keys it by finding id, not a line hash', () => {
    const r = byRule('aws-access-key');
    expect(r.locations[0].physicalLocation).toMatchObject({ artifactLocation: { uri: 'deploy/.env' }, region: { startLine: 3, startColumn: 5 } });
    expect(r.relatedLocations?.map((l) => l.physicalLocation.artifactLocation.uri)).toEqual(['old/.env']);
    expect(r.partialFingerprints).toEqual({ [FINGERPRINT_KEY]: findings[0].id });
    expect(JSON.stringify(sarif)).not.toContain(keySecret);
    expect(JSON.stringify(sarif)).not.toContain(keyId);
  });

  it('reports target problems as tool notifications', () => {
    expect(run.invocations[0].toolExecutionNotifications).toEqual([expect.objectContaining({ level: 'warning', message: { text: expect.stringContaining('ListRoles throttled') } })]);
  });

  it('includes the value only with --show-secrets', () => {
    const shown = buildReport({ targets, findings: findings.map((f) => (f.secret ? { ...f, secret: { ...f.secret, value: `${keyId}\n${keySecret}` } } : f)), showSecrets: true });
    expect(renderSarif(shown, { color: false, showSecrets: true })).toContain(keySecret);
    expect(renderSarif(shown, { color: false, showSecrets: false })).not.toContain(keySecret);
  });

  it('describes rules from custom metadata, or from the finding when nothing else knows the rule', () => {
    const custom: RuleMeta = { id: 'aws-role-admin', kind: 'check', title: 'Role with admin policy', description: 'The role can do anything.', severity: 'high', owasp: ['NHI5'], remediation: 'Scope it down.', references: ['https://example.org/a'], precision: 'very-high', group: 'aws', file: '.nhi-audit.yaml' };
    const opts: SarifRenderOptions = { color: false, showSecrets: false, extraRules: [custom] };
    const withCustom = JSON.parse(renderSarif(report, opts)) as Sarif;
    const rules = withCustom.runs[0].tool.driver.rules;
    expect(rules.find((r) => r.id === 'aws-role-admin')).toMatchObject({ fullDescription: { text: 'The role can do anything.' }, properties: { precision: 'very-high' } });
    expect(rules.find((r) => r.id === 'mcp-no-auth')).toMatchObject({ shortDescription: { text: 'mcp-no-auth title' }, help: { text: expect.stringContaining('Tighten it.') } });
  });

  it('makes artifact URIs relative to the repository root for relative, file and absolute targets', () => {
    const mk = (path: string, rel: string): string => {
      const r = buildReport({ targets: [{ kind: 'code', path, status: 'ok', stats: {} }], findings: [secret(awsRule(), keyId, { path: rel, line: 1 }, keySecret)] });
      const s = expectGithubReadySarif(renderSarif(r, { color: false, showSecrets: false }));
      return s.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri;
    };
    expect(mk('services/api/', 'src/a b.js')).toBe('services/api/src/a%20b.js');
    expect(mk('./config/.env', '.env')).toBe('config/.env');
    expect(mk('/home/runner/work/repo', 'src/x.js')).toBe('src/x.js'); // an absolute target elsewhere is a repository root
    expect(mk(join(process.cwd(), 'services', 'api'), 'src/x.js')).toBe('services/api/src/x.js'); // inside the working directory
  });

  it('sets runAutomationDetails.id from the kind of target so scans do not overwrite each other', () => {
    const r = (ts: Array<Pick<TargetResult, 'kind' | 'path'>>): string => automationId({ targets: ts } as Report);
    expect(r([{ kind: 'code', path: '.' }, { kind: 'code', path: 'b' }])).toBe('nhi-audit/code/');
    expect(r([{ kind: 'aws', path: '123456789012' }])).toBe('nhi-audit/aws/123456789012/');
    expect(r([{ kind: 'mcp-config', path: 'a' }, { kind: 'mcp-endpoint', path: 'http://x' }])).toBe('nhi-audit/mcp/');
    expect(r([{ kind: 'github', path: 'acme' }])).toBe('nhi-audit/github/acme/');
    expect(r(targets)).toBe('nhi-audit/aws+code+mcp/');
  });

  it('the schema check is real: a result without a valid location or level is rejected', () => {
    const bad = JSON.parse(JSON.stringify(sarif)) as Sarif;
    (bad.runs[0].results[0] as { level: string }).level = 'fatal';
    expect(validateSarif(bad)).toBe(false);
    const bad2 = JSON.parse(JSON.stringify(sarif)) as Sarif;
    (bad2.runs[0].results[0].locations[0].physicalLocation.region as { startLine: number }).startLine = 0;
    expect(validateSarif(bad2)).toBe(false);
    const bad3 = JSON.parse(JSON.stringify(sarif)) as Sarif;
    (bad3.runs[0].invocations[0] as Record<string, unknown>).startTimeUtc = 'yesterday';
    expect(validateSarif(bad3)).toBe(false);
  });
});

describe('nhi-audit scan -f sarif (built CLI)', { timeout: 60_000 }, () => {
  const repo = new TempRepo();
  const tokens = Object.fromEntries(SEVERITIES.map((s) => [s, customToken(s)])) as Record<Severity, string>;
  const keyId = fake.awsKeyId();
  const keySecret = fake.awsSecret();
  const deleted = customToken('high');
  let sarif: Sarif;
  let text: string;

  beforeAll(async () => {
    repo.commit('old', { 'legacy/token.txt': `ACME=${deleted}\n` });
    repo.git('rm', '-q', 'legacy/token.txt');
    repo.commit('current', {
      '.nhi-audit.yaml': customRulesYaml(),
      'deploy/.env': `AWS_ACCESS_KEY_ID=${keyId}\nAWS_SECRET_ACCESS_KEY=${keySecret}\n`,
      'src/tokens.js': SEVERITIES.map((s) => `export const ${s} = '${tokens[s]}';`).join('\n'),
    });
    const r = await runCli(['scan', '-f', 'sarif', '-o', join(repo.dir, 'out.sarif'), '.'], { cwd: repo.dir });
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout).toBe('');
    text = readFileSync(join(repo.dir, 'out.sarif'), 'utf8');
    sarif = expectGithubReadySarif(text);
  }, 60_000);
  afterAll(() => repo.remove());

  it('covers every severity, with GitHub levels', () => {
    const results = sarif.runs[0].results;
    const level = (id: string) => results.find((r) => r.ruleId === id)?.level;
    expect([level('acme-critical-token'), level('acme-high-token'), level('acme-medium-token'), level('acme-low-token'), level('acme-info-token')]).toEqual(['error', 'error', 'warning', 'note', 'note']);
    expect(results.some((r) => r.ruleId.startsWith('aws-'))).toBe(true);
  });

  it('lists built-in and custom rules once each', () => {
    const ids = sarif.runs[0].tool.driver.rules.map((r) => r.id);
    expect(ids).toEqual(expect.arrayContaining(['acme-critical-token', 'acme-info-token']));
    expect(ids.filter((i) => i === 'acme-high-token')).toHaveLength(1); // two high findings, one rule
    const custom = sarif.runs[0].tool.driver.rules.find((r) => r.id === 'acme-low-token')!;
    expect(custom.fullDescription.text).toContain('low-impact access');
    expect(custom.properties['security-severity']).toBe('3.0');
  });

  it('anchors a secret deleted from the tree to the file and line of the commit that added it', () => {
    const r = sarif.runs[0].results.find((x) => x.ruleId === 'acme-high-token' && x.locations[0].physicalLocation.artifactLocation.uri === 'legacy/token.txt')!;
    expect(r.locations[0].physicalLocation.region.startLine).toBe(1);
    expect(r.message.text).toMatch(/Introduced in commit [0-9a-f]{12}/);
    expect(sarif.runs[0].automationDetails.id).toBe('nhi-audit/code/');
  });

  it('never contains a planted value', () => {
    for (const v of [...Object.values(tokens), keyId, keySecret, deleted]) expect(text).not.toContain(v);
  });
});
