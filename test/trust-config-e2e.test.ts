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
