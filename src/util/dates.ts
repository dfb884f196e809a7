/**
 * Dates as the inventory keeps them: ISO 8601 UTC strings. AWS exports carry `+00:00`, `Z`, or no
 * zone at all (some tools drop it); a date without a zone is UTC, as everything IAM returns is.
 */
export function isoDate(v: unknown): string | undefined {
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? undefined : v.toISOString();
  if (typeof v !== 'string') return undefined;
  let s = v.trim();
  if (s === '' || /^(N\/A|no_information|not_supported)$/i.test(s)) return undefined;
  if (/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(s)) s = `${s.replace(' ', 'T')}Z`;
  const t = Date.parse(s);
  return Number.isNaN(t) ? undefined : new Date(t).toISOString();
}

const DAY_MS = 86_400_000;

/** Whole days from `iso` to `now` (negative when `iso` is in the future). */
export function daysSince(iso: string, now: Date): number {
  return Math.floor((now.getTime() - Date.parse(iso)) / DAY_MS);
}

/** The later of several optional ISO dates. */
export function latest(...dates: Array<string | undefined>): string | undefined {
  let best: string | undefined;
  for (const d of dates) if (d !== undefined && (best === undefined || Date.parse(d) > Date.parse(best))) best = d;
  return best;
}
