import type { Report } from '../model/report.js';

export interface RenderOptions {
  /** Emit ANSI colour (the destination is a colour-capable TTY, or FORCE_COLOR). */
  color: boolean;
  showSecrets: boolean;
  /** pretty: full remediation, every place, evidence, and the checks that ran and passed. */
  verbose?: boolean;
  /** pretty: the per-rule table instead of one block per finding. */
  summaryOnly?: boolean;
}

/** A reporter only formats: Report in, text out (no network, no exit codes). */
export type Renderer = (report: Report, opts: RenderOptions) => string;
