import { writeFileSync } from 'node:fs';
import { Option, type Command } from 'commander';
import { supportsColor } from 'chalk';
import { gateExitCode } from '../gate/gate.js';
import type { Finding } from '../model/finding.js';
import type { Report, TargetResult } from '../model/report.js';
import { isSeverity, SEVERITIES, type FailOn } from '../model/severity.js';
import { buildReport } from '../report/build.js';
import { FORMATS, RENDERERS } from '../report/index.js';
import { setQuiet } from '../util/log.js';
import { UsageError } from './errors.js';

/** Options every reporting command (scan, aws, mcp, merge …) shares. */
export interface OutputOptions {
  format: string;
  output?: string;
  failOn: string;
  failOnScore?: string;
  showSecrets?: boolean;
  quiet?: boolean;
}

export function addOutputOptions(cmd: Command): Command {
  return cmd
    .addOption(new Option('-f, --format <format>', 'report format').choices(FORMATS).default('pretty'))
    .option('-o, --output <file>', 'write the report to FILE instead of stdout')
    .addOption(new Option('--fail-on <severity>', 'exit 1 when a finding is at or above this severity').choices([...SEVERITIES, 'none']).default('high'))
    .option('--fail-on-score <n>', 'exit 1 when a finding scores at or above N (0-10)')
    .option('--show-secrets', 'print secret values in reports (never do this in CI logs)', false)
    .option('-q, --quiet', 'no progress or warnings on stderr', false);
}

export interface RunResult {
  targets: TargetResult[];
  findings: Finding[];
  startedAt: Date;
}

function parseScore(s: string | undefined): number | undefined {
  if (s === undefined) return undefined;
  const n = Number(s);
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
export function writeReport(report: Report, opts: OutputOptions): void {
  const toFile = opts.output !== undefined && opts.output !== '-';
  const color = !toFile && opts.format === 'pretty' && wantColor();
  const text = RENDERERS[opts.format](report, { color, showSecrets: opts.showSecrets === true });
  if (toFile) {
    try {
      writeFileSync(opts.output!, text);
    } catch (e) {
      throw new UsageError(`cannot write ${opts.output}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
  } else process.stdout.write(text);
}

/**
 * The end of every reporting command: correlate and summarize, render, write, and return the exit
 * code the gate decides (0 clean, 1 findings at or above the threshold, 2 a target not scanned).
 */
export function finishRun(run: RunResult, opts: OutputOptions): number {
  setQuiet(opts.quiet === true);
  const failOnScore = parseScore(opts.failOnScore);
  if (!isSeverity(opts.failOn) && opts.failOn !== 'none') throw new UsageError(`--fail-on must be one of ${SEVERITIES.join(', ')}, none`);
  const report = buildReport({ targets: run.targets, findings: run.findings, startedAt: run.startedAt, showSecrets: opts.showSecrets });
  writeReport(report, opts);
  return gateExitCode(report, { failOn: opts.failOn as FailOn, failOnScore });
}
