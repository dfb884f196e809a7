import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Finding } from '../src/model/finding.js';
import { findingId, redact, secretFingerprint } from '../src/model/fingerprint.js';
import type { Report, TargetResult } from '../src/model/report.js';
import type { Severity } from '../src/model/severity.js';
import { buildReport } from './helpers/pipeline.js';
import { escapeData, escapeProperty, renderGithub } from '../src/report/github.js';
import { RENDERERS } from '../src/report/index.js';
import { MARKDOWN_TOP, renderMarkdown } from '../src/report/markdown.js';
import { runCli } from './helpers/cli.js';
import { customRulesYaml, customToken } from './helpers/gate-config.js';
import { TempRepo } from './helpers/git-repo.js';
import { fake } from './helpers/tokens.js';

const opts = { color: false, showSecrets: false };

function secretAt(sev: Severity, value: string, path: string, line: number, extra: Partial<Finding> = {}): Finding {
  const fp = secretFingerprint(value);
  const loc = { path, line, column: 7, target: 0, committed: true };
  return {
    id: findingId(`acme-${sev}-token`, fp),
    ruleId: `acme-${sev}-token`,
    title: `ACME ${sev} token`,
    severity: sev,
    score: 0,
    owasp: ['NHI2'],
    source: 'file',
    location: loc,
    secret: { redacted: redact(value), fingerprint: fp, value },
    occurrences: [{ source: 'file', ...loc }],
    message: `ACME ${sev} token (${redact(value)}) in code.`,
    remediation: 'Revoke it,\nthen rotate: 100% of the time.\n\nMore text.',
    ...extra,
  };
}

const targets: TargetResult[] = [{ kind: 'code', path: '.', status: 'ok', stats: { files: 2 }, assessed: ['NHI2', 'NHI7', 'NHI9'] }];

describe('--format github (workflow-command annotations)', () => {
  it('escapes data and properties the way the runner parses them', () => {
    expect(escapeData('a%b\r\nc')).toBe('a%25b%0D%0Ac');
    expect(escapeProperty('dir,x/a:b%.js')).toBe('dir%2Cx/a%3Ab%25.js');
  });

  it('one ::error/::warning/::notice line per finding with file, line, col and title; no values', () => {
    const hi = customToken('high');
    const report = buildReport({
      targets,
      findings: [
        secretAt('high', hi, 'src/a,b.js', 3),
        secretAt('medium', customToken('medium'), 'src/m.js', 9),
        secretAt('low', customToken('low'), 'src/l.js', 1),
        { ...secretAt('info', 'x'.repeat(3), 'n', 1), secret: undefined, location: { resource: 'https://mcp.example.invalid/sse', target: 0 }, occurrences: [{ source: 'mcp-endpoint', resource: 'https://mcp.example.invalid/sse', target: 0 }], message: 'Endpoint without auth.' },
      ],
    });
    const lines = renderGithub(report, opts).trimEnd().split('\n');
    expect(lines[0]).toMatch(/^::error file=src\/a%2Cb\.js,line=3,col=7,title=nhi-audit high%3A ACME high token \[acme-high-token\]::ACME high token \(acme…[A-Za-z0-9]{4}\) in code\. OWASP NHI2; score \d\.\d\.%0AFix: Revoke it, then rotate: 100%25 of the time\.$/);
    expect(lines[1]).toMatch(/^::warning file=src\/m\.js,line=9,col=7,title=/);
    expect(lines[2]).toMatch(/^::notice file=src\/l\.js,line=1,col=7,title=/);
    expect(lines[3]).toMatch(/^::notice title=nhi-audit info%3A .*::Endpoint without auth\. Resource: https:\/\/mcp\.example\.invalid\/sse\./);
    expect(lines[4]).toBe('nhi-audit: 4 findings (critical 0, high 1, medium 1, low 1, info 1)');
    expect(lines.join('\n')).not.toContain(hi);
  });

  it('reports a target that could not be scanned as an error annotation', () => {
    const report = buildReport({ targets: [{ kind: 'code', path: 'gone', status: 'error', error: 'gone: no such file or directory', stats: {} }], findings: [] });
    expect(renderGithub(report, opts)).toContain('::error title=nhi-audit%3A code target not scanned::gone: no such file or directory\n');
  });
});

