import type { Finding, Occurrence } from '../model/finding.js';
import { severityRank } from '../model/severity.js';
import { scoreFinding } from '../score/score.js';

function occKey(o: Occurrence): string {
  return `${o.target ?? 0}\0${o.source}\0${o.path ?? ''}\0${o.resource ?? ''}\0${o.line ?? 0}\0${o.commit ?? ''}`;
}

/** Earliest history occurrence first (where the secret was introduced), then working-tree ones. */
function occOrder(a: Occurrence, b: Occurrence): number {
  const ad = a.commitDate ?? '\uffff';
  const bd = b.commitDate ?? '\uffff';
  if (ad !== bd) return ad < bd ? -1 : 1;
  return (a.target ?? 0) - (b.target ?? 0) || (a.path ?? a.resource ?? '').localeCompare(b.path ?? b.resource ?? '') || (a.line ?? 0) - (b.line ?? 0);
}

/**
 * One finding per id (rule + secret or resource): every place it was seen becomes an occurrence,
 * across files, commits, sources and targets. A secret seen in several files or targets is reuse
 * (NHI9). Also used by `merge` to join shard reports.
 */
export function groupFindings(findings: Finding[]): Finding[] {
  const byId = new Map<string, Finding>();
  for (const f of findings) {
    const g = byId.get(f.id);
    if (!g) {
      byId.set(f.id, { ...f, location: { ...f.location }, owasp: [...f.owasp], occurrences: [...f.occurrences] });
      continue;
    }
    g.occurrences.push(...f.occurrences);
    if (severityRank(f.severity) > severityRank(g.severity)) g.severity = f.severity;
    for (const o of f.owasp) if (!g.owasp.includes(o)) g.owasp.push(o);
  }
  const out: Finding[] = [];
  for (const g of byId.values()) {
    const seen = new Map<string, Occurrence>();
    for (const o of g.occurrences) if (!seen.has(occKey(o))) seen.set(occKey(o), o);
    g.occurrences = [...seen.values()].sort(occOrder);
    const primary = g.occurrences[0];
    const { source, ...loc } = primary;
    g.source = source;
    g.location = loc;
    if (g.occurrences.some((o) => o.committed === true)) g.location.committed = true;
    if (g.secret) {
      const places = new Set(g.occurrences.map((o) => `${o.target ?? 0}:${o.path ?? o.resource ?? ''}`));
      if (places.size > 1 && !g.owasp.includes('NHI9')) g.owasp.push('NHI9');
      if (places.size > 1 && !/ Seen in \d+ places/.test(g.message)) g.message += ` Seen in ${places.size} places (reuse).`;
    }
    g.score = scoreFinding(g);
    out.push(g);
  }
  return out.sort(
    (a, b) =>
      severityRank(b.severity) - severityRank(a.severity) ||
      b.score - a.score ||
      (a.location.path ?? a.location.resource ?? '').localeCompare(b.location.path ?? b.location.resource ?? '') ||
      (a.location.line ?? 0) - (b.location.line ?? 0) ||
      a.id.localeCompare(b.id),
  );
}
