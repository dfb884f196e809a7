import { describe, expect, it } from 'vitest';
import { budgetFloorMs, jobBudgetMs } from '../src/detect/watch.js';
import { runCli } from './helpers/cli.js';
import { runJson } from './helpers/report.js';
import { TempRepo } from './helpers/git-repo.js';
import { fake } from './helpers/tokens.js';

// A custom rule whose pattern backtracks catastrophically: (x+)+ then a terminator the crafted file
// never has costs 2^n steps on n characters. Its own example (short, terminated) matches at once.
const SLOW_RULE = `custom-rules:
  provider: acme
  rules:
    - id: acme-slow-token
      title: ACME slow token
      description: An ACME token written with a pattern that backtracks catastrophically.
      severity: high
      owasp: [NHI2]
      remediation: Revoke it in the ACME console.
      references: [https://acme.invalid/docs/tokens]
      precision: high
      pattern: 'slowtok_((?:[A-Za-z0-9]+)+)!'
      keywords: [slowtok_]
      examples: ['key = slowtok_Zq8Lw2Nx5Rt7Vb3Mk9Pj4Hs6!']
      negative_examples: ['slowtok_!']
`;

/** A file that makes the slow rule run for ages: its keyword, a long run of its class, no terminator. */
const CRAFTED = `x = slowtok_${'a'.repeat(48)}\n`;
const CUSTOM_TOKEN = 'slowtok_Hm4Rk8Tz2Wq6Yp3Nc7Lv5Bx9!';

function fillRepo(dir: TempRepo): void {
  dir.write('.nhi-audit.yaml', SLOW_RULE);
  for (let i = 0; i < 30; i++) dir.write(`f${String(i).padStart(2, '0')}.txt`, `filler ${i}\n`);
  dir.write('crafted.txt', CRAFTED);
  dir.write('zz-next.env', `GITHUB_TOKEN=${fake.githubPat()}\n`);
  dir.write('zz-custom.txt', `acme = ${CUSTOM_TOKEN}\n`);
}

describe('trust: a custom rule that backtracks catastrophically cannot hang the scan', () => {
  for (const threads of ['2', '1']) {
    it(`--threads ${threads}: the file is stopped at its time budget, named with the rule, the rest is scanned, exit 2`, async () => {
      const dir = new TempRepo({ init: false });
      try {
        fillRepo(dir);
        const t0 = Date.now();
        const r = await runJson(['scan', '--threads', threads, dir.dir], { env: { NHI_AUDIT_REGEX_BUDGET: '1' } });
        const seconds = (Date.now() - t0) / 1000;
        expect(seconds).toBeLessThan(90); // 2^48 steps would take days: the budget (1 s here) stopped it
        expect(r.code).toBe(2);
        const t = r.report.targets[0];
        expect(t.status).toBe('partial');
        expect(t.warnings!.join('\n')).toMatch(/crafted\.txt: regex time budget exceeded by rule acme-slow-token \(1 s for 0\.0 MB\), not scanned/);
        expect(t.error).toMatch(/crafted\.txt: regex time budget exceeded/);
        // Every other file was read, and its findings kept: built-in and custom rules alike.
        expect(t.stats.files).toBe(34 - 1); // all but the stopped one (the config file is scanned too)
        const paths = r.report.findings.map((f) => `${f.ruleId} ${f.location.path}`);
        expect(paths).toContain('github-classic-pat zz-next.env');
        expect(paths).toContain('acme-slow-token zz-custom.txt');
        expect(r.stderr).toContain('crafted.txt: regex time budget exceeded');
        expect(r.stderr).not.toContain('a'.repeat(20)); // no bytes of the scanned file
      } finally {
        dir.remove();
      }
    });
  }

  it('--allow-partial: the stopped file no longer fails the gate by itself; it is still reported', async () => {
    const dir = new TempRepo({ init: false });
    try {
      fillRepo(dir);
      const r = await runJson(['scan', '--allow-partial', '--fail-on', 'none', dir.dir], { env: { NHI_AUDIT_REGEX_BUDGET: '1' } });
      expect(r.code).toBe(0);
      expect(r.stderr).not.toContain('partial scan: exit 2');
      expect(r.report.targets[0].status).toBe('partial');
      expect(r.report.targets[0].warnings!.join('\n')).toContain('crafted.txt: regex time budget exceeded');
    } finally {
      dir.remove();
    }
  });

  it('history: a crafted blob is stopped too, and a token elsewhere in history is still found', async () => {
    const repo = new TempRepo();
    try {
      const pat = fake.githubPat();
      repo.commit('config', { '.nhi-audit.yaml': SLOW_RULE });
      repo.commit('crafted', { 'crafted.txt': CRAFTED, 'old.env': `T=${pat}\n` });
      repo.git('rm', '-q', 'crafted.txt', 'old.env');
      repo.commit('clean up');
      const r = await runJson(['scan', '--threads', '2', repo.dir], { env: { NHI_AUDIT_REGEX_BUDGET: '1' } });
      expect(r.code).toBe(2);
      const warnings = r.report.targets[0].warnings!.join('\n');
      expect(warnings).toMatch(/crafted\.txt \(blob [0-9a-f]{12}\): regex time budget exceeded by rule acme-slow-token/);
      expect(r.report.findings.some((f) => f.ruleId === 'github-classic-pat' && f.occurrences.some((o) => o.path === 'old.env'))).toBe(true);
    } finally {
      repo.remove();
    }
  });
});

