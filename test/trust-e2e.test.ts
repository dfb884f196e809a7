import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.js';
import { repoWithCorruptBlob, TempRepo } from './helpers/git-repo.js';
import { runJson } from './helpers/report.js';
import { fake } from './helpers/tokens.js';

/** The one line the gate prints for a partial target names the fix. */
function gateLine(stderr: string): string {
  return stderr.split('\n').find((l) => l.includes('partial scan: exit 2')) ?? '';
}

describe('trust: a partial target exits 2 with a one-line reason, unless --allow-partial', () => {
  it('shallow clone: exit 2 naming fetch-depth: 0; the history-only token is said to be unread', async () => {
    const origin = new TempRepo();
    const clone = new TempRepo({ init: false });
    try {
      origin.commit('one', { 'old.env': `T=${fake.githubPat()}\n` });
      origin.git('rm', '-q', 'old.env');
      origin.commit('two', { 'README.md': 'x\n' });
      execFileSync('git', ['clone', '-q', '--depth', '1', `file://${origin.dir}`, join(clone.dir, 'c')]);
      const r = await runJson(['scan', join(clone.dir, 'c')]);
      expect(r.code).toBe(2);
      expect(r.report.targets[0].status).toBe('partial');
      expect(r.report.targets[0].error).toContain('fetch-depth: 0');
      expect(gateLine(r.stderr)).toContain('fetch-depth: 0');
      const allowed = await runJson(['scan', '--allow-partial', join(clone.dir, 'c')]);
      expect(allowed.code).toBe(0);
      expect(allowed.report.targets[0].status).toBe('partial');
    } finally {
      origin.remove();
      clone.remove();
    }
  });

  it('missing or corrupt object: exit 2 naming git fsck', async () => {
    const repo = repoWithCorruptBlob();
    try {
      const r = await runJson(['scan', repo.dir]);
      expect(r.code).toBe(2);
      expect(gateLine(r.stderr)).toContain('git fsck');
      expect(r.report.findings.some((f) => f.location.path === 'keep.env')).toBe(true);
    } finally {
      repo.remove();
    }
  });

  it.skipIf(process.getuid?.() === 0)('unreadable file: exit 2 naming the fix', async () => {
    const repo = new TempRepo();
    try {
      repo.commit('one', { 'a.txt': 'x\n' });
      const p = repo.write('secret.env', `T=${fake.githubPat()}\n`);
      chmodSync(p, 0);
      const r = await runJson(['scan', repo.dir]);
      expect(r.code).toBe(2);
      expect(gateLine(r.stderr)).toMatch(/secret\.env.*EACCES.*--exclude/);
    } finally {
      repo.remove();
    }
  });

  it('a bogus ref under .git/refs/heads: the other refs are still read, the ref is named, exit 2', async () => {
    const repo = new TempRepo();
    try {
      repo.commit('one', { 'old.env': `T=${fake.githubPat()}\n` });
      repo.git('rm', '-q', 'old.env');
      repo.commit('two');
      writeFileSync(join(repo.dir, '.git', 'refs', 'heads', 'bogus'), '1111111111111111111111111111111111111111\n');
      const r = await runJson(['scan', repo.dir]);
      expect(r.code).toBe(2);
      expect(r.report.targets[0].stats.blobs).toBeGreaterThan(0);
      expect(r.report.findings.some((f) => f.location.path === 'old.env' && f.source === 'git-history')).toBe(true);
      expect(gateLine(r.stderr)).toContain('refs/heads/bogus');
      expect(gateLine(r.stderr)).toContain('git update-ref -d');
      // an unparsable ref file too
      writeFileSync(join(repo.dir, '.git', 'refs', 'heads', 'bogus'), 'garbage\n');
      const g = await runJson(['scan', repo.dir]);
      expect(g.code).toBe(2);
      expect(g.report.findings.some((f) => f.location.path === 'old.env')).toBe(true);
    } finally {
      repo.remove();
    }
  });

  it('git missing from PATH: files still scanned, history said to be skipped, exit 2', async () => {
    const repo = new TempRepo();
    try {
      repo.commit('one', { 'a.env': `T=${fake.githubPat()}\n` });
      const r = await runJson(['scan', repo.dir], { env: { PATH: '/nonexistent' } });
      expect(r.code).toBe(2);
      expect(r.report.findings.some((f) => f.location.path === 'a.env')).toBe(true);
      expect(gateLine(r.stderr)).toContain('install git');
      const noHistory = await runJson(['scan', '--no-history', repo.dir], { env: { PATH: '/nonexistent' } });
      expect(noHistory.code).toBe(1);
    } finally {
      repo.remove();
    }
  });

  it('git refusing the repository (dubious ownership): exit 2 naming safe.directory', async () => {
    const repo = new TempRepo();
    try {
      repo.commit('one', { 'a.env': `T=${fake.githubPat()}\n` });
      const r = await runJson(['scan', repo.dir], { env: { GIT_TEST_ASSUME_DIFFERENT_OWNER: '1' } });
      expect(r.code).toBe(2);
      expect(gateLine(r.stderr)).toContain('git config --global --add safe.directory');
    } finally {
      repo.remove();
    }
  });
});

