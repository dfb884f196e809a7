import type { Finding, ScoreFactor } from '../model/finding.js';
import type { Privilege } from '../model/identity.js';
import type { Severity } from '../model/severity.js';

/**
 * The one scorer (README "Scoring"). A finding's 0–10 score is its severity's base plus documented
 * factors, kept inside the severity's band so that sorting by score never contradicts sorting by
 * severity:
 *
 *   band        info 0–1.9 · low 2–3.9 · medium 4–6.9 · high 7–8.9 · critical 9–10
 *   base        info 0.5 · low 3 · medium 5 · high 7.5 · critical 9
 *   factors     confirmed-active +0.8 (IAM shows the key active) · committed +0.3 (in git: every clone
 *               has it) · local-only −0.3 (only in an untracked or modified file) · history-only +0.1
 *               (removed from the tree, still in every clone) · public +0.4 (public repository or an
 *               endpoint reachable from the internet) · old +0.2 (leaked over a year ago, or an
 *               identity older than the rotation threshold) · admin +0.6 / escalation +0.4 / write
 *               +0.2 (what the identity behind it can do) · reuse +0.2 per extra place (at most +0.6)
 *               · categories +0.2 per extra OWASP category (at most +0.4) · low-precision −0.3
 *               (a rule that matches by context, not by a token's shape)
 *
 * Everything the factors read is on the finding (its places, OWASP ids, evidence) or in the facts
 * correlation attached, so the same credential with the same facts scores the same in every command.
 */

const BAND: Record<Severity, [number, number]> = { info: [0, 1.9], low: [2, 3.9], medium: [4, 6.9], high: [7, 8.9], critical: [9, 10] };
const BASE: Record<Severity, number> = { critical: 9.0, high: 7.5, medium: 5.0, low: 3.0, info: 0.5 };

/** Facts about a finding that correlation knows and the finding itself may not say. */
export interface ScoreFacts {
  confirmedActive?: boolean;
  privilege?: Privilege;
  /** Age in days of the identity or credential behind the finding. */
  ageDays?: number;
  /** Rotation threshold in days that "old" compares against. */
  maxAgeDays?: number;
  public?: boolean;
  lowPrecision?: boolean;
}

const DAY = 86_400_000;

export function scoreFactors(f: Pick<Finding, 'severity' | 'owasp' | 'occurrences' | 'location' | 'secret'>, facts: ScoreFacts = {}, now = new Date()): ScoreFactor[] {
  const out: ScoreFactor[] = [];
  const add = (factor: string, delta: number) => out.push({ factor, delta });
  if (facts.confirmedActive) add('confirmed-active', 0.8);
  if (f.secret) {
    const committed = f.occurrences.some((o) => o.committed === true);
    const tree = f.occurrences.some((o) => o.source === 'file' || o.source === 'github-file');
    if (committed) add('committed', 0.3);
    else if (f.occurrences.length > 0 && f.occurrences.every((o) => o.committed === false)) add('local-only', -0.3);
    if (committed && !tree && f.occurrences.every((o) => o.source === 'git-history')) add('history-only', 0.1);
    const first = f.occurrences.map((o) => o.commitDate).filter((d): d is string => !!d).sort()[0];
    if (first && now.getTime() - Date.parse(first) > 365 * DAY) add('old', 0.2);
  }
  if (facts.ageDays !== undefined && facts.ageDays > (facts.maxAgeDays ?? 365) && !out.some((x) => x.factor === 'old')) add('old', 0.2);
  if (facts.public) add('public', 0.4);
  if (facts.privilege === 'admin') add('admin', 0.6);
  else if (facts.privilege === 'escalation') add('escalation', 0.4);
  else if (facts.privilege === 'write') add('write', 0.2);
  if (f.secret) {
    const places = new Set(f.occurrences.map((o) => `${o.target ?? 0}:${o.path ?? o.resource ?? ''}`)).size;
    if (places > 1) add('reuse', Math.min(0.6, 0.2 * (places - 1)));
  }
  if (f.owasp.length > 1) add('categories', Math.min(0.4, 0.2 * (f.owasp.length - 1)));
  if (facts.lowPrecision) add('low-precision', -0.3);
  return out.map((x) => ({ ...x, delta: Math.round(x.delta * 10) / 10 }));
}

/** Score a finding from its severity and factors (clamped to the severity's band). */
export function scoreOf(severity: Severity, factors: ScoreFactor[]): number {
  const [lo, hi] = BAND[severity];
  const s = BASE[severity] + factors.reduce((a, x) => a + x.delta, 0);
  return Math.round(Math.min(hi, Math.max(lo, s)) * 10) / 10;
}

/** Set `score` and `factors` on a finding. */
export function scoreFinding(f: Finding, facts: ScoreFacts = {}, now = new Date()): number {
  const factors = scoreFactors(f, facts, now);
  f.score = scoreOf(f.severity, factors);
  if (factors.length) f.factors = factors;
  else delete f.factors;
  return f.score;
}
