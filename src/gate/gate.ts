import type { Report } from '../model/report.js';
import { atOrAbove, type FailOn } from '../model/severity.js';
import { EXIT_ERROR, EXIT_FINDINGS, EXIT_OK } from '../cli/errors.js';

export interface GateOptions {
  failOn: FailOn;
  /** Alternative threshold on the 0–10 score: fail when any finding scores at or above it. */
  failOnScore?: number;
}

/**
 * The exit code a CI job can trust: 2 when a target could not be scanned (a partial scan is not a
 * pass), else 1 when a finding is at or above the threshold, else 0.
 */
export function gateExitCode(report: Report, opts: GateOptions): number {
  if (report.targets.some((t) => t.status === 'error')) return EXIT_ERROR;
  const failing = report.findings.some(
    (f) => atOrAbove(f.severity, opts.failOn) || (opts.failOnScore !== undefined && f.score >= opts.failOnScore),
  );
  return failing ? EXIT_FINDINGS : EXIT_OK;
}