describe('--format markdown', () => {
  const env = { GITHUB_SERVER_URL: 'https://github.com', GITHUB_REPOSITORY: 'acme/api', GITHUB_SHA: 'f'.repeat(40) };

  it('counts by severity and OWASP category, top findings with redacted values and links', () => {
    const v = customToken('critical');
    const hist = customToken('high');
    const report = buildReport({
      targets,
      findings: [
        secretAt('critical', v, 'src/pay|ments.js', 12),
        { ...secretAt('high', hist, 'old/config.yml', 2), source: 'git-history', location: { path: 'old/config.yml', line: 2, commit: 'a'.repeat(40), commitDate: '2024-01-02T00:00:00Z', target: 0 }, occurrences: [{ source: 'git-history', path: 'old/config.yml', line: 2, commit: 'a'.repeat(40), target: 0 }] },
      ],
    });
    const md = renderMarkdown(report, opts, env);
    expect(md).toMatch(/^### 🔐 nhi-audit: 2 findings \(1 critical, 1 high\)\n/);
    expect(md).toContain('| 🟥 critical | 1 |');
    expect(md).toContain('| NHI2 Secret Leakage | 2 |');
    expect(md).toContain('| NHI1 Improper Offboarding | _not assessed_ |');
    expect(md).toContain(`[\`src/pay\\|ments.js:12\`](https://github.com/acme/api/blob/${env.GITHUB_SHA}/src/pay%7Cments.js#L12)`);
    expect(md).toContain(`(https://github.com/acme/api/blob/${'a'.repeat(40)}/old/config.yml#L2) in \`aaaaaaaaaa\``); // history: the commit that added it
    expect(md).toContain(`\`${redact(v)}\``);
    expect(md).not.toContain(v);
    expect(md).not.toContain(hist);
    // Without GitHub context, paths are shown but not linked.
    expect(renderMarkdown(report, opts, {})).toContain('| `src/pay\\|ments.js:12` |');
  });

  it(`keeps a PR comment compact: at most ${MARKDOWN_TOP} rows, then a pointer to the full report`, () => {
    const many = Array.from({ length: MARKDOWN_TOP + 7 }, (_, i) => secretAt('low', customToken('low'), `f${i}.js`, 1));
    const md = renderMarkdown(buildReport({ targets, findings: many }), opts, {});
    expect(md.split('\n').filter((l) => l.startsWith('| 🟦 low 3')).length).toBe(MARKDOWN_TOP);
    expect(md).toContain(`_… and 7 more: see the SARIF or JSON report._`);
  });

  it('says so when there is nothing to report', () => {
    expect(renderMarkdown(buildReport({ targets, findings: [] }), opts, {})).toMatch(/^### ✅ nhi-audit: no findings\n/);
  });
});

/** Every format, from the built CLI, on planted secrets: no value ever appears unless --show-secrets. */
describe('no planted value leaks into any format (built CLI)', { timeout: 90_000 }, () => {
  const repo = new TempRepo();
  const keyId = fake.awsKeyId();
  const keySecret = fake.awsSecret();
  const custom = ['critical', 'high', 'medium', 'low', 'info'].map((s) => customToken(s as Severity));
  const removed = customToken('high');
  const planted = [keyId, keySecret, ...custom, removed];

  beforeAll(() => {
    repo.commit('leak', { 'old.txt': `token=${removed}\n` });
    repo.git('rm', '-q', 'old.txt');
    repo.commit('remove', {
      '.nhi-audit.yaml': customRulesYaml(),
      'deploy/prod.env': `AWS_ACCESS_KEY_ID=${keyId}\nAWS_SECRET_ACCESS_KEY=${keySecret}\n`,
      'src/tokens.py': custom.map((t, i) => `T${i} = "${t}"`).join('\n'),
    });
    repo.write('.env.local', `UNTRACKED=${custom[0]}\n`);
  });
  afterAll(() => repo.remove());

  // pretty and json are covered by the scan tests; these three go to GitHub and PR comments.
  for (const format of ['sarif', 'markdown', 'github']) {
    it(`${format}`, async () => {
      const r = await runCli(['scan', '--threads', '1', '-f', format, '.'], { cwd: repo.dir });
      expect(r.code, r.stderr).toBe(1);
      expect(r.stdout.length).toBeGreaterThan(100);
      for (const v of planted) {
        expect(r.stdout, `${format} stdout leaks a planted value`).not.toContain(v);
        expect(r.stderr).not.toContain(v);
      }
    });
  }

  it('every registered format renders a report holding values without them unless --show-secrets', () => {
    const findings = [secretAt('high', custom[1], 'a.js', 1), secretAt('low', custom[3], 'b.js', 2)];
    const hidden = buildReport({ targets, findings });
    const shown = buildReport({ targets, findings, showSecrets: true });
    for (const [name, render] of Object.entries(RENDERERS)) {
      expect(render(hidden, opts), name).not.toContain(custom[1]);
      expect(render(shown, { color: false, showSecrets: true }), name).toContain(custom[1]);
    }
  });
});
