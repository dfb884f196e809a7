import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { TempRepo } from './helpers/git-repo.js';
import { fake } from './helpers/tokens.js';

// The README's CI examples install nhi-audit from a commit of its repository or from a `npm pack`
// tarball (it is not on the npm registry). These run those commands as written, with the repository's
// URL replaced by this checkout, and then scan with the installed binary.

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../', import.meta.url));
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');
const tmp: string[] = [];
afterAll(() => tmp.forEach((d) => rmSync(d, { recursive: true, force: true })), 120_000);

/** npm's own settings reach child processes as npm_* variables (`npm test`): don't let them steer these installs. */
function cleanEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^npm_/i.test(k)) env[k] = v;
  return { ...env, NO_COLOR: '1' };
}

const npm = (args: string[], cwd: string) => run('npm', [...args, '--prefer-offline', '--no-audit', '--no-fund'], { cwd, env: cleanEnv(), maxBuffer: 64 << 20, timeout: 600_000 });

/** The installed binary finds a committed token and gates on it. */
async function expectWorkingBinary(bin: string): Promise<void> {
  const repo = new TempRepo();
  tmp.push(repo.dir);
  repo.commit('add config', { 'deploy.env': `GITHUB_TOKEN=${fake.githubPat()}\n` });
  const version = await run(bin, ['--version'], { env: cleanEnv() });
  expect(version.stdout.trim()).toBe(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version);
  const scan = await run(bin, ['scan', repo.dir, '-f', 'json'], { env: cleanEnv() }).then(
    () => ({ code: 0, stdout: '' }),
    (e: { code: number; stdout: string }) => e,
  );
  expect(scan.code).toBe(1);
  const report = JSON.parse(scan.stdout);
  expect(report.findings.map((f: { ruleId: string }) => f.ruleId)).toContain('github-classic-pat');
}

describe('installing as the README shows', () => {
  it('from a `npm pack` tarball (npm install -g ./nhi-audit-<version>.tgz)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nhi-audit-pack-'));
    tmp.push(dir);
    expect(README).toMatch(/npm install -g \.\/vendor\/nhi-audit-[\d.]+\.tgz/);
    // `npm test` has just built dist/; the tarball carries it, as `npm pack` in a checkout does.
    await npm(['pack', '--ignore-scripts', '--pack-destination', dir, ROOT], ROOT);
    const tgz = readdirSync(dir).find((f) => f.endsWith('.tgz'));
    expect(tgz).toBeDefined();
    await npm(['install', '-g', '--prefix', join(dir, 'global'), join(dir, tgz!)], dir);
    await expectWorkingBinary(join(dir, 'global', 'bin', 'nhi-audit'));
  }, 600_000);

  it.skipIf(!existsSync(join(ROOT, '.git')))('from a commit of the repository (the "Using nhi-audit in CI" install step)', async () => {
    const m = /npm install --prefix "\$RUNNER_TEMP\/nhi-audit" "git\+https:\/\/github\.com\/nhi-audit\/nhi-audit\.git#main"/.exec(README);
    expect(m, 'the README install step').not.toBeNull();
    const runnerTemp = mkdtempSync(join(tmpdir(), 'nhi-audit-git-'));
    tmp.push(runnerTemp);
    // The same command, with this checkout's committed HEAD for the GitHub URL and `main`.
    const head = (await run('git', ['rev-parse', 'HEAD'], { cwd: ROOT })).stdout.trim();
    await npm(['install', '--prefix', join(runnerTemp, 'nhi-audit'), `git+${pathToFileURL(ROOT).href.replace(/\/$/, '')}#${head}`], runnerTemp);
    await expectWorkingBinary(join(runnerTemp, 'nhi-audit', 'node_modules', '.bin', 'nhi-audit'));
  }, 600_000);
});
