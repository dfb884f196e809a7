import type { Finding } from '../model/finding.js';
import type { Severity } from '../model/severity.js';

const BASE: Record<Severity, number> = { critical: 9.0, high: 7.5, medium: 5.0, low: 3.0, info: 0.5 };

/**
 * 0–10 risk score: the severity's base, nudged by what makes the exposure worse — a secret that is
 * committed (it is in every clone), seen in several places, or mapped to several OWASP categories.
 * Stays inside the severity's band so sorting by score never contradicts sorting by severity.
 */
export function scoreFinding(f: Pick<Finding, 'severity' | 'owasp' | 'occurrences' | 'location' | 'secret'>): number {
  let s = BASE[f.severity];
  const ceiling = f.severity === 'critical' ? 10 : BASE[f.severity] + 1.4;
  if (f.secret && f.location.committed !== false) s += 0.3;
  const places = new Set(f.occurrences.map((o) => `${o.target ?? 0}:${o.path ?? o.resource ?? ''}`)).size;
  if (places > 1) s += Math.min(0.6, 0.2 * (places - 1));
  if (f.owasp.length > 1) s += Math.min(0.4, 0.2 * (f.owasp.length - 1));
  return Math.round(Math.min(ceiling, s) * 10) / 10;
}
