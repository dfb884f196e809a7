import { chmodSync, mkdirSync, readFileSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Finding } from '../src/model/finding.js';
import type { Report } from '../src/model/report.js';
import { runCli } from './helpers/cli.js';
import { repoWithCorruptBlob, TempRepo } from './helpers/git-repo.js';
import { runJson } from './helpers/report.js';
import { fake } from './helpers/tokens.js';

function scanJson(args: string[], cwd?: string): Promise<{ code: number; report: Report; stderr: string }> {
  return runJson(['scan', ...args], { cwd });
}

function byRule(report: Report, ruleId: string): Finding[] {
  return report.findings.filter((f) => f.ruleId === ruleId);
}

describe('scan: working tree and history of a git repository', () => {
  const repo = new TempRepo();
  const old = fake.githubPat(); // committed, then deleted: only in history
  const reused = fake.stripeLive(); // in three files
  const untracked = fake.githubPat(); // in a git-ignored .env
  const keyId = fake.awsKeyId();
  const keySecret = fake.awsSecret();
  let first = '';
  let report: Report;
  let code: number;

  beforeAll(async () => {
    first = repo.commit('add config', { 'config/old.yml': `github:\n  token: ${old}\n`, 'README.md': '# demo\n' });
    repo.git('rm', '-q', 'config/old.yml');
    repo.commit('remove token');
    repo.commit('payments', {
      'src/pay.js': `const stripe = require('stripe')('${reused}');\n`,
      'scripts/sync.sh': `#!/bin/sh\nexport STRIPE_KEY=${reused}\n`,
      'deploy/.env.prod': `AWS_ACCESS_KEY_ID=${keyId}\nAWS_SECRET_ACCESS_KEY=${keySecret}\n`,
      '.gitignore': '.env\n',
    });
    repo.write('.env', `STRIPE=${reused}\nGITHUB_TOKEN=${untracked}\n`);
    ({ code, report } = await scanJson([repo.dir]));
  });
  afterAll(() => repo.remove());

  it('exits 1 because findings are at or above high', () => {
    expect(code).toBe(1);
    expect(report.targets[0]).toMatchObject({ kind: 'code', status: 'ok' });
    expect(report.targets[0].stats.blobs).toBeGreaterThan(0);
  });

  it('finds a secret deleted from history and attributes it to the commit that introduced it', () => {
    const f = report.findings.find((x) => x.ruleId.startsWith('github') && x.occurrences.some((o) => o.path === 'config/old.yml'))!;
    expect(f).toBeDefined();
    expect(f.source).toBe('git-history');
    expect(f.location).toMatchObject({ path: 'config/old.yml', line: 2, commit: first, committed: true });
    expect(f.location.commitDate).toMatch(/^2024-01-/);
    expect(f.owasp).toContain('NHI2');
  });

  it('reports a reused secret once, with every occurrence', () => {
    const f = report.findings.filter((x) => x.ruleId.startsWith('stripe'));
    expect(f).toHaveLength(1);
    const paths = new Set(f[0].occurrences.map((o) => o.path));
    expect(paths).toEqual(new Set(['src/pay.js', 'scripts/sync.sh', '.env']));
    expect(f[0].occurrences.some((o) => o.source === 'git-history' && o.commit)).toBe(true);
    expect(f[0].owasp).toContain('NHI9');
  });

  it('marks a secret only in an untracked, git-ignored file as not committed', () => {
    const f = report.findings.find((x) => x.occurrences.some((o) => o.path === '.env') && x.ruleId.startsWith('github'))!;
    expect(f).toBeDefined();
    expect(f.location).toMatchObject({ path: '.env', line: 2, committed: false });
    expect(f.source).toBe('file');
  });

  it('pairs an AWS key id with its secret key and marks it long-lived', () => {
    const f = byRule(report, 'aws-access-key');
    expect(f).toHaveLength(1);
    expect(f[0].severity).toBe('critical');
    expect(f[0].owasp).toEqual(expect.arrayContaining(['NHI2', 'NHI7']));
    expect(f[0].secret?.identifierFingerprint).toMatch(/^sha256:/);
    expect(byRule(report, 'aws-access-key-id')).toHaveLength(0);
  });

  it('gives stable ids that survive moving the secret to another line and file', async () => {
    const before = report.findings.find((x) => x.ruleId.startsWith('stripe'))!.id;
    const moved = new TempRepo();
    try {
      moved.commit('x', { 'a/b/c.txt': `\n\n\nkey = "${reused}"\n` });
      const { report: r2 } = await scanJson([moved.dir]);
      expect(r2.findings.find((x) => x.ruleId.startsWith('stripe'))!.id).toBe(before);
    } finally {
      moved.remove();
    }
  });

  it('--no-history skips history', async () => {
    const { report: r } = await scanJson(['--no-history', repo.dir]);
    expect(r.findings.some((f) => f.occurrences.some((o) => o.path === 'config/old.yml'))).toBe(false);
    expect(r.targets[0].stats.blobs).toBe(0);
  });

  it('--since REF reports only what the new commits introduce', async () => {
    const base = repo.git('rev-parse', 'HEAD').trim();
    const fresh = fake.githubPat();
    repo.git('checkout', '-q', '-b', 'feature');
    repo.commit('feature work', { 'feature.txt': `token=${fresh}\n` });
    try {
      const { report: r, code: c } = await scanJson(['--since', base, repo.dir]);
      expect(c).toBe(1);
      expect(r.findings).toHaveLength(1);
      expect(r.findings[0].location.path).toBe('feature.txt');
      const { report: r2 } = await scanJson(['--commits', `${base}..HEAD`, repo.dir]);
      expect(r2.findings.map((f) => f.location.path)).toEqual(['feature.txt']);
    } finally {
      repo.git('checkout', '-q', 'main');
    }
  });

  it('--since with an unknown ref is a usage error (exit 2, one line)', async () => {
    const r = await runCli(['scan', '--since', 'no-such-branch', repo.dir]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain("unknown revision 'no-such-branch'");
  });
});

describe('scan --staged (pre-commit)', () => {
  it('reports only lines being added by the staged change', async () => {
    const repo = new TempRepo();
    try {
      const committed = fake.githubPat();
      const staged = fake.githubPat();
      const unstaged = fake.githubPat();
      repo.commit('base', { 'app.env': `A=${committed}\n` });
      repo.write('app.env', `A=${committed}\nB=${staged}\n`);
      repo.git('add', 'app.env');
      repo.write('other.env', `C=${unstaged}\n`);
      const { report, code } = await scanJson(['--staged', repo.dir]);
      expect(code).toBe(1);
      expect(report.findings).toHaveLength(1);
      expect(report.findings[0]).toMatchObject({ source: 'git-staged', location: { path: 'app.env', line: 2, committed: false } });
      repo.git('reset', '-q');
      const clean = await scanJson(['--staged', repo.dir]);
      expect(clean.code).toBe(0);
      expect(clean.report.findings).toHaveLength(0);
    } finally {
      repo.remove();
    }
  });
});

describe('scan: excludes and suppression', () => {
  it('honours --exclude, .nhi-auditignore and nhi-audit:ignore comments', async () => {
    const repo = new TempRepo({ init: false });
    try {
      const t = () => fake.githubPat();
      repo.write('keep.txt', `token=${t()}\n`);
      repo.write('vendor/lib.txt', `token=${t()}\n`);
      repo.write('fixtures/a.txt', `token=${t()}\n`);
      repo.write('.nhi-auditignore', 'fixtures/\n');
      repo.write('ignored.py', `token = "${t()}"  # nhi-audit:ignore\nother = "${t()}"  # nhi-audit:ignore some-other-rule\n`);
      const { report } = await scanJson(['--exclude', 'vendor/**', repo.dir]);
      const paths = report.findings.map((f) => `${f.location.path}:${f.location.line}`).sort();
      expect(paths).toEqual(['ignored.py:2', 'keep.txt:1']);
      expect(report.targets[0].stats.skippedExcluded).toBeGreaterThanOrEqual(2);
    } finally {
      repo.remove();
    }
  });

  it('does not report placeholders and documentation examples', async () => {
    const repo = new TempRepo({ init: false });
    try {
      repo.write(
        'docs.md',
        [
          'AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE',
          'AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
          'GITHUB_TOKEN=ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
          'password: ${DB_PASSWORD}',
          'token: ${{ secrets.DEPLOY_TOKEN }}',
          'api_key = process.env.API_KEY',
          "secret = os.environ['SECRET']",
          'password: {{ .Values.db.password }}',
          'api_key: <your-api-key>',
          'password = "changeme"',
          'client_secret: REDACTED',
          'token: "****************"',
        ].join('\n'),
      );
      const { report, code } = await scanJson([repo.dir]);
      expect(report.findings).toEqual([]);
      expect(code).toBe(0);
    } finally {
      repo.remove();
    }
  });
});

describe('scan: output never leaks secrets', () => {
  it('no planted value appears in any format, on stdout or stderr, unless --show-secrets', async () => {
    const { FORMATS } = await import('../src/report/index.js');
    const repo = new TempRepo();
    const planted = [fake.githubPat(), fake.stripeLive(), fake.slackBot(), fake.awsSecret()];
    const keyId = fake.awsKeyId();
    try {
      repo.commit('secrets', {
        'a.env': `GITHUB_TOKEN=${planted[0]}\nSTRIPE_SECRET_KEY=${planted[1]}\nSLACK_BOT_TOKEN=${planted[2]}\n`,
        'b.env': `AWS_ACCESS_KEY_ID=${keyId}\nAWS_SECRET_ACCESS_KEY=${planted[3]}\n`,
      });
      repo.write('untracked.txt', `again ${planted[0]}\n`);
      for (const format of FORMATS) {
        const r = await runCli(['scan', '-f', format, repo.dir]);
        expect(r.code, `${format}: ${r.stderr}`).toBe(1);
        for (const v of planted) {
          expect(r.stdout.includes(v), `${format} stdout leaks a secret`).toBe(false);
          expect(r.stderr.includes(v), `${format} stderr leaks a secret`).toBe(false);
        }
      }
      const outFile = join(repo.dir, 'report.json');
      await runCli(['scan', '-f', 'json', '-o', outFile, repo.dir]);
      const written = readFileSync(outFile, 'utf8');
      for (const v of planted) expect(written.includes(v)).toBe(false);
      const shown = await runCli(['scan', '-f', 'json', '--show-secrets', repo.dir]);
      for (const v of planted) expect(shown.stdout.includes(v)).toBe(true);
    } finally {
      repo.remove();
    }
  });
});

describe('scan: exit codes', () => {
  it('0 when clean, 1 at or above --fail-on, 0 below it, 0 with --fail-on none', async () => {
    const repo = new TempRepo();
    try {
      repo.commit('clean', { 'a.txt': 'hello\n' });
      expect((await runCli(['scan', repo.dir])).code).toBe(0);
      repo.commit('leak', { 'b.txt': `STRIPE_KEY=${fake.stripeLive()}\n` });
      expect((await runCli(['scan', repo.dir])).code).toBe(1);
      expect((await runCli(['scan', '--fail-on', 'none', repo.dir])).code).toBe(0);
      const sev = (await scanJson([repo.dir])).report.findings[0].severity;
      expect(sev).toBe('critical');
      expect((await runCli(['scan', '--fail-on', 'critical', repo.dir])).code).toBe(1);
    } finally {
      repo.remove();
    }
  });

  it('2 with a one-line reason for a nonexistent path, and the other targets are still scanned', async () => {
    const repo = new TempRepo({ init: false });
    try {
      repo.write('x.txt', `k=${fake.githubPat()}\n`);
      const r = await runCli(['scan', '-f', 'json', join(repo.dir, 'nope'), repo.dir]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/nope: no such file or directory/);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      const report = JSON.parse(r.stdout) as Report;
      expect(report.targets.map((t) => t.status)).toEqual(['error', 'ok']);
      expect(report.findings).toHaveLength(1);
    } finally {
      repo.remove();
    }
  });

  it('2 for usage errors, including commander errors', async () => {
    for (const args of [['scan', '--no-such-flag'], ['no-such-command'], ['scan', '--format', 'xml'], ['scan', '--since', 'a', '--staged'], ['scan', '--max-file-size', 'huge']]) {
      const r = await runCli(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr.length).toBeGreaterThan(0);
    }
    expect((await runCli(['--help'])).code).toBe(0);
    expect((await runCli(['scan', '--help'])).stdout).toContain('Examples:');
    expect((await runCli(['--version'])).code).toBe(0);
  });
});

describe('scan: bad input', () => {
  it('scans a file given instead of a directory', async () => {
    const repo = new TempRepo({ init: false });
    try {
      const p = repo.write('single.env', `TOKEN=${fake.githubPat()}\n`);
      const { report, code } = await scanJson([p]);
      expect(code).toBe(1);
      expect(report.findings[0].location).toMatchObject({ path: 'single.env', line: 1, committed: false });
    } finally {
      repo.remove();
    }
  });

  it('skips binary, oversized, unreadable and looping items, counts them, and still scans the rest', async () => {
    const repo = new TempRepo({ init: false });
    try {
      const tok = fake.githubPat();
      repo.write('good.txt', `t=${fake.githubPat()}\n`);
      repo.write('image.png', Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0]), Buffer.from(`t=${tok}`)]));
      repo.write('big.log', `t=${tok}\n${'x'.repeat(3000)}\n`);
      // A sparse 1 GB file: skipped by size without being read.
      writeFileSync(join(repo.dir, 'huge.bin'), '');
      truncateSync(join(repo.dir, 'huge.bin'), 1 << 30);
      mkdirSync(join(repo.dir, 'loop'));
      symlinkSync('..', join(repo.dir, 'loop', 'parent'));
      symlinkSync(join(repo.dir, 'missing-target'), join(repo.dir, 'dangling'));
      repo.write('latin1.txt', Buffer.concat([Buffer.from([0xc3, 0x28, 0xfd, 0x0a]), Buffer.from(`token: ${tok}\n`)]));
      repo.write('utf16.txt', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(`x\nSTRIPE=${fake.stripeLive()}\n`, 'utf16le')]));
      repo.write('min.js', `${'var a=1;'.repeat(5 * 131072)}var k="${fake.githubPat()}";`);
      const locked = repo.write('locked.txt', 'nothing\n');
      chmodSync(locked, 0);
      const t0 = Date.now();
      const { report, code } = await scanJson(['--max-file-size', '2KB', repo.dir]);
      const elapsed = Date.now() - t0;
      expect(code).toBe(1);
      const t = report.targets[0];
      expect(t.stats.skippedBinary).toBe(1);
      expect(t.stats.skippedLarge).toBeGreaterThanOrEqual(2); // big.log, huge.bin, min.js (5 MB > 2 KB)
      expect(t.warnings!.some((w) => w.startsWith('big.log:') && w.includes('--max-file-size'))).toBe(true);
      expect(t.warnings!.some((w) => w.includes('loop/parent') && w.includes('loop'))).toBe(true);
      expect(t.warnings!.some((w) => w.includes('dangling'))).toBe(true);
      if (process.getuid?.() !== 0) expect(t.warnings!.some((w) => w.startsWith('locked.txt'))).toBe(true);
      const paths = report.findings.map((f) => f.location.path).sort();
      expect(paths).toEqual(expect.arrayContaining(['good.txt', 'latin1.txt', 'utf16.txt']));
      expect(paths).not.toContain('image.png');
      expect(elapsed).toBeLessThan(30000);
      // Without the small limit, the 5 MB single-line file is scanned and its secret found.
      const full = await scanJson([repo.dir]);
      const min = full.report.findings.find((f) => f.location.path === 'min.js');
      expect(min?.location.line).toBe(1);
      expect(min?.location.column).toBeGreaterThan(5 * 1024 * 1024);
    } finally {
      repo.remove();
    }
  });

  it('handles a repository with no commits', async () => {
    const repo = new TempRepo();
    try {
      repo.write('a.env', `T=${fake.githubPat()}\n`);
      const { report, code } = await scanJson([repo.dir]);
      expect(code).toBe(1);
      expect(report.targets[0].status).toBe('ok');
      expect(report.targets[0].warnings!.join('\n')).toContain('no commits');
      expect(report.findings[0].location.committed).toBe(false);
    } finally {
      repo.remove();
    }
  });

  it('handles a shallow clone (partial, with a reason) and still finds what it has', async () => {
    const origin = new TempRepo();
    const clone = new TempRepo({ init: false });
    try {
      origin.commit('one', { 'old.env': `T=${fake.githubPat()}\n` });
      origin.git('rm', '-q', 'old.env');
      origin.commit('two');
      origin.commit('three', { 'new.env': `T=${fake.githubPat()}\n` });
      execFileSync('git', ['clone', '-q', '--depth', '1', `file://${origin.dir}`, join(clone.dir, 'c')]);
      const { report } = await scanJson([join(clone.dir, 'c')]);
      expect(report.targets[0].status).toBe('partial');
      expect(report.targets[0].warnings!.join('\n')).toContain('shallow');
      expect(report.findings.map((f) => f.location.path)).toEqual(['new.env']);
    } finally {
      origin.remove();
      clone.remove();
    }
  });

  it('handles a corrupt object in .git: partial, with a reason, other findings kept', async () => {
    const repo = repoWithCorruptBlob();
    try {
      const { report, code } = await scanJson([repo.dir]);
      expect(code).toBe(2); // a partial target is not a pass
      expect(report.targets[0].status).toBe('partial');
      expect(report.targets[0].warnings!.some((w) => w.includes('git history'))).toBe(true);
      expect(report.findings.some((f) => f.location.path === 'keep.env')).toBe(true);
    } finally {
      repo.remove();
    }
  });
});

