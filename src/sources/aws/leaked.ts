import type { Report } from '../../model/report.js';
import type { LeakedKeyId } from '../../model/aws.js';

const MAX_PLACES = 5;

/**
 * The AWS key ids that code scans found, from their JSON reports: every finding that carries an
 * identifier fingerprint (the key-id rules set it), one entry per key id across all reports.
 */
export function leakedKeyIdsFrom(reports: Report[]): LeakedKeyId[] {
  const byFp = new Map<string, LeakedKeyId>();
  for (const r of reports) {
    for (const f of r.findings) {
      const fp = f.secret?.identifierFingerprint;
      if (!fp) continue;
      const places = f.occurrences.filter((o) => o.path).map((o) => `${o.path}:${o.line ?? 1}${o.commit ? `@${o.commit.slice(0, 12)}` : ''}`);
      const seen = byFp.get(fp);
      if (seen) {
        seen.places = [...new Set([...seen.places, ...places])].slice(0, MAX_PLACES);
        seen.occurrences += f.occurrences.length;
        continue;
      }
      byFp.set(fp, { fingerprint: fp, redacted: f.secret!.redacted, findingId: f.id, ruleId: f.ruleId, places: [...new Set(places)].slice(0, MAX_PLACES), occurrences: f.occurrences.length });
    }
  }
  return [...byFp.values()];
}
