import type { Report, TargetResult } from '../model/report.js';
import { atOrAbove, type FailOn } from '../model/severity.js';
import { EXIT_ERROR, EXIT_FINDINGS, EXIT_OK } from '../cli/errors.js';

export interface GateOptions {
  failOn: FailOn;
  /** Alternative threshold on the 0–10 score: fail when any finding scores at or above it. */
  failOnScore?: number;
  /** --allow-partial: a target that was only partly read does not by itself fail the gate. */
  allowPartial?: boolean;
}

/** The one-line reason a target was not (fully) read: its error, else its first warning. */
export function targetReason(t: TargetResult): string {
  return t.error ?? t.warnings?.[0] ?? 'not every part of it could be read';
}

/**
 * Targets that make the gate exit 2, each with a one-line reason for stderr: every target that
 * failed, and every partial one unless --allow-partial. A scan that could not read everything it
 * was asked to read is not a pass (README: "What is skipped is never silent").
 */
export function unfinishedTargets(report: Report, opts: Pick<GateOptions, 'allowPartial'>): string[] {
  const out: string[] = [];
  for (const t of report.targets) {
    if (t.status === 'error') continue; // already reported as an error when it failed
    if (t.status === 'partial' && !opts.allowPartial) {
      const reason = targetReason(t);
      const where = reason.startsWith(t.path) ? '' : `${t.path}: `;
      out.push(`${t.kind} ${where}${reason} (partial scan: exit 2; --allow-partial accepts it)`);
    }
  }
  return out;
}

/**
 * The exit code a CI job can trust: 2 when a target could not be scanned, or was only partly
 * scanned and --allow-partial is not given; else 1 when a finding is at or above the threshold;
 * else 0.
 */
export function gateExitCode(report: Report, opts: GateOptions): number {
  if (report.targets.some((t) => t.status === 'error')) return EXIT_ERROR;
  if (!opts.allowPartial && report.targets.some((t) => t.status === 'partial')) return EXIT_ERROR;
  const failing = report.findings.some(
    (f) => atOrAbove(f.severity, opts.failOn) || (opts.failOnScore !== undefined && f.score >= opts.failOnScore),
  );
  return failing ? EXIT_FINDINGS : EXIT_OK;
}
