import type { Finding } from '../model/finding.js';
import type { Report } from '../model/report.js';
import type { Severity } from '../model/severity.js';
import { displayLocation, firstParagraph, otherOccurrences, repoPath } from './locate.js';
import type { RenderOptions } from './types.js';

/**
 * GitHub Actions workflow commands: one `::error file=…,line=…::` (or ::warning / ::notice)
 * annotation per finding, shown on the pull request's diff and the run's summary.
 * https://docs.github.com/actions/reference/workflow-commands-for-github-actions
 */

const COMMAND: Record<Severity, 'error' | 'warning' | 'notice'> = { critical: 'error', high: 'error', medium: 'warning', low: 'notice', info: 'notice' };

/** Escaping GitHub applies to a command's message. */
export function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Escaping GitHub applies to a command's properties (file, title …). */
export function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

function annotation(report: Report, f: Finding, showSecrets: boolean): string {
  const loc = displayLocation(f);
  const path = repoPath(report, loc);
  const props: string[] = [];
  if (path) {
    props.push(`file=${escapeProperty(path)}`);
    if (loc.line) props.push(`line=${loc.line}`);
    if (loc.line && loc.column) props.push(`col=${loc.column}`);
  }
  props.push(`title=${escapeProperty(`nhi-audit ${f.severity}: ${f.title} [${f.ruleId}]`)}`);
  let msg = f.message;
  const resource = loc.resource ?? f.location.resource;
  if (resource && !msg.includes(resource)) msg += ` Resource: ${resource}.`;
  if (loc.commit) msg += ` Introduced in commit ${loc.commit.slice(0, 12)}.`;
  const others = otherOccurrences(f, loc).length;
  if (others > 0) msg += ` Also seen in ${others} other place${others === 1 ? '' : 's'}.`;
  if (showSecrets && f.secret?.value !== undefined) msg += ` Value: ${f.secret.value}`;
  msg += ` OWASP ${f.owasp.join(', ')}; score ${f.score.toFixed(1)}.\nFix: ${firstParagraph(f.remediation)}`;
  return `::${COMMAND[f.severity]} ${props.join(',')}::${escapeData(msg)}`;
}

export function renderGithub(report: Report, opts: RenderOptions): string {
  const lines = report.findings.map((f) => annotation(report, f, opts.showSecrets));
  for (const t of report.targets) {
    if (t.status === 'error') lines.push(`::error title=${escapeProperty(`nhi-audit: ${t.kind} target not scanned`)}::${escapeData(t.error ?? t.path)}`);
  }
  const s = report.summary;
  lines.push(`nhi-audit: ${s.total} finding${s.total === 1 ? '' : 's'} (${Object.entries(s.bySeverity).map(([k, v]) => `${k} ${v}`).join(', ')})`);
  return `${lines.join('\n')}\n`;
}
