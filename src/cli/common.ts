import { statSync, writeFileSync } from 'node:fs';
import { dirname, resolve as resolvePath } from 'node:path';
import { Option, type Command } from 'commander';
import { supportsColor } from 'chalk';
import { loadBaseline, useBaselineKey } from '../baseline/baseline.js';
import { resolveConfig, type NhiConfig } from '../config/load.js';
import { gateExitCode, unfinishedTargets } from '../gate/gate.js';
import type { Report } from '../model/report.js';
import type { RuleMeta } from '../model/rule.js';
import { isSeverity, SEVERITIES, type FailOn } from '../model/severity.js';
import { baselineFilter, configFilter, type FindingFilter } from '../pipeline/filters.js';
import { buildReport } from '../pipeline/report.js';
import type { RunResult } from '../pipeline/run.js';
import { FORMATS, RENDERERS } from '../report/index.js';
import type { SarifRenderOptions } from '../report/sarif.js';
import { error as logError, info, setQuiet, warn } from '../util/log.js';
import { UsageError } from './errors.js';

/** commander option parser for a repeatable option: each use appends to the list. */
export function repeatable(v: string, prev: string[] | undefined): string[] {
  return [...(prev ?? []), v];
}

/** Options every reporting command (scan, aws, mcp, merge …) shares. */
export interface OutputOptions {
  format: string;
  output?: string;
  /** Undefined when not given: the config file's fail-on applies, else high. */
  failOn?: string;
  failOnScore?: string;
  showSecrets?: boolean;
  quiet?: boolean;
  /** --config FILE, or false with --no-config. */
  config?: string | false;
  /** false with --no-repo-config. */
  repoConfig?: boolean;
  /** --baseline FILE: report and gate only findings not in it. */
  baseline?: string;
  /** --allow-partial: a partly read target does not by itself exit 2. */
  allowPartial?: boolean;
}

/** --config FILE / --no-config (reporting commands and `baseline create`). */
export function addConfigOptions(cmd: Command): Command {
  return cmd
    .option('--config <file>', 'configuration file (default: .nhi-audit.yaml in the current directory, or in the one directory scanned)')
    .option('--no-config', 'ignore .nhi-audit.yaml')
    .option('--no-repo-config', 'ignore the scanned repository\'s own .nhi-audit.yaml and .nhi-auditignore (CI: only --config FILE and flags apply)');
}

export function addOutputOptions(cmd: Command): Command {
  cmd
    .addOption(new Option('-f, --format <format>', 'report format').choices(FORMATS).default('pretty'))
    .option('-o, --output <file>', 'write the report to FILE instead of stdout')
    .addOption(new Option('--fail-on <severity>', 'exit 1 when a finding is at or above this severity (default: fail-on from the config file, else high)').choices([...SEVERITIES, 'none']))
    .option('--fail-on-score <n>', 'exit 1 when a finding scores at or above N (0-10)')
    .option('--baseline <file>', 'report and gate only findings not in this baseline (from `nhi-audit baseline create`)')
    .option('--allow-partial', 'exit 0/1 by the findings even when a target could only be partly read (default: such a run exits 2)', false)
    .option('--show-secrets', 'print secret values in reports (never do this in CI logs)', false)
    .option('-q, --quiet', 'no progress or warnings on stderr', false);
  return addConfigOptions(cmd);
}

/**
 * The configuration a command runs with (see resolveConfig). Commands that need settings before
 * they run — scan's excludes and rules, the aws checks' thresholds — call this, then pass the
 * result to finishRun so the file is read once:
 *   const cfg = configFor(o); … cfg.thresholds.maxKeyAgeDays … finishRun(run, o, cfg)
 */
export function configFor(opts: Pick<OutputOptions, 'config' | 'repoConfig'>, roots?: string[]): NhiConfig {
  return resolveConfig({ config: opts.config, roots, repoConfig: opts.repoConfig });
}

export type { RunResult };

function parseScore(s: string | undefined): number | undefined {
  if (s === undefined) return undefined;
  const n = s.trim() === '' ? NaN : Number(s);
  if (!Number.isFinite(n) || n < 0 || n > 10) throw new UsageError(`--fail-on-score must be a number from 0 to 10, got '${s}'`);
  return n;
}