describe('trust: a custom rule is checked against its examples under the same bound', () => {
  it('a negative example that makes the pattern backtrack for ages is a one-line config error naming the rule, not a hang', async () => {
    const dir = new TempRepo({ init: false });
    try {
      dir.write('.nhi-audit.yaml', SLOW_RULE.replace("negative_examples: ['slowtok_!']", `negative_examples: ['slowtok_${'a'.repeat(48)}']`));
      dir.write('app.env', `T=${fake.githubPat()}\n`);
      const t0 = Date.now();
      const r = await runCli(['scan', dir.dir], { env: { NHI_AUDIT_REGEX_BUDGET: '1' } });
      expect((Date.now() - t0) / 1000).toBeLessThan(60);
      expect(r.code).toBe(2);
      const lines = r.stderr.trim().split('\n').filter((l) => l.includes('error'));
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/\.nhi-audit\.yaml:\d+: custom-rules\.rules\[0\]: rule acme-slow-token: checking its examples took longer than the regex time budget \(1 s\)/);
      expect(r.stderr).not.toContain('a'.repeat(20));
      // --no-repo-config ignores the scanned repository's config, rule and all.
      const ignored = await runJson(['scan', '--no-repo-config', '--fail-on', 'none', dir.dir]);
      expect(ignored.code).toBe(0);
      expect(ignored.report.findings.some((f) => f.ruleId === 'github-classic-pat')).toBe(true);
    } finally {
      dir.remove();
    }
  });
});

describe('time budget per job', () => {
  it('has a floor, grows with the size, and takes its floor from NHI_AUDIT_REGEX_BUDGET', () => {
    expect(jobBudgetMs(0)).toBe(15_000);
    expect(jobBudgetMs(100 << 20)).toBe(300_000);
    expect(jobBudgetMs(1 << 20, 1000)).toBe(3000);
    expect(budgetFloorMs({ NHI_AUDIT_REGEX_BUDGET: '2.5' })).toBe(2500);
    expect(budgetFloorMs({ NHI_AUDIT_REGEX_BUDGET: 'soon' })).toBe(15_000);
    expect(budgetFloorMs({ NHI_AUDIT_REGEX_BUDGET: '-1' })).toBe(15_000);
    expect(budgetFloorMs({})).toBe(15_000);
  });
});

describe('trust: an allowlist regex from the scanned repository cannot hang the scan', () => {
  it('a pattern that backtracks for ages on a found value is stopped at the budget; the finding stays; one warning', async () => {
    const dir = new TempRepo({ init: false });
    try {
      // (run)+ then a '-' no token ends with: 2^n steps on an n-character token.
      dir.write('.nhi-audit.yaml', `allowlist:\n  secrets: ['^([A-Za-z0-9_]+)+-$', '^ignored-literal$']\n`);
      dir.write('a.env', `GITHUB_TOKEN=${fake.githubPat()}\n`);
      dir.write('b.env', `DEPLOY_TOKEN=${fake.githubPat()}\n`);
      const t0 = Date.now();
      const r = await runJson(['scan', dir.dir], { env: { NHI_AUDIT_REGEX_BUDGET: '1' } });
      expect((Date.now() - t0) / 1000).toBeLessThan(90);
      expect(r.code).toBe(1); // nothing was allowlisted: the gate fails on the tokens
      expect(r.report.findings.filter((f) => f.ruleId === 'github-classic-pat')).toHaveLength(2);
      const lines = r.stderr.split('\n').filter((l) => l.includes('allowlist.secrets'));
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/ran longer than the regex time budget \(1 s\)/);
      expect(r.stderr).not.toMatch(/ghp_/);
    } finally {
      dir.remove();
    }
  });

  it('well-behaved allowlist regexes still allowlist', async () => {
    const dir = new TempRepo({ init: false });
    try {
      const token = fake.githubPat();
      dir.write('.nhi-audit.yaml', `allowlist:\n  secrets: ['^${token}$']\n`);
      dir.write('a.env', `GITHUB_TOKEN=${token}\n`);
      const r = await runJson(['scan', dir.dir]);
      expect(r.code).toBe(0);
      expect(r.report.findings).toEqual([]);
    } finally {
      dir.remove();
    }
  });
});