describe('trust: what a PATH is', () => {
  it('a bare repository is scanned as a repository (its history)', async () => {
    const repo = new TempRepo();
    const bare = new TempRepo({ init: false });
    try {
      repo.commit('one', { 'a.env': `T=${fake.githubPat()}\n`, 'b/c.env': `S=${fake.stripeLive()}\n` });
      execFileSync('git', ['clone', '-q', '--bare', repo.dir, join(bare.dir, 'r.git')]);
      const r = await runJson(['scan', join(bare.dir, 'r.git')]);
      expect(r.code).toBe(1);
      expect(r.report.targets[0].status).toBe('ok');
      expect(r.report.findings.map((f) => f.location.path).sort()).toEqual(['a.env', 'b/c.env']);
      expect(r.report.findings.every((f) => f.source === 'git-history')).toBe(true);
    } finally {
      repo.remove();
      bare.remove();
    }
  });

  it('a folder inside a repository: its files and the history of the paths under it, relative to it', async () => {
    const repo = new TempRepo();
    try {
      repo.commit('one', { 'sub/old.env': `T=${fake.githubPat()}\n`, 'other/x.env': `T=${fake.githubPat()}\n` });
      repo.git('rm', '-q', 'sub/old.env');
      repo.commit('two', { 'sub/now.env': `S=${fake.stripeLive()}\n` });
      const r = await runJson(['scan', join(repo.dir, 'sub')]);
      expect(r.code).toBe(1);
      const paths = r.report.findings.flatMap((f) => f.occurrences.map((o) => `${o.source}:${o.path}`)).sort();
      expect(paths).toEqual(['file:now.env', 'git-history:now.env', 'git-history:old.env']);
    } finally {
      repo.remove();
    }
  });

  it('/proc and special files are skipped with a warning, not counted as scanned', async () => {
    const dir = new TempRepo({ init: false });
    try {
      const proc = await runJson(['scan', '/proc/self/status']);
      expect(proc.code).toBe(2);
      expect(proc.report.targets[0].stats.files ?? 0).toBe(0);
      expect(proc.report.targets[0].error).toContain('pseudo file system');
      mkdirSync(join(dir.dir, 'd'));
      execFileSync('mkfifo', [join(dir.dir, 'd', 'pipe')]);
      writeFileSync(join(dir.dir, 'd', 'a.txt'), 'x\n');
      const walked = await runJson(['scan', join(dir.dir, 'd')]);
      expect(walked.code).toBe(0);
      expect(walked.report.targets[0].warnings!.join('\n')).toContain('pipe: not a regular file');
      const fifo = await runJson(['scan', join(dir.dir, 'd', 'pipe')]);
      expect(fifo.code).toBe(2);
    } finally {
      dir.remove();
    }
  });
});

