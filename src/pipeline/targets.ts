import type { CoverageGap, TargetRef } from '../model/artifact.js';
import { OWASP_IDS, type OwaspId } from '../model/owasp.js';
import type { TargetResult } from '../model/report.js';

const MAX_WARNINGS = 200;

interface TargetState {
  ref: TargetRef;
  stats: Record<string, number>;
  warnings: string[];
  omitted: number;
  assessed: Set<OwaspId>;
  partial: boolean;
  /** The first reason the target became partial: the one line the gate prints. */
  partialReason?: string;
  error?: string;
  /** Missing data parts, said together with the checks they cost (see CoverageGap.part). */
  parts: Map<string, { gap: CoverageGap; skipped: string[] }>;
}

/**
 * The run's targets, numbered by first appearance of (kind, path): the one place where target
 * indexes, counters, one-line warnings and statuses are kept.
 */
export class TargetTable {
  private readonly byKey = new Map<string, number>();
  private readonly list: TargetState[] = [];

  index(ref: TargetRef): number {
    const key = `${ref.kind}\0${ref.path}`;
    let i = this.byKey.get(key);
    if (i === undefined) {
      i = this.list.length;
      this.byKey.set(key, i);
      this.list.push({ ref, stats: {}, warnings: [], omitted: 0, assessed: new Set(), partial: false, parts: new Map() });
    }
    return i;
  }

  ref(i: number): TargetRef {
    return this.list[i].ref;
  }

  get size(): number {
    return this.list.length;
  }

  count(i: number, key: string, n = 1): void {
    const s = this.list[i].stats;
    s[key] = (s[key] ?? 0) + n;
  }

  stats(i: number, stats: Record<string, number>): void {
    for (const [k, v] of Object.entries(stats)) this.count(i, k, v);
  }

  assess(i: number, ids: Iterable<OwaspId>): void {
    for (const id of ids) this.list[i].assessed.add(id);
  }

  warn(i: number, msg: string): void {
    const t = this.list[i];
    if (t.warnings.length < MAX_WARNINGS) t.warnings.push(msg);
    else t.omitted++;
  }

  gap(i: number, g: CoverageGap): void {
    const t = this.list[i];
    if (g.part && !g.fatal) {
      if (!t.parts.has(g.part)) t.parts.set(g.part, { gap: g, skipped: [] });
      return;
    }
    if (g.stat) this.count(i, g.stat);
    if (g.fatal) {
      t.error ??= g.reason;
      return;
    }
    if (!g.informational) {
      t.partial = true;
      t.partialReason ??= g.reason;
    }
    this.warn(i, g.reason);
  }

  /** Checks that could not run on a target for want of a data part. */
  skipped(i: number, part: string, checkIds: string[]): void {
    const t = this.list[i];
    const entry = t.parts.get(part) ?? { gap: { reason: `no ${part} data` }, skipped: [] };
    entry.skipped.push(...checkIds);
    t.parts.set(part, entry);
    this.count(i, 'checksSkipped', checkIds.length);
  }

  results(): TargetResult[] {
    // A missing part is one line: why, which checks it cost, what would provide it.
    for (const t of this.list)
      for (const { gap, skipped } of t.parts.values()) {
        if (gap.onlyIfNeeded && skipped.length === 0) continue;
        const line = `${gap.reason}${skipped.length ? `: skipped ${skipped.join(', ')}` : ''}${gap.fix ? `; ${gap.fix}` : ''}`;
        if (!gap.informational && (skipped.length > 0 || !gap.onlyIfNeeded)) {
          t.partial = true;
          t.partialReason ??= line;
        }
        t.warnings.unshift(line);
      }
    return this.list.map((t) => {
      const r: TargetResult = {
        kind: t.ref.kind,
        path: t.ref.path,
        status: t.error ? 'error' : t.partial ? 'partial' : 'ok',
        stats: t.stats,
        assessed: OWASP_IDS.filter((id) => t.assessed.has(id)),
      };
      if (t.error) r.error = t.error;
      else if (t.partial && t.partialReason) r.error = t.partialReason;
      const warnings = t.omitted ? [...t.warnings, `… ${t.omitted} more warnings omitted`] : t.warnings;
      if (warnings.length) r.warnings = warnings;
      return r;
    });
  }
}
