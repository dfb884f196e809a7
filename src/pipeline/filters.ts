import type { Baseline } from '../baseline/baseline.js';
import { filterBaseline } from '../baseline/baseline.js';
import { applyConfigFilters } from '../config/apply.js';
import type { NhiConfig } from '../config/load.js';
import type { Finding } from '../model/finding.js';
import { info } from '../util/log.js';

/**
 * The finding filters that run after detection and checks, as one list: each drops findings and
 * counts them in a target stat. (Placeholders and inline `nhi-audit:ignore` are dropped inside the
 * detector, and the config allowlist also drops matches before any finding exists.)
 */
export interface FindingFilter {
  /** The target stat that counts what it dropped. */
  stat: string;
  apply(findings: Finding[]): { kept: Finding[]; dropped: Map<number, number> };
}

export function configFilter(cfg: NhiConfig): FindingFilter {
  return { stat: 'allowlisted', apply: (fs) => applyConfigFilters(fs, cfg) };
}

export function baselineFilter(baseline: Baseline, file: string): FindingFilter {
  return {
    stat: 'baselined',
    apply(fs) {
      const r = filterBaseline(fs, baseline);
      const n = [...r.suppressed.values()].reduce((a, ids) => a + ids.size, 0);
      info(`baseline ${file}: ${n} known finding${n === 1 ? '' : 's'} not reported`);
      return { kept: r.kept, dropped: new Map([...r.suppressed].map(([t, ids]) => [t, ids.size])) };
    },
  };
}

/** Run the filters in order; returns the kept findings and, per target index, what each filter dropped. */
export function runFilters(findings: Finding[], filters: FindingFilter[]): { kept: Finding[]; counts: Array<{ stat: string; dropped: Map<number, number> }> } {
  let kept = findings;
  const counts: Array<{ stat: string; dropped: Map<number, number> }> = [];
  for (const f of filters) {
    const r = f.apply(kept);
    kept = r.kept;
    counts.push({ stat: f.stat, dropped: r.dropped });
  }
  return { kept, counts };
}
