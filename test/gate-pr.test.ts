import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { secretFingerprint } from '../src/model/fingerprint.js';
import type { Report } from '../src/model/report.js';
import { runCli } from './helpers/cli.js';
import { customRulesYaml, customToken } from './helpers/gate-config.js';
import { TempRepo } from './helpers/git-repo.js';

/** PR mode: only what the branch's commits introduce is reported and gates the PR. */
describe('PR mode: --since / --commits (built CLI)', { timeout: 60_000 }, () => {
  const repo = new TempRepo();
  const onMain = customToken('critical'); // an old leak on main: not this PR's business
  const first = customToken('high');
  const second = customToken('medium');
  let c1 = '';
  let c2 = '';

  beforeAll(() => {
    repo.commit('main', { '.nhi-audit.yaml': customRulesYaml(), 'app.js': `const old = '${onMain}';\n` });
    // What the PR is compared with: the remote-tracking branch, as on a CI checkout.
    repo.git('update-ref', 'refs/remotes/origin/main', 'HEAD');
    repo.git('checkout', '-q', '-b', 'feature');
    c1 = repo.commit('feature 1', { 'src/client.js': `export const t = '${first}';\n` });
    c2 = repo.commit('feature 2', { 'docs/setup.md': `Use \`${second}\` for staging.\n` });
  });
  afterAll(() => repo.remove());

  async function scan(args: string[]): Promise<{ code: number; report: Report }> {
    const r = await runCli(['scan', '--threads', '1', '-f', 'json', ...args, '.'], { cwd: repo.dir });
    if (!r.stdout) throw new Error(`no report (exit ${r.code}): ${r.stderr}`);
    return { code: r.code, report: JSON.parse(r.stdout) as Report };
  }

  it('--since origin/main reports only the secrets the new commits add, attributed to them', async () => {
    const { code, report } = await scan(['--since', 'origin/main']);
    const fps = report.findings.map((f) => f.secret?.fingerprint);
    expect(fps.sort()).toEqual([secretFingerprint(first), secretFingerprint(second)].sort());
    expect(report.findings.find((f) => f.secret?.fingerprint === secretFingerprint(first))!.location).toMatchObject({ path: 'src/client.js', line: 1, commit: c1 });
    expect(report.findings.find((f) => f.secret?.fingerprint === secretFingerprint(second))!.location).toMatchObject({ path: 'docs/setup.md', commit: c2 });
    expect(code).toBe(1); // the high one fails the default gate; the old critical one does not count
  });

  it('--commits A..B limits to a range; the gate follows what is in it', async () => {
    const { code, report } = await scan(['--commits', `${c1}..${c2}`]);
    expect(report.findings.map((f) => f.secret?.fingerprint)).toEqual([secretFingerprint(second)]);
    expect(code).toBe(0); // medium is below the default high
  });

  it('a full scan still sees the old leak', async () => {
    const { report } = await scan([]);
    expect(report.findings.map((f) => f.secret?.fingerprint)).toContain(secretFingerprint(onMain));
  });

  it('an unknown base is a usage error, not an empty pass', async () => {
    const r = await runCli(['scan', '--since', 'origin/nope', '.'], { cwd: repo.dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("unknown revision 'origin/nope'");
  });
});