describe('trust: option values that would read nothing are usage errors', () => {
  const cases: Array<[string, string[], RegExp]> = [
    ['--max-file-size 0', ['scan', '--max-file-size', '0', '.'], /--max-file-size/],
    ["--fail-on-score ' '", ['scan', '--fail-on-score', ' ', '.'], /--fail-on-score/],
    ['--threads 0', ['scan', '--threads', '0', '.'], /--threads/],
    ['-o into a missing directory', ['scan', '-o', '/nonexistent-dir/r.json', '.'], /does not exist/],
    ['rules --kind foo', ['rules', '--kind', 'foo'], /kind/],
  ];
  for (const [name, args, msg] of cases) {
    it(`${name} exits 2 before any scan`, async () => {
      const dir = new TempRepo({ init: false });
      try {
        const t0 = Date.now();
        const r = await runCli(args, { cwd: dir.dir });
        expect(r.code).toBe(2);
        expect(r.stderr).toMatch(msg);
        expect(r.stdout).toBe('');
        expect(Date.now() - t0).toBeLessThan(20000);
      } finally {
        dir.remove();
      }
    });
  }
});

describe('trust: a detection worker that dies loses nothing', () => {
  it('the worker is restarted, the next files are still scanned, the killer file is reported and the target is partial', async () => {
    const dir = new TempRepo({ init: false });
    try {
      for (let i = 0; i < 40; i++) dir.write(`f${String(i).padStart(2, '0')}.txt`, `filler ${i}\n`);
      dir.write('boom.txt', 'x\n');
      dir.write('zz-next.env', `T=${fake.githubPat()}\n`);
      const r = await runJson(['scan', '--threads', '2', dir.dir], { env: { NHI_AUDIT_TEST_WORKER_CRASH: '/boom.txt' } });
      expect(r.code).toBe(2);
      expect(r.report.findings.some((f) => f.location.path === 'zz-next.env')).toBe(true);
      expect(r.report.targets[0].stats.files).toBe(41);
      expect(r.report.targets[0].warnings!.join('\n')).toMatch(/boom\.txt: cannot read \(EWORKER\)/);
    } finally {
      dir.remove();
    }
  });
});

describe('trust: a detection worker that dies on a history blob loses nothing', () => {
  it('blobs that shared its batches (and their shared memory) are sent again intact; the killer blob is reported', async () => {
    const repo = new TempRepo();
    try {
      // Many small blobs share memory slabs with the one that kills its worker: the others must be
      // re-sent with their bytes intact even as new blobs are read into reused slabs.
      const files: Record<string, string> = {};
      const tokens: string[] = [];
      for (let i = 0; i < 300; i++) {
        const t = fake.githubPat();
        tokens.push(t);
        files[`d${i % 7}/c${String(i).padStart(3, '0')}.env`] = `T=${t}\n${'filler line\n'.repeat(800)}`;
      }
      files['boom.txt'] = 'x\n';
      repo.commit('many', files);
      repo.git('rm', '-rq', '.');
      repo.commit('gone'); // history only: every file is read as a blob
      const r = await runJson(['scan', '--threads', '2', repo.dir, '--show-secrets'], { env: { NHI_AUDIT_TEST_WORKER_CRASH: 'boom.txt' } });
      expect(r.code).toBe(2);
      const shown = JSON.stringify(r.report.findings);
      expect(tokens.filter((t) => !shown.includes(t))).toEqual([]);
      expect(r.report.targets[0].stats.blobs).toBe(300);
      expect(r.report.targets[0].warnings!.join('\n')).toMatch(/boom\.txt \(blob [0-9a-f]{12}\): cannot read \(EWORKER\)/);
    } finally {
      repo.remove();
    }
  });
});

describe('trust: file names as they are on disk', () => {
  it('names with a newline or a tab are reported unquoted, in the working tree and in history', async () => {
    const repo = new TempRepo();
    try {
      repo.commit('odd names', { 'a\nb.env': `T=${fake.githubPat()}\n`, 'c\td.env': `T=${fake.githubPat()}\n` });
      repo.git('mv', 'a\nb.env', 'moved.env');
      repo.commit('move');
      const r = await runJson(['scan', repo.dir]);
      const paths = r.report.findings.flatMap((f) => f.occurrences.map((o) => o.path));
      expect(paths).toContain('a\nb.env'); // history, under its name in the commit that added it
      expect(paths).toContain('c\td.env');
      expect(paths.some((p) => p.startsWith('"'))).toBe(false);
    } finally {
      repo.remove();
    }
  });
});
