import type { Finding, Location } from '../model/finding.js';
import { findingId } from '../model/fingerprint.js';
import { correlationMeta } from '../rules/catalog.js';

/** A finding that correlation creates from facts of several sources (metadata in rules/correlations/<id>.yaml). */
export function correlationFinding(id: string, i: { subject: string; location: Location; source: string; message: string; related: string[]; evidence?: Record<string, unknown> }): Finding {
  const meta = correlationMeta(id);
  return {
    id: findingId(id, i.subject),
    ruleId: id,
    title: meta.title,
    severity: meta.severity,
    score: 0,
    owasp: [...meta.owasp],
    source: i.source,
    location: i.location,
    occurrences: [{ source: i.source, ...i.location }],
    message: i.message,
    remediation: meta.remediation,
    related: i.related,
    ...(i.evidence ? { evidence: i.evidence } : {}),
  };
}
