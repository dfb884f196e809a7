import { groupFindings } from '../correlate/group.js';
import type { Finding } from '../model/finding.js';
import { OWASP_IDS, type OwaspId } from '../model/owasp.js';
import { SCHEMA_VERSION, type Report, type Summary, type TargetResult } from '../model/report.js';
import { SEVERITIES, type Severity } from '../model/severity.js';
import { TOOL_NAME, TOOL_VERSION } from '../util/version.js';

export function summarize(targets: TargetResult[], findings: Finding[]): Summary {
  const bySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  const assessed = new Set<OwaspId>(targets.flatMap((t) => (t.status === 'error' ? [] : (t.assessed ?? []))));
  const byOwasp = Object.fromEntries(OWASP_IDS.map((id) => [id, assessed.has(id) ? 0 : 'not assessed'])) as Summary['byOwasp'];
  for (const f of findings) {
    bySeverity[f.severity]++;
    for (const o of f.owasp) byOwasp[o] = typeof byOwasp[o] === 'number' ? (byOwasp[o] as number) + 1 : 1;
  }
  return { total: findings.length, bySeverity, byOwasp };
}

/** Strip secret values unless the user asked to see them (defence in depth: sources should not set them). */
function scrub(f: Finding, showSecrets: boolean): Finding {
  if (showSecrets || !f.secret || f.secret.value === undefined) return f;
  const { value: _v, ...secret } = f.secret;
  return { ...f, secret };
}

export interface BuildInput {
  targets: TargetResult[];
  findings: Finding[];
  startedAt?: Date;
  finishedAt?: Date;
  showSecrets?: boolean;
}

/** Correlate, score and summarize the findings of a run into the one Report every format renders. */
export function buildReport(input: BuildInput): Report {
  const findings = groupFindings(input.findings).map((f) => scrub(f, input.showSecrets === true));
  const report: Report = {
    schemaVersion: SCHEMA_VERSION,
    tool: { name: TOOL_NAME, version: TOOL_VERSION },
    targets: input.targets,
    findings,
    summary: summarize(input.targets, findings),
  };
  if (input.startedAt) report.startedAt = input.startedAt.toISOString();
  report.finishedAt = (input.finishedAt ?? new Date()).toISOString();
  return report;
}
