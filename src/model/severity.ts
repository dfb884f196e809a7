/** Severity levels, most severe first. */
export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

const RANK: Record<Severity, number> = { critical: 4, high: 3, medium: 2, low: 1, info: 0 };

export function severityRank(s: Severity): number {
  return RANK[s];
}

export function isSeverity(s: unknown): s is Severity {
  return typeof s === 'string' && (SEVERITIES as readonly string[]).includes(s);
}

/** Threshold for --fail-on: a severity, or 'none' (never fail on findings). */
export type FailOn = Severity | 'none';

export function atOrAbove(s: Severity, threshold: FailOn): boolean {
  return threshold !== 'none' && RANK[s] >= RANK[threshold];
}