describe('scan: MCP client configs in a repository', () => {
  it('finds the token like any other secret, once, and adds the MCP config analysis', async () => {
    const repo = new TempRepo();
    try {
      const tok = fake.githubPat();
      repo.commit('mcp', {
        '.mcp.json': JSON.stringify({ mcpServers: { gh: { command: 'npx', args: ['-y', '@modelcontextprotocol/server-github'], env: { GITHUB_PERSONAL_ACCESS_TOKEN: tok } } } }, null, 2),
      });
      const { report } = await scanJson([repo.dir]);
      const ids = report.findings.map((f) => f.ruleId).sort();
      expect(ids.filter((id) => id === 'github-classic-pat')).toHaveLength(1);
      expect(ids).toContain('mcp-config-unpinned-package');
      expect(ids).not.toContain('mcp-config-literal-credential'); // same secret, already reported by the GitHub rule
      const pat = report.findings.find((f) => f.ruleId === 'github-classic-pat')!;
      expect(pat.location).toMatchObject({ path: '.mcp.json', line: 10 });
      expect(report.targets[0].assessed).toEqual(expect.arrayContaining(['NHI2', 'NHI3']));
    } finally {
      repo.remove();
    }
  });
});

describe('terminal output', () => {
  it('has no escape codes when piped, colours with FORCE_COLOR, and keeps logs off stdout', async () => {
    const repo = new TempRepo({ init: false });
    try {
      repo.write('a.env', `T=${fake.githubPat()}\n`);
      const plain = await runCli(['scan', repo.dir], { env: { NO_COLOR: undefined } });
      expect(plain.stdout).toContain('CRITICAL');
      expect(plain.stdout).not.toMatch(/\x1b\[/);
      expect(plain.stderr).not.toMatch(/\x1b\[/);
      const forced = await runCli(['scan', repo.dir], { env: { NO_COLOR: undefined, FORCE_COLOR: '1' } });
      expect(forced.stdout).toMatch(/\x1b\[/);
      const toFile = await runCli(['scan', '-o', join(repo.dir, 'out.txt'), repo.dir]);
      expect(toFile.stdout).toBe('');
      expect(readFileSync(join(repo.dir, 'out.txt'), 'utf8')).toContain('OWASP NHI Top 10 (2025)');
    } finally {
      repo.remove();
    }
  });
});

describe('rules command', () => {
  it('lists rules as a table and as JSON', async () => {
    const table = await runCli(['rules']);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/github-classic-pat\s+critical\s+NHI2,NHI7/);
    const json = await runCli(['rules', '--format', 'json']);
    const rows = JSON.parse(json.stdout) as Array<{ id: string; severity: string; owasp: string[]; title: string }>;
    expect(rows.length).toBeGreaterThanOrEqual(150);
    expect(new Set(rows.map((r) => r.id)).size).toBe(rows.length);
    for (const r of rows) expect(r.owasp.length).toBeGreaterThan(0);
  });
});
