import type { Finding } from '../model/finding.js';

/** What a check knows besides its input: the clock and thresholds (from flags or the config file). */
export interface CheckContext {
  now: Date;
  thresholds: { maxKeyAgeDays: number; maxUnusedDays: number; [k: string]: number };
}

/**
 * A posture check: one file in src/checks/<area>/<id>.ts exporting `check`, with its metadata in
 * rules/checks/<id>.yaml. `run` gets the area's whole inventory (fetched once by the source) and
 * returns findings built with makePostureFinding.
 */
export interface Check<Inventory> {
  id: string;
  run(inventory: Inventory, ctx: CheckContext): Finding[];
}