/** FORCE_COLOR wins, then NO_COLOR (https://no-color.org), then: colour on a capable TTY only. */
export function wantColor(stream: NodeJS.WriteStream = process.stdout): boolean {
  const force = process.env.FORCE_COLOR;
  if (force !== undefined) return force !== '0' && force !== 'false';
  if (process.env.NO_COLOR) return false;
  return stream.isTTY === true && !!supportsColor;
}

/** Render a report and write it where the user asked (stdout, or -o FILE). */
export function writeReport(report: Report, opts: OutputOptions, extraRules: RuleMeta[] = []): void {
  const toFile = opts.output !== undefined && opts.output !== '-';
  const color = !toFile && opts.format === 'pretty' && wantColor();
  const renderOpts: SarifRenderOptions = { color, showSecrets: opts.showSecrets === true, extraRules };
  const text = RENDERERS[opts.format](report, renderOpts);
  if (toFile) {
    try {
      writeFileSync(opts.output!, text);
    } catch (e) {
      throw new UsageError(`cannot write ${opts.output}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
  } else process.stdout.write(text);
}

/** The finding filters a run's report applies: the config file's disabled rules and allowlist, then the baseline. */
export function gateFilters(opts: OutputOptions, cfg: NhiConfig): FindingFilter[] {
  const filters = [configFilter(cfg)];
  const baselineFile = opts.baseline ?? cfg.baseline;
  if (baselineFile !== undefined) {
    filters.push(baselineFilter(loadBaseline(baselineFile), baselineFile));
  }
  return filters;
}

/** -o FILE must be writable where it is: its directory exists (checked before a long scan). */
export function checkOutputPath(output: string | undefined): void {
  if (output === undefined || output === '-') return;
  const dir = dirname(resolvePath(output));
  let ok = false;
  try {
    ok = statSync(dir).isDirectory();
  } catch {
    ok = false;
  }
  if (!ok) throw new UsageError(`-o ${output}: the directory ${dir} does not exist`);
}

/**
 * Fail fast on gate settings (a bad --fail-on-score, an unreadable baseline) before a long scan
 * rather than after it; finishRun checks them again.
 */
export function checkGateOptions(opts: OutputOptions, cfg: NhiConfig): void {
  parseScore(opts.failOnScore);
  checkOutputPath(opts.output);
  const baselineFile = opts.baseline ?? cfg.baseline;
  if (baselineFile !== undefined) useBaselineKey(loadBaseline(baselineFile), warn, baselineFile);
}

/**
 * The end of every reporting command: apply the config file and baseline, correlate and
 * summarize, render, write, and return the exit code the gate decides (0 clean, 1 findings at or
 * above the threshold, 2 a target not scanned). Flags win over the config file.
 */
export function finishRun(run: RunResult, opts: OutputOptions, config?: NhiConfig): number {
  return finishRunReport(run, opts, config).code;
}

/** finishRun, also returning the report (for `audit --inventory` and the dashboard). */
export function finishRunReport(run: RunResult, opts: OutputOptions, config?: NhiConfig): { code: number; report: Report } {
  setQuiet(opts.quiet === true);
  const cfg = config ?? configFor(opts);
  const failOnScore = parseScore(opts.failOnScore) ?? cfg.failOnScore;
  const failOn = opts.failOn ?? cfg.failOn ?? 'high';
  if (!isSeverity(failOn) && failOn !== 'none') throw new UsageError(`--fail-on must be one of ${SEVERITIES.join(', ')}, none`);
  const report = buildReport(run, { filters: gateFilters(opts, cfg), showSecrets: opts.showSecrets, maxKeyAgeDays: cfg.thresholds.maxKeyAgeDays });
  writeReport(report, opts, cfg.customRules);
  for (const line of unfinishedTargets(report, opts)) logError(line);
  return { code: gateExitCode(report, { failOn: failOn as FailOn, failOnScore, allowPartial: opts.allowPartial === true }), report };
}
