import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.js';
import { TempRepo } from './helpers/git-repo.js';
import { fake } from './helpers/tokens.js';

/** The presentation options through the built CLI: --verbose, --compact, --summary-only, and mcp --discover finding nothing. */
describe('presentation options (built CLI)', { timeout: 120_000 }, () => {
  const repo = new TempRepo();
  const token = fake.githubPat();
  beforeAll(() => {
    repo.commit('leak', { 'old/config.yml': `token: ${token}\n` });
    repo.git('rm', '-q', 'old/config.yml');
    repo.commit('move', { 'app/settings.py': `TOKEN = "${token}"\n`, 'app/other.py': `T = "${token}"\n` });
  });
  afterAll(() => repo.remove());

  it('default: one block, the current file first, "+N other places", no value', async () => {
    const r = await runCli(['scan', '.', '--threads', '1'], { cwd: repo.dir });
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout).toMatch(/^ {7}app\/other\.py:1 {2}secret ghp_…\w{4} {2}\+2 other places$/m);
    expect(r.stdout).toMatch(/^1 finding in 3 places: 1 critical$/m);
    expect(r.stdout).not.toContain(token);
  });
  it('-v: every place with its source and the full remediation', async () => {
    const r = await runCli(['scan', '.', '--threads', '1', '-v'], { cwd: repo.dir });
    expect(r.stdout).toContain('3 places:');
    expect(r.stdout).toMatch(/- old\/config\.yml:1 @ [0-9a-f]{10} \(\d{4}-\d\d-\d\d\) \[git-history\]/);
  });
  it('--compact and --format compact: one line per finding', async () => {
    for (const args of [['--compact'], ['-f', 'compact']]) {
      const r = await runCli(['scan', '.', '--threads', '1', ...args], { cwd: repo.dir });
      const lines = r.stdout.trimEnd().split('\n');
      expect(lines).toHaveLength(2);
      expect(lines[0]).toMatch(/^CRIT {2}\d+\.\d {2}app\/other\.py:1 {2}github-classic-pat {2}ghp_…\w{4} {2}\+2 places {2}/);
    }
  });
  it('--summary-only: the per-rule table', async () => {
    const r = await runCli(['scan', '.', '--threads', '1', '--summary-only'], { cwd: repo.dir });
    expect(r.stdout).toMatch(/^ CRIT {2}github-classic-pat +1 +3 +\d+\.\d {2}GitHub personal access token/m);
    expect(r.stdout).not.toContain('fix:');
  });
});

describe('mcp --discover that finds nothing says where it looked (built CLI)', { timeout: 60_000 }, () => {
  let home: string;
  beforeAll(() => {
    home = mkdtempSync(join(tmpdir(), 'nhi-home-'));
  });
  afterAll(() => rmSync(home, { recursive: true, force: true }));
  it('pretty and json', async () => {
    const env = { HOME: home, XDG_CONFIG_HOME: undefined, APPDATA: undefined, CODEX_HOME: undefined };
    const r = await runCli(['mcp', '--discover'], { cwd: home, env });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('mcp-discovery MCP client configs: 0 configs found');
    expect(r.stdout).toContain(`nothing found; looked in:\n        `);
    expect(r.stdout).toContain(join(home, '.cursor', 'mcp.json'));
    const j = await runCli(['mcp', '--discover', '-f', 'json'], { cwd: home, env });
    const report = JSON.parse(j.stdout);
    expect(report.targets[0]).toMatchObject({ kind: 'mcp-discovery', status: 'ok', stats: { configsFound: 0 } });
    expect(report.targets[0].looked).toContain(join(home, '.claude.json'));
  });
});
