import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../src/model/report.js';
import { liveViewWanted, Progress, summaryLine, targetLine } from '../src/progress/progress.js';
import { BIN, runCli } from './helpers/cli.js';
import { TempRepo } from './helpers/git-repo.js';
import { HAVE_TMUX, Tmux } from './helpers/tmux.js';
import { fake } from './helpers/tokens.js';

describe('live view: when it may draw', () => {
  const tty = { isTTY: true, columns: 120, rows: 40 };
  it('draws on a sized terminal only', () => {
    expect(liveViewWanted(tty, {}, false)).toBe(true);
    expect(liveViewWanted({ ...tty, isTTY: false }, {}, false)).toBe(false);
    expect(liveViewWanted(tty, {}, true)).toBe(false);
    expect(liveViewWanted(tty, { TERM: 'dumb' }, false)).toBe(false);
    expect(liveViewWanted(tty, { CI: 'true' }, false)).toBe(false);
    expect(liveViewWanted(tty, { CI: '0' }, false)).toBe(true);
  });
  it('a terminal with no size gets no live view (ink would clear the screen and scrollback on every frame)', () => {
    expect(liveViewWanted({ isTTY: true, columns: 0, rows: 0 }, {}, false)).toBe(false);
    expect(liveViewWanted({ isTTY: true }, {}, false)).toBe(false);
  });
});

describe('live view: counters and lines', () => {
  it('counts a finding once however many places it is seen in, per target', () => {
    let t = 0;
    const p = new Progress(() => t);
    p.update({ target: 'repo-a', phase: 'working tree' });
    p.update({ files: 3, bytes: 2 * 1048576, finding: 'f1' });
    p.update({ blobs: 2, finding: 'f1' });
    p.update({ finding: 'f2' });
    t = 2000;
    p.update({ target: 'org/acme', reposTotal: 8 });
    p.update({ repos: 3 });
    expect(p.findings).toBe(2);
    const [a, b] = p.targets();
    expect(targetLine(a, t)).toBe('repo-a · done · 3 files · 2 blobs · 2.0 MB · 1.0 MB/s · 2 findings so far · 2.0 s');
    expect(targetLine(b, t)).toContain('repositories 3/8');
    p.end();
    expect(summaryLine(p, 2)).toBe('nhi-audit: read 3 files, 2 blobs (2.0 MB, 1.0 MB/s) from 2 targets in 2.0 s: 2 findings');
  });
});

describe('live view: no escape codes when stderr is not a terminal', () => {
  let repo: TempRepo;
  beforeAll(() => {
    repo = new TempRepo();
    repo.commit('add', { 'app/config.env': `GITHUB_TOKEN=${fake.githubPat()}\n` });
  });
  afterAll(() => repo.remove());
  for (const env of [{ CI: undefined }, { CI: undefined, TERM: 'dumb' }, { CI: 'true' }]) {
    it(`piped stderr (${JSON.stringify(env)})`, async () => {
      const r = await runCli(['scan', repo.dir, '-f', 'json'], { env: { ...env, NO_COLOR: undefined } });
      expect(r.code).toBe(1);
      expect(r.stderr).not.toMatch(/\u001b/);
      expect(r.stdout).not.toMatch(/\u001b/);
    });
  }
});

describe.skipIf(!HAVE_TMUX)('live view in a real terminal (tmux 120x40)', () => {
  let dir: string;
  let repo: TempRepo;
  let tmux: Tmux;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'nhi-live-'));
    repo = new TempRepo();
    // a history secret (deleted since), a current one, and ~40 MB of ordinary text so the scan lasts a few seconds
    repo.commit('old config', { 'deploy/old.env': `STRIPE_KEY=${fake.stripeLive()}\n` });
    repo.git('rm', '-q', 'deploy/old.env');
    repo.commit('remove old config');
    const filler = `${'const value = computeSomething(input, options); // ordinary code line\n'.repeat(400)}`;
    for (let d = 0; d < 20; d++) {
      mkdirSync(join(repo.dir, 'src', `m${d}`), { recursive: true });
      for (let f = 0; f < 50; f++) writeFileSync(join(repo.dir, 'src', `m${d}`, `f${f}.ts`), filler.repeat(1 + ((d * 50 + f) % 3)));
    }
    writeFileSync(join(repo.dir, 'app.env'), `SLACK_TOKEN=${fake.slackBot()}\nGH=${fake.githubPat()}\n`);
    tmux = new Tmux(120, 40);
  });
  afterAll(() => {
    tmux?.kill();
    repo?.remove();
    rmSync(dir, { recursive: true, force: true });
  });

  it('shows per-target progress while scanning, then one summary line that stays, and keeps the scrollback', async () => {
    const out = join(dir, 'report.json');
    tmux.run('echo MARKER-BEFORE-SCAN');
    await tmux.waitFor((s) => s.includes('MARKER-BEFORE-SCAN\n'));
    tmux.run(`node ${BIN} scan ${repo.dir} ${process.cwd()}/src -f json -o ${out} --threads 1; echo EXIT-CODE=$?`);
    const { screen, seen } = await tmux.waitFor((s) => /EXIT-CODE=\d/.test(s), 90000, 50);
    // during: a live row per target with files, MB/s, findings so far and elapsed time
    const live = seen.filter((s) => /› .*\d[\d,]* files · .* MB\/s · \d+ findings? so far · \d+\.\d s/.test(s));
    expect(live.length, seen.join('\n=====\n')).toBeGreaterThan(0);
    expect(seen.some((s) => /total \d+\.\d s · .* MB\/s/.test(s))).toBe(true);
    // after: the summary line with the report's own count, and nothing else left of the live view
    const report = JSON.parse(readFileSync(out, 'utf8')) as Report;
    expect(report.summary.total).toBeGreaterThanOrEqual(2);
    const summary = screen.split('\n').find((l) => l.startsWith('nhi-audit: read '));
    expect(summary, screen).toMatch(new RegExp(`^nhi-audit: read [\\d,]+ files, [\\d,]+ blobs? \\(.* MB, .* MB/s\\) from 2 targets in \\d+\\.\\d s: ${report.summary.total} findings$`));
    expect(screen).not.toMatch(/› |so far/);
    expect(screen).toMatch(/EXIT-CODE=1/);
    // never clears the scrollback
    expect(tmux.history()).toContain('MARKER-BEFORE-SCAN');
  });

  it('TERM=dumb: no live view in the same terminal', async () => {
    tmux.run('clear');
    tmux.run(`TERM=dumb node ${BIN} scan ${repo.dir} --no-history -f json -o ${join(dir, 'r2.json')}; echo EXIT-DUMB=$?`);
    const { seen } = await tmux.waitFor((s) => /EXIT-DUMB=\d/.test(s), 60000, 50);
    expect(seen.some((s) => /so far|nhi-audit: read /.test(s))).toBe(false);
  });
});
