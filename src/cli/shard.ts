import { createHash } from 'node:crypto';
import { UsageError } from './errors.js';

/**
 * `--shard I/N`: a deterministic split of a run's targets across N CI jobs. A target belongs to the
 * shard its hashed name falls in, so every job computes the same split without coordination and
 * adding a target does not move the others. `nhi-audit merge` joins the shards' JSON reports.
 */
export interface Shard {
  /** 1-based. */
  index: number;
  count: number;
}

export const MAX_SHARDS = 10000;

export function parseShard(s: string | undefined): Shard | undefined {
  if (s === undefined) return undefined;
  const m = /^(\d+)\/(\d+)$/.exec(s.trim());
  const index = m ? Number(m[1]) : NaN;
  const count = m ? Number(m[2]) : NaN;
  if (!m || count < 1 || count > MAX_SHARDS || index < 1 || index > count) {
    throw new UsageError(`--shard expects I/N with 1 <= I <= N <= ${MAX_SHARDS} (e.g. 2/8), got '${s}'`);
  }
  return { index, count };
}

/** The name a target is hashed by: its path as given, with separators and trailing slashes normalised. */
export function shardKey(target: string): string {
  const k = target.replace(/\\/g, '/').replace(/\/+$/, '').replace(/^(\.\/)+/, '');
  return k === '' ? '.' : k;
}

/** Which shard (1-based) a target falls in. */
export function shardOf(target: string, count: number): number {
  const h = createHash('sha256').update(shardKey(target)).digest();
  return (h.readUInt32BE(0) % count) + 1;
}

export function inShard(target: string, shard: Shard | undefined): boolean {
  return shard === undefined || shardOf(target, shard.count) === shard.index;
}

/** The targets of this shard, in their original order. */
export function selectShard<T>(targets: T[], shard: Shard | undefined, key: (t: T) => string = String): T[] {
  return shard ? targets.filter((t) => inShard(key(t), shard)) : targets;
}
