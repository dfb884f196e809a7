import type { Finding, Occurrence } from '../model/finding.js';
import { severityRank } from '../model/severity.js';

function occKey(o: Occurrence): string {
  return `${o.target ?? 0}\0${o.source}\0${o.path ?? ''}\0${o.pathBase64 ?? ''}\0${o.resource ?? ''}\0${o.line ?? 0}\0${o.commit ?? ''}`;
}

/** Earliest history occurrence first (where the secret was introduced), then working-tree ones. */
function occOrder(a: Occurrence, b: Occurrence): number {
  const ad = a.commitDate ?? '\uffff';
  const bd = b.commitDate ?? '\uffff';
  if (ad !== bd) return ad < bd ? -1 : 1;
  return (a.target ?? 0) - (b.target ?? 0) || (a.path ?? a.resource ?? '').localeCompare(b.path ?? b.resource ?? '') || (a.line ?? 0) - (b.line ?? 0);
}

/** Which of several findings on one credential speaks for it: the most severe, then a provider's rule over a generic or config-level one. */
function primaryFirst(a: Finding, b: Finding): number {
  const generic = (f: Finding) => (/^generic-|^mcp-config-/.test(f.ruleId) ? 1 : 0);
  return severityRank(b.severity) - severityRank(a.severity) || generic(a) - generic(b) || a.ruleId.localeCompare(b.ruleId);
}

function absorb(into: Finding, f: Finding): void {
  into.occurrences.push(...f.occurrences);
  if (severityRank(f.severity) > severityRank(into.severity)) into.severity = f.severity;
  for (const o of f.owasp) if (!into.owasp.includes(o)) into.owasp.push(o);
  if (f.factors) into.factors = [...(into.factors ?? []), ...f.factors.filter((x) => !into.factors?.some((y) => y.factor === x.factor))];
  if (f.related) into.related = [...new Set([...(into.related ?? []), ...f.related])];
  if (f.evidence) into.evidence = { ...f.evidence, ...into.evidence };
}

function clone(f: Finding): Finding {
  return { ...f, location: { ...f.location }, owasp: [...f.owasp], occurrences: [...f.occurrences], ...(f.evidence ? { evidence: { ...f.evidence } } : {}) };
}

/**
 * One finding per credential and per problem: findings with the same id (rule + secret or
 * resource) are one, and so are secret findings with the same fingerprint that different rules
 * found (a provider rule and the MCP literal-credential check, a PEM key and the same key
 * JSON-escaped): the most severe rule speaks for it, the others are listed in `evidence.alsoMatchedBy`.
 * Every place becomes an occurrence, across files, commits, sources and targets; a secret seen in
 * several places is reuse (NHI9). Also used by `merge` to join shard reports.
 */
export function groupFindings(findings: Finding[]): Finding[] {
  const byId = new Map<string, Finding>();
  for (const f of findings) {
    const g = byId.get(f.id);
    if (g) absorb(g, f);
    else byId.set(f.id, clone(f));
  }
  // Same credential, different rules: one finding.
  const byFp = new Map<string, Finding[]>();
  const out: Finding[] = [];
  for (const f of byId.values()) {
    if (!f.secret) out.push(f);
    else byFp.set(f.secret.fingerprint, [...(byFp.get(f.secret.fingerprint) ?? []), f]);
  }
  for (const group of byFp.values()) {
    group.sort(primaryFirst);
    const [head, ...rest] = group;
    for (const r of rest) absorb(head, r);
    if (rest.length) head.evidence = { ...head.evidence, alsoMatchedBy: [...new Set(rest.map((r) => r.ruleId))] };
    if (head.secret && rest.some((r) => r.secret?.identifierFingerprint) && !head.secret.identifierFingerprint) head.secret.identifierFingerprint = rest.find((r) => r.secret?.identifierFingerprint)!.secret!.identifierFingerprint;
    out.push(head);
  }
  for (const g of out) {
    const seen = new Map<string, Occurrence>();
    for (const o of g.occurrences) if (!seen.has(occKey(o))) seen.set(occKey(o), o);
    g.occurrences = [...seen.values()].sort(occOrder);
    const { source, ...loc } = g.occurrences[0];
    g.source = source;
    g.location = loc;
    if (g.occurrences.some((o) => o.committed === true)) g.location.committed = true;
    if (g.secret) {
      const places = new Set(g.occurrences.map((o) => `${o.target ?? 0}:${o.path ?? o.resource ?? ''}`));
      if (places.size > 1 && !g.owasp.includes('NHI9')) g.owasp.push('NHI9');
      g.message = g.message.replace(/ Seen in \d+ places \(reuse\)\.$/, '');
      if (places.size > 1) g.message += ` Seen in ${places.size} places (reuse).`;
    }
  }
  return out;
}

/** Most severe first, then highest score, then by place. */
export function sortFindings(findings: Finding[]): Finding[] {
  return findings.sort(
    (a, b) =>
      severityRank(b.severity) - severityRank(a.severity) ||
      b.score - a.score ||
      (a.location.path ?? a.location.resource ?? '').localeCompare(b.location.path ?? b.location.resource ?? '') ||
      (a.location.line ?? 0) - (b.location.line ?? 0) ||
      a.id.localeCompare(b.id),
  );
}
