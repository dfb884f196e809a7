import { spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { resolveConfig } from '../config/load.js';
import type { Report } from '../model/report.js';
import type { RuleMeta } from '../model/rule.js';
import { escapeData } from '../report/github.js';
import { RENDERERS } from '../report/index.js';
import type { SarifRenderOptions } from '../report/sarif.js';

/**
 * The GitHub Action's one step (action.yml runs `node dist/action/run.js`): scan the checked-out
 * repository once into a JSON report, then write SARIF for github/codeql-action/upload-sarif, the
 * report format asked for, a Markdown job summary and `::error file=…` annotations, and exit with
 * the gate's code. Inputs arrive as NHI_AUDIT_* environment variables (action.yml maps them), so
 * a test can run this script against a temporary repository with GITHUB_* variables.
 */

const BIN = fileURLToPath(new URL('../../bin/nhi-audit.js', import.meta.url));
const EXT: Record<string, string> = { sarif: 'sarif', json: 'json', markdown: 'md', github: 'txt', pretty: 'txt' };

interface Inputs {
  paths: string[];
  format: string;
  output: string;
  sarifFile: string;
  failOn?: string;
  failOnScore?: string;
  baseline?: string;
  config?: string;
  since: string;
  history: boolean;
  summary: boolean;
  annotations: boolean;
  args: string[];
}

function input(name: string, fallback = ''): string {
  const v = process.env[`NHI_AUDIT_${name.toUpperCase().replace(/-/g, '_')}`];
  return v === undefined || v.trim() === '' ? fallback : v.trim();
}

function bool(name: string, fallback: boolean): boolean {
  const v = input(name, String(fallback)).toLowerCase();
  return v === 'true' || v === '1' || v === 'yes';
}

function words(s: string): string[] {
  return s.split(/\s+/).filter(Boolean);
}

export function readInputs(): Inputs {
  const format = input('format', 'sarif');
  if (!(format in RENDERERS)) throw new Error(`input format must be one of ${Object.keys(RENDERERS).join(', ')}, got '${format}'`);
  const sarifFile = input('sarif-file', 'nhi-audit.sarif');
  return {
    paths: words(input('path', '.')),
    format,
    output: input('output', format === 'sarif' ? sarifFile : `nhi-audit.${EXT[format]}`),
    sarifFile,
    failOn: input('fail-on') || undefined,
    failOnScore: input('fail-on-score') || undefined,
    baseline: input('baseline') || undefined,
    config: input('config') || undefined,
    since: input('since', 'auto'),
    history: bool('history', true),
    summary: bool('summary', true),
    annotations: bool('annotations', true),
    args: words(input('args')),
  };
}

function git(cwd: string, args: string[]): { ok: boolean; out: string } {
  const r = spawnSync('git', args, { cwd, encoding: 'utf8' });
  return { ok: r.status === 0, out: (r.stdout ?? '').trim() };
}

/**
 * PR mode: on pull_request events with since=auto, scan only what the PR's commits add over the
 * base branch. The base is fetched when the checkout lacks it; without it the scan is a full one.
 */
export function resolveSince(since: string, cwd: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (since === 'none' || since === 'false') return undefined;
  if (since !== 'auto') return since;
  const pr = env.GITHUB_EVENT_NAME === 'pull_request' || env.GITHUB_EVENT_NAME === 'pull_request_target';
  const base = env.GITHUB_BASE_REF;
  if (!pr || !base) return undefined;
  const ref = `origin/${base}`;
  const has = () => git(cwd, ['rev-parse', '--verify', '-q', `${ref}^{commit}`]).ok;
  if (!has()) git(cwd, ['fetch', '--no-tags', '--quiet', 'origin', `+refs/heads/${base}:refs/remotes/origin/${base}`]);
  if (has()) return ref;
  process.stdout.write(`::warning title=nhi-audit::cannot find ${ref} (use actions/checkout with fetch-depth: 0); scanning the whole history instead\n`);
  return undefined;
}

function scanArgs(i: Inputs, since: string | undefined, reportFile: string): string[] {
  const a = ['scan', ...i.paths, '-f', 'json', '-o', reportFile];
  if (i.failOn) a.push('--fail-on', i.failOn);
  if (i.failOnScore) a.push('--fail-on-score', i.failOnScore);
  if (i.baseline) a.push('--baseline', i.baseline);
  if (i.config) a.push('--config', i.config);
  if (since) a.push('--since', since);
  if (!i.history) a.push('--no-history');
  return [...a, ...i.args];
}

function customRules(i: Inputs, cwd: string): RuleMeta[] {
  try {
    return resolveConfig({ config: i.config, roots: i.paths, cwd }).customRules;
  } catch {
    return []; // the scan already reported the config problem
  }
}

function output(name: string, value: string | number): void {
  if (process.env.GITHUB_OUTPUT) appendFileSync(process.env.GITHUB_OUTPUT, `${name}=${value}\n`);
}

export function runAction(): number {
  const cwd = process.env.GITHUB_WORKSPACE || process.cwd();
  const i = readInputs();
  const since = resolveSince(i.since, cwd);
  const tmp = mkdtempSync(join(tmpdir(), 'nhi-audit-action-'));
  try {
    const reportFile = join(tmp, 'report.json');
    const args = scanArgs(i, since, reportFile);
    process.stdout.write(`nhi-audit ${args.join(' ')}\n`);
    const r = spawnSync(process.execPath, [BIN, ...args], { cwd, stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, CI: 'true' } });
    const code = r.status ?? 2;
    output('exit-code', code);
    if (!existsSync(reportFile)) {
      process.stdout.write('::error title=nhi-audit::the scan did not run (see the error above)\n');
      return code === 0 ? 2 : code;
    }
    const report = JSON.parse(readFileSync(reportFile, 'utf8')) as Report;
    const opts: SarifRenderOptions = { color: false, showSecrets: false, extraRules: customRules(i, cwd) };
    const sarifPath = resolve(cwd, i.sarifFile);
    writeFileSync(sarifPath, RENDERERS.sarif(report, opts));
    const outPath = resolve(cwd, i.output);
    if (outPath !== sarifPath || i.format !== 'sarif') writeFileSync(outPath, RENDERERS[i.format](report, opts));
    if (i.summary && process.env.GITHUB_STEP_SUMMARY) appendFileSync(process.env.GITHUB_STEP_SUMMARY, RENDERERS.markdown(report, opts));
    if (i.annotations) process.stdout.write(RENDERERS.github(report, opts));
    output('sarif-file', i.sarifFile);
    output('report-file', i.output);
    output('findings', report.findings.length);
    return code;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    process.exitCode = runAction();
  } catch (e) {
    process.stdout.write(`::error title=nhi-audit::${escapeData((e as Error).message)}\n`);
    process.exitCode = 2;
  }
}
