import { execFileSync } from 'node:child_process';
import { symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.js';
import { TempRepo } from './helpers/git-repo.js';
import { runJson } from './helpers/report.js';
import { fake } from './helpers/tokens.js';

describe('trust: files the scanned repository controls are read only when regular and small', { timeout: 120_000 }, () => {
  it('.nhi-audit.yaml as a symlink to /dev/zero is refused at once (exit 2), not read', async () => {
    const repo = new TempRepo();
    try {
      repo.commit('one', { 'a.txt': 'x\n' });
      symlinkSync('/dev/zero', join(repo.dir, '.nhi-audit.yaml'));
      const t0 = Date.now();
      const r = await runCli(['scan', '.'], { cwd: repo.dir });
      expect(Date.now() - t0).toBeLessThan(20_000);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('not a regular file');
    } finally {
      repo.remove();
    }
  });

  it('.nhi-auditignore as a FIFO or a symlink to /dev/zero: skipped with a warning, no hang', async () => {
    const repo = new TempRepo();
    try {
      repo.commit('one', { 'a.env': `T=${fake.githubPat()}\n` });
      execFileSync('mkfifo', [join(repo.dir, '.nhi-auditignore')]);
      const r = await runJson(['scan', repo.dir]);
      expect(r.code).toBe(1);
      expect(r.report.targets[0].warnings!.join('\n')).toContain('.nhi-auditignore: not a regular file');
    } finally {
      repo.remove();
    }
  });

  it('--config pointing at a pipe is a usage error, not a hang', async () => {
    const dir = new TempRepo({ init: false });
    try {
      execFileSync('mkfifo', [join(dir.dir, 'cfg')]);
      const t0 = Date.now();
      const r = await runCli(['scan', '--config', join(dir.dir, 'cfg'), dir.dir]);
      expect(Date.now() - t0).toBeLessThan(20_000);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('not a regular file');
    } finally {
      dir.remove();
    }
  });

  it("the repository's own config is named on stderr; --no-repo-config ignores it and .nhi-auditignore", async () => {
    const repo = new TempRepo();
    try {
      repo.commit('one', { 'a.env': `T=${fake.githubPat()}\n`, '.nhi-audit.yaml': 'fail-on: none\nallowlist:\n  paths: ["**"]\n', '.nhi-auditignore': '*.env\n' });
      const weak = await runCli(['scan', '.'], { cwd: repo.dir });
      expect(weak.code).toBe(0);
      expect(weak.stderr).toMatch(/settings from the scanned repository's \.nhi-audit\.yaml: fail-on none, allowlist \(1\)/);
      const strict = await runJson(['scan', '--no-repo-config', '.'], { cwd: repo.dir });
      expect(strict.code).toBe(1);
      expect(strict.report.findings.some((f) => f.location.path === 'a.env')).toBe(true);
    } finally {
      repo.remove();
    }
  });

  it('a config baseline: outside the repository is rejected', async () => {
    const repo = new TempRepo();
    try {
      repo.commit('one', { 'a.txt': 'x\n', '.nhi-audit.yaml': 'baseline: ../../etc/passwd\n' });
      const r = await runCli(['scan', '.'], { cwd: repo.dir });
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/baseline.*must be a path inside/);
    } finally {
      repo.remove();
    }
  });
});

describe('trust: error messages never quote file contents', { timeout: 120_000 }, () => {
  it('--baseline, --authorization-details, --credential-report and --pin on a file that starts with a token', async () => {
    const dir = new TempRepo({ init: false });
    try {
      const tok = fake.githubPat();
      const f = dir.write('leak.json', `${tok} and more\n`);
      const runs = await Promise.all([
        runCli(['scan', '--baseline', f, dir.dir]),
        runCli(['aws', '--authorization-details', f]),
        runCli(['aws', '--credential-report', f]),
        runCli(['mcp', '--pin', f, 'http://127.0.0.1:9/mcp', '--timeout', '500']),
      ]);
      for (const r of runs) {
        expect(r.code).toBe(2);
        expect(r.stderr + r.stdout).not.toContain(tok.slice(0, 8));
      }
    } finally {
      dir.remove();
    }
  });
});

describe('trust: fingerprints are keyed hashes', { timeout: 120_000 }, () => {
  it('a baseline has its own salt; the same weak secret hashes differently in two baselines; a v1 baseline still matches, with a warning', async () => {
    const repo = new TempRepo();
    try {
      const tok = fake.githubPat();
      repo.commit('one', { 'a.env': `T=${tok}\n` });
      const one = await runCli(['baseline', 'create', '-o', 'b1.json'], { cwd: repo.dir });
      const two = await runCli(['baseline', 'create', '-o', 'b2.json', '--exclude', 'b1.json'], { cwd: repo.dir });
      expect(one.code).toBe(0);
      expect(two.code).toBe(0);
      const b1 = JSON.parse(await import('node:fs').then((fs) => fs.readFileSync(join(repo.dir, 'b1.json'), 'utf8')));
      const b2 = JSON.parse(await import('node:fs').then((fs) => fs.readFileSync(join(repo.dir, 'b2.json'), 'utf8')));
      expect(b1.salt).not.toBe(b2.salt);
      expect(b1.findings[0].fingerprint).toMatch(/^hmac-sha256:/);
      expect(b1.findings[0].fingerprint).not.toBe(b2.findings[0].fingerprint);
      // the report made against a baseline uses its salt, so the baseline matches it
      const against = await runJson(['scan', '--baseline', 'b1.json', '--exclude', 'b*.json', '.'], { cwd: repo.dir });
      expect(against.code).toBe(0);
      // re-creating keeps the salt (small diffs)
      await runCli(['baseline', 'create', '-o', 'b1.json', '--exclude', 'b*.json'], { cwd: repo.dir });
      const again = JSON.parse(await import('node:fs').then((fs) => fs.readFileSync(join(repo.dir, 'b1.json'), 'utf8')));
      expect(again.salt).toBe(b1.salt);
      // a version 1 baseline (plain sha256) is matched in legacy mode and named as guessable
      const { createHash } = await import('node:crypto');
      const fp = `sha256:${createHash('sha256').update(tok).digest('hex')}`;
      const id = createHash('sha256').update(`github-classic-pat\0${fp}`).digest('hex').slice(0, 32);
      repo.write('v1.json', JSON.stringify({ version: 1, tool: 'x', createdAt: '2026-01-01T00:00:00Z', findings: [{ id, ruleId: 'github-classic-pat', fingerprint: fp }] }));
      const legacy = await runJson(['scan', '--baseline', 'v1.json', '--exclude', '*.json', '.'], { cwd: repo.dir });
      expect(legacy.code).toBe(0);
      expect(legacy.stderr).toContain('re-create it');
    } finally {
      repo.remove();
    }
  });
});

describe('trust: first run without noise', { timeout: 120_000 }, () => {
  it('dependency folders git ignores are left out and counted; .env is still scanned; --include-deps brings them back', async () => {
    const repo = new TempRepo();
    try {
      repo.commit('one', { '.gitignore': 'node_modules/\n.venv/\n.env\n', 'src/app.js': 'x\n' });
      repo.write('node_modules/pkg/index.js', `const t = "${fake.githubPat()}";\n`);
      repo.write('node_modules/pkg/other.js', 'y\n');
      repo.write('.venv/lib/site.py', `T = "${fake.githubPat()}"\n`);
      repo.write('.env', `T=${fake.githubPat()}\n`);
      const r = await runJson(['scan', repo.dir]);
      expect(r.report.findings.map((f) => f.location.path)).toEqual(['.env']);
      expect(r.report.targets[0].stats.skippedDependencyFiles).toBe(3);
      expect(r.report.targets[0].warnings!.join('\n')).toContain('node_modules/: dependency folder ignored by git, 2 files not scanned (--include-deps');
      expect(r.code).toBe(1);
      const all = await runJson(['scan', '--include-deps', repo.dir]);
      expect(all.report.findings.length).toBe(3);
    } finally {
      repo.remove();
    }
  });
});
