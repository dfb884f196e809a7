import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import YAML from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { secretFingerprint } from '../src/model/fingerprint.js';
import type { Report } from '../src/model/report.js';
import { BIN } from './helpers/cli.js';
import { customRulesYaml, customToken } from './helpers/gate-config.js';
import { TempRepo } from './helpers/git-repo.js';
import { expectGithubReadySarif } from './helpers/sarif.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

interface ActionYml {
  inputs: Record<string, { default?: string; description: string }>;
  outputs: Record<string, { value: string }>;
  runs: { using: string; steps: Array<{ id?: string; name: string; uses?: string; run?: string; shell?: string; env?: Record<string, string>; 'working-directory'?: string; with?: Record<string, unknown> }> };
}

const action = YAML.parse(readFileSync(join(ROOT, 'action.yml'), 'utf8')) as ActionYml;

interface StepRun {
  code: number;
  stdout: string;
  summary: string;
  outputs: Record<string, string>;
}

/**
 * Run the action's scan step the way the runner would: expressions in its env and
 * working-directory substituted from the inputs (defaults from action.yml) and the github
 * context, the `run` script executed by bash with GITHUB_* pointing at temp files.
 */
function runScanStep(workspace: string, inputs: Record<string, string>, github: Record<string, string> = {}): Promise<StepRun> {
  const step = action.runs.steps.find((s) => s.id === 'scan')!;
  const values: Record<string, string> = Object.fromEntries(Object.entries(action.inputs).map(([k, v]) => [k, v.default ?? '']));
  Object.assign(values, inputs);
  const ctx: Record<string, string> = { 'github.workspace': workspace, 'github.action_path': ROOT };
  const expr = (s: string) =>
    s.replace(/\$\{\{\s*([^}]+?)\s*\}\}/g, (_, e: string) => {
      if (e.startsWith('inputs.')) return values[e.slice(7)] ?? '';
      if (e in ctx) return ctx[e];
      throw new Error(`unsupported expression in action.yml: ${e}`);
    });
  const files = mkdtempSync(join(tmpdir(), 'nhi-audit-runner-'));
  const summaryFile = join(files, 'summary.md');
  const outputFile = join(files, 'output.txt');
  writeFileSync(summaryFile, '');
  writeFileSync(outputFile, '');
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...Object.fromEntries(Object.entries(step.env ?? {}).map(([k, v]) => [k, expr(String(v))])),
    GITHUB_ACTIONS: 'true',
    GITHUB_WORKSPACE: workspace,
    GITHUB_ACTION_PATH: ROOT,
    GITHUB_STEP_SUMMARY: summaryFile,
    GITHUB_OUTPUT: outputFile,
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_REPOSITORY: 'acme/api',
    GITHUB_SHA: 'f'.repeat(40),
    GITHUB_EVENT_NAME: 'push',
    NO_COLOR: '1',
    ...github,
  };
  delete env.FORCE_COLOR;
  return new Promise((resolve, reject) => {
    const p = spawn(step.shell ?? 'bash', ['-e', '-c', step.run!], { cwd: expr(step['working-directory'] ?? workspace), env });
    let stdout = '';
    p.stdout.on('data', (d) => (stdout += d));
    p.stderr.on('data', () => {});
    p.on('error', reject);
    p.on('close', (code) => {
      const outputs = Object.fromEntries(
        readFileSync(outputFile, 'utf8')
          .split('\n')
          .filter(Boolean)
          .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
      );
      const summary = readFileSync(summaryFile, 'utf8');
      rmSync(files, { recursive: true, force: true });
      resolve({ code: code ?? -1, stdout, summary, outputs });
    });
  });
}

