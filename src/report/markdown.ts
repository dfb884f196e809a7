import type { Finding, Location } from '../model/finding.js';
import { OWASP_IDS, OWASP_NHI } from '../model/owasp.js';
import type { Report } from '../model/report.js';
import { SEVERITIES, type Severity } from '../model/severity.js';
import { displayLocation, otherOccurrences, repoPath } from './locate.js';
import type { RenderOptions } from './types.js';
import { inventoryByKind, plural, postureRows, readText, skippedText, topRisks } from './view.js';

/**
 * A compact report for a pull-request comment or a GitHub job summary: counts by severity and OWASP
 * category, the top findings with redacted values and links to the files, and the targets.
 */

export const MARKDOWN_TOP = 25;
const ICON: Record<Severity, string> = { critical: '🟥', high: '🟧', medium: '🟨', low: '🟦', info: '⬜' };

/** Text safe in a table cell: no pipes, newlines or raw HTML. */
function cell(s: string): string {
  return s.replace(/\r?\n+/g, ' ').replace(/\|/g, '\\|').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** An inline code span that survives backticks and table pipes in its content. */
function code(s: string): string {
  const longest = Math.max(0, ...(s.match(/`+/g) ?? []).map((r) => r.length));
  const fence = '`'.repeat(longest + 1);
  const body = s.replace(/\r?\n+/g, ' ').replace(/\|/g, '\\|');
  const pad = body.startsWith('`') || body.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${body}${pad}${fence}`;
}

/** Where links point: the repository on GitHub when the run knows it (GitHub Actions sets these). */
interface LinkBase {
  repoUrl?: string;
  sha?: string;
}

function linkBase(env: NodeJS.ProcessEnv): LinkBase {
  const server = env.GITHUB_SERVER_URL ?? (env.GITHUB_REPOSITORY ? 'https://github.com' : undefined);
  const repoUrl = server && env.GITHUB_REPOSITORY ? `${server.replace(/\/+$/, '')}/${env.GITHUB_REPOSITORY}` : undefined;
  return { repoUrl, sha: env.GITHUB_SHA };
}

function where(report: Report, f: Finding, base: LinkBase): string {
  const loc: Location = displayLocation(f);
  const path = repoPath(report, loc);
  if (!path) return code(loc.resource ?? f.location.resource ?? '(no location)');
  const label = code(`${path}${loc.line ? `:${loc.line}` : ''}`);
  const rev = loc.commit ?? base.sha;
  const commitNote = loc.commit ? ` in ${code(loc.commit.slice(0, 10))}` : '';
  if (!base.repoUrl || !rev || path.startsWith('/')) return label + commitNote;
  const url = `${base.repoUrl}/blob/${rev}/${path.split('/').map(encodeURIComponent).join('/')}${loc.line ? `#L${loc.line}` : ''}`;
  return `[${label}](${url})${commitNote}`;
}

function headline(report: Report): string {
  const s = report.summary;
  if (s.total === 0) return '### ✅ nhi-audit: no findings';
  const parts = SEVERITIES.filter((x) => s.bySeverity[x] > 0).map((x) => `${s.bySeverity[x]} ${x}`);
  return `### 🔐 nhi-audit: ${s.total} finding${s.total === 1 ? '' : 's'} (${parts.join(', ')})`;
}

function targetLine(t: Report['targets'][number]): string {
  const icon = t.status === 'ok' ? '✅' : t.status === 'partial' ? '⚠️' : '❌';
  const read = readText(t);
  const skipped = skippedText(t);
  const extra = t.error ? ` — ${cell(t.error)}` : (t.warnings?.length ?? 0) > 0 ? ` — ${plural(t.warnings!.length, 'warning')}` : '';
  const looked = t.looked?.length && !t.stats.configsFound ? ` — nothing found; looked in ${t.looked.map(code).join(', ')}` : '';
  return `- ${icon} ${t.kind} ${code(t.path)}: ${t.status}${extra}${read ? ` (${cell(read)}${skipped ? `; ${cell(skipped)}` : ''})` : ''}${looked}`;
}

export function renderMarkdown(report: Report, opts: RenderOptions, env: NodeJS.ProcessEnv = process.env): string {
  const base = linkBase(env);
  const s = report.summary;
  const out: string[] = [headline(report), ''];

  out.push('| Severity | Findings |', '|---|---:|');
  for (const x of SEVERITIES) out.push(`| ${ICON[x]} ${x} | ${s.bySeverity[x]} |`);
  out.push('');
  const grade = report.posture ? ` — posture ${report.posture.score}/100, grade **${report.posture.grade}**` : '';
  out.push(`| OWASP NHI Top 10 (2025)${grade} | Findings | Highest score | Identities |`, '|---|---:|---:|---:|');
  for (const r of postureRows(report)) {
    if (!r.assessed) out.push(`| ${r.id} ${r.name} | _not assessed_ | | |`);
    else out.push(`| ${r.id} ${r.name} | ${r.findings} | ${r.findings ? r.highestScore.toFixed(1) : '–'} | ${report.posture ? r.identities : '–'} |`);
  }
  out.push('');

  const risks = topRisks(report, 5);
  if (risks.length > 0) {
    out.push('#### Top risks', '');
    risks.forEach((f, i) => {
      const others = otherOccurrences(f, displayLocation(f)).length;
      out.push(`${i + 1}. ${ICON[f.severity]} **${f.score.toFixed(1)}** ${cell(f.title)} — ${where(report, f, base)}${others > 0 ? ` (+${plural(others, 'other place')})` : ''}`);
    });
    out.push('');
  }

  if (report.findings.length > 0) {
    const top = report.findings.slice(0, MARKDOWN_TOP);
    out.push(`#### ${top.length === report.findings.length ? 'Findings' : `Top ${top.length} findings`}`, '');
    out.push('| Severity | Finding | Where | Secret | OWASP |', '|---|---|---|---|---|');
    for (const f of top) {
      const secret = f.secret ? code(opts.showSecrets && f.secret.value !== undefined ? f.secret.value : f.secret.redacted) : '';
      const others = otherOccurrences(f, displayLocation(f)).length;
      const seen = others > 0 ? ` (+${plural(others, 'other place')})` : '';
      out.push(`| ${ICON[f.severity]} ${f.severity} ${f.score.toFixed(1)} | ${cell(f.title)} ${code(f.ruleId)} | ${where(report, f, base)}${seen} | ${secret} | ${f.owasp.join(' ')} |`);
    }
    if (top.length < report.findings.length) out.push('', `_… and ${report.findings.length - top.length} more: see the SARIF or JSON report._`);
    out.push('');
  }

  if (report.inventory) {
    const kinds = inventoryByKind(report.inventory);
    out.push(`**Inventory:** ${plural(report.inventory.length, 'identity', 'identities')}${kinds.length ? ` — ${kinds.map((k) => `${k.total} ${k.label}`).join(', ')}` : ''}`, '');
  }

  out.push(`<details><summary>${report.targets.length} target${report.targets.length === 1 ? '' : 's'} scanned</summary>`, '');
  for (const t of report.targets) out.push(targetLine(t));
  out.push('', '</details>', '');
  return `${out.join('\n')}\n`;
}
