import type { Finding } from '../model/finding.js';
import type { InventoryRow } from '../model/identity.js';
import { OWASP_IDS, OWASP_NHI } from '../model/owasp.js';
import type { CategoryPosture, Posture, TargetResult } from '../model/report.js';
import { SEVERITIES, type Severity } from '../model/severity.js';

/**
 * The posture (README "Posture grade"): per OWASP NHI category the findings by severity, the highest
 * score and the identities affected, or "not assessed" when no target of the run could judge it.
 * The 0–100 score starts at 100 and loses 20 per critical, 8 per high, 3 per medium and 1 per low
 * finding (a finding counts once, under its primary category); any critical finding caps it at 59
 * (grade F starts below 50, E below 60). Grade: A ≥ 90, B ≥ 80, C ≥ 70, D ≥ 60, E ≥ 50, F below.
 */
const PENALTY: Record<Severity, number> = { critical: 20, high: 8, medium: 3, low: 1, info: 0 };

export function gradeOf(score: number): Posture['grade'] {
  return score >= 90 ? 'A' : score >= 80 ? 'B' : score >= 70 ? 'C' : score >= 60 ? 'D' : score >= 50 ? 'E' : 'F';
}

export function buildPosture(targets: TargetResult[], findings: Finding[], inventory: InventoryRow[]): Posture {
  const assessed = new Set(targets.flatMap((t) => (t.status === 'error' ? [] : (t.assessed ?? []))));
  const rowsByFinding = new Map<string, string[]>();
  for (const r of inventory) for (const id of r.findings) rowsByFinding.set(id, [...(rowsByFinding.get(id) ?? []), r.id]);
  const categories: CategoryPosture[] = OWASP_IDS.map((id) => {
    const fs = findings.filter((f) => f.owasp.includes(id));
    const bySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, fs.filter((f) => f.severity === s).length])) as Record<Severity, number>;
    const identities = new Set(fs.flatMap((f) => rowsByFinding.get(f.id) ?? []));
    return { id, name: OWASP_NHI[id], assessed: assessed.has(id) || fs.length > 0, findings: fs.length, bySeverity, highestScore: fs.reduce((m, f) => Math.max(m, f.score), 0), identities: identities.size };
  });
  let score = 100 - findings.reduce((a, f) => a + PENALTY[f.severity], 0);
  if (findings.some((f) => f.severity === 'critical')) score = Math.min(score, 59);
  score = Math.max(0, score);
  return { score, grade: gradeOf(score), categories };
}