describe('action.yml', () => {
  it('is a composite action: setup-node, npm ci in the action directory, then the scan script', () => {
    expect(action.runs.using).toBe('composite');
    const [setup, install, scan] = action.runs.steps;
    expect(setup.uses).toMatch(/^actions\/setup-node@v\d+$/);
    expect(install).toMatchObject({ 'working-directory': '${{ github.action_path }}', run: expect.stringContaining('npm ci') });
    expect(scan.run).toContain('dist/action/run.js');
    for (const i of ['format', 'fail-on', 'baseline', 'config', 'since', 'sarif-file']) expect(action.inputs).toHaveProperty(i);
    // Every input reaches the script (through the environment, never pasted into the script text).
    for (const i of Object.keys(action.inputs)) expect(Object.values(scan.env ?? {})).toContain(`\${{ inputs.${i} }}`);
    expect(scan.run).not.toContain('${{');
    for (const o of Object.values(action.outputs)) expect(o.value).toMatch(/^\$\{\{ steps\.scan\.outputs\.[a-z-]+ \}\}$/);
  });
});

describe('the action\'s scan step against a temporary repository', { timeout: 90_000 }, () => {
  const origin = new TempRepo({ init: false });
  const work = mkdtempSync(join(tmpdir(), 'nhi-audit-ws-'));
  const ws = join(work, 'repo');
  const onMain = customToken('critical');
  const added = customToken('high');
  const git = (...args: string[]) => {
    const r = spawnSync('git', ['-c', 'user.name=CI', '-c', 'user.email=ci@users.invalid', '-c', 'commit.gpgsign=false', ...args], { cwd: ws, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(r.stderr);
    return r.stdout.trim();
  };

  beforeAll(() => {
    // A remote with main, cloned as actions/checkout (fetch-depth: 0) would, then a PR branch.
    spawnSync('git', ['init', '-q', '--bare', '-b', 'main', origin.dir]);
    spawnSync('git', ['clone', '-q', origin.dir, ws]);
    writeFileSync(join(ws, '.nhi-audit.yaml'), customRulesYaml());
    writeFileSync(join(ws, 'app.py'), `KEY = "${onMain}"\n`);
    git('add', '-A');
    git('commit', '-q', '-m', 'main');
    git('push', '-q', 'origin', 'main');
    git('checkout', '-q', '-b', 'feature');
    writeFileSync(join(ws, 'client.py'), `\n\nTOKEN = "${added}"\n`);
    git('add', '-A');
    git('commit', '-q', '-m', 'feature');
  });
  afterAll(() => {
    origin.remove();
    rmSync(work, { recursive: true, force: true });
  });

  it('push: full scan, SARIF for upload-sarif, job summary, ::error annotations, gate exit code, outputs', async () => {
    const r = await runScanStep(ws, {});
    expect(r.code).toBe(1);
    const sarif = expectGithubReadySarif(readFileSync(join(ws, 'nhi-audit.sarif'), 'utf8'));
    expect(sarif.runs[0].results.map((x) => x.locations[0].physicalLocation.artifactLocation.uri).sort()).toEqual(['app.py', 'client.py']);
    expect(r.summary).toMatch(/^### 🔐 nhi-audit: 2 findings \(1 critical, 1 high\)/);
    expect(r.summary).toContain('](https://github.com/acme/api/blob/');
    expect(r.stdout).toMatch(/^::error file=client\.py,line=3,col=\d+,title=nhi-audit high%3A ACME high token \[acme-high-token\]::/m);
    expect(r.stdout).toMatch(/^::error file=app\.py,line=1,/m);
    expect(r.outputs).toEqual({ 'exit-code': '1', 'sarif-file': 'nhi-audit.sarif', 'report-file': 'nhi-audit.sarif', findings: '2' });
    for (const out of [r.stdout, r.summary, readFileSync(join(ws, 'nhi-audit.sarif'), 'utf8')]) {
      expect(out).not.toContain(onMain);
      expect(out).not.toContain(added);
    }
  });

  it('pull_request: only the PR\'s commits (fetching the base when missing), a JSON report, fail-on input', async () => {
    git('update-ref', '-d', 'refs/remotes/origin/main'); // as after a checkout without the base branch
    const r = await runScanStep(ws, { format: 'json', output: 'nhi-audit.json', 'fail-on': 'critical' }, { GITHUB_EVENT_NAME: 'pull_request', GITHUB_BASE_REF: 'main' });
    expect(r.stdout).toContain('--since origin/main');
    expect(r.code).toBe(0); // the PR adds a high finding; the gate is critical
    const report = JSON.parse(readFileSync(join(ws, 'nhi-audit.json'), 'utf8')) as Report;
    expect(report.findings.map((f) => f.secret?.fingerprint)).toEqual([secretFingerprint(added)]);
    expect(r.stdout).toMatch(/^::error file=client\.py,line=3,/m); // still annotated
    expect(r.outputs['exit-code']).toBe('0');
    expect(existsSync(join(ws, 'nhi-audit.sarif'))).toBe(true);
  });

  it('baseline input: accepted findings are not reported', async () => {
    const b = spawnSync(process.execPath, [BIN, 'baseline', 'create', '--threads', '1', '-o', '.nhi-audit-baseline.json', '.'], { cwd: ws, encoding: 'utf8' });
    expect(b.status, b.stderr).toBe(0);
    const r = await runScanStep(ws, { baseline: '.nhi-audit-baseline.json' });
    expect(r.code).toBe(0);
    expect(r.outputs.findings).toBe('0');
    expect(r.summary).toMatch(/^### ✅ nhi-audit: no findings/);
  });

  it('a bad config input fails with exit 2 and an error annotation', async () => {
    writeFileSync(join(ws, 'broken.yaml'), 'fail-on: sometimes\n');
    const r = await runScanStep(ws, { config: 'broken.yaml' });
    expect(r.code).toBe(2);
    expect(r.outputs['exit-code']).toBe('2');
    expect(r.stdout).toContain('::error title=nhi-audit::the scan did not run');
  });
});

describe('.pre-commit-hooks.yaml', { timeout: 60_000 }, () => {
  const hooks = YAML.parse(readFileSync(join(ROOT, '.pre-commit-hooks.yaml'), 'utf8')) as Array<Record<string, unknown>>;
  const repo = new TempRepo();
  afterAll(() => repo.remove());

  it('declares a node hook running `nhi-audit scan --staged` on the whole index', () => {
    expect(hooks).toHaveLength(1);
    expect(hooks[0]).toMatchObject({ id: 'nhi-audit', language: 'node', entry: 'nhi-audit scan --staged', pass_filenames: false });
  });

  it('as a git pre-commit hook, blocks a commit that stages a secret and lets a clean one through', () => {
    // The entry, with `nhi-audit` resolved to the built CLI (what pre-commit's node env provides).
    const entry = String(hooks[0].entry).replace(/^nhi-audit\b/, `"${process.execPath}" "${BIN}"`);
    const hook = join(repo.dir, '.git', 'hooks', 'pre-commit');
    writeFileSync(hook, `#!/bin/sh\nexec ${entry} --threads 1\n`);
    chmodSync(hook, 0o755);
    repo.write('.nhi-audit.yaml', customRulesYaml(['high']));
    repo.write('README.md', '# ok\n');
    repo.git('add', '-A');
    const commit = (msg: string) => spawnSync('git', ['-c', 'user.name=T', '-c', 'user.email=t@users.invalid', 'commit', '-q', '-m', msg], { cwd: repo.dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    const clean = commit('clean');
    expect(clean.status, clean.stderr).toBe(0);
    const secret = customToken('high');
    repo.write('deploy.sh', `export ACME=${secret}\n`);
    repo.git('add', 'deploy.sh');
    const r = commit('leak');
    expect(r.status).not.toBe(0);
    expect(r.stdout + r.stderr).toContain('deploy.sh:1');
    expect(r.stdout + r.stderr).not.toContain(secret);
    expect(repo.git('log', '--oneline').trim().split('\n')).toHaveLength(1);
  });
});
