/**
 * The slots of the small shared memory through which a detection worker tells the pool's watchdog
 * what it is doing: the pool cannot ask a thread that is stuck in a regex, but it can read this.
 */
export const WATCH = {
  /** Bumped when the worker starts a job: unchanged for too long means that job overran. */
  seq: 0,
  /** The batch (message id) and the job's index in it; job -1 when the worker is idle. */
  batch: 1,
  job: 2,
  /** The job's content size, once known (0 before the file is read). */
  bytes: 3,
  /** The index of the rule running now, -1 between rules. */
  rule: 4,
} as const;

export type WatchSlots = Int32Array;

export function watchSlots(): SharedArrayBuffer {
  const sab = new SharedArrayBuffer(5 * Int32Array.BYTES_PER_ELEMENT);
  new Int32Array(sab).fill(-1);
  new Int32Array(sab)[WATCH.seq] = 0;
  return sab;
}

/**
 * Seconds one file or blob may spend in detection before the pool stops its worker. Generous:
 * built-in rules scan tens of MB per second and stay under 2 s each on crafted 10 MB inputs (see
 * test/bench/redos-10mb.mjs), so only a pathological regex (a catastrophic custom rule) gets near;
 * the floor absorbs a loaded machine. NHI_AUDIT_REGEX_BUDGET (seconds) replaces the floor.
 */
export const BUDGET_FLOOR_MS = 15_000;
export const BUDGET_MS_PER_MB = 3_000;

export function jobBudgetMs(bytes: number, floorMs = BUDGET_FLOOR_MS): number {
  return Math.max(floorMs, Math.ceil((bytes / 1048576) * BUDGET_MS_PER_MB));
}

/** The floor from the environment (seconds), else the default; a malformed value is ignored. */
export function budgetFloorMs(env: NodeJS.ProcessEnv = process.env): number {
  const v = Number(env.NHI_AUDIT_REGEX_BUDGET);
  return env.NHI_AUDIT_REGEX_BUDGET && Number.isFinite(v) && v > 0 ? Math.round(v * 1000) : BUDGET_FLOOR_MS;
}
