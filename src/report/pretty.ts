import { Chalk, type ChalkInstance } from 'chalk';
import type { Finding } from '../model/finding.js';
import { OWASP_IDS, OWASP_NHI } from '../model/owasp.js';
import type { Report } from '../model/report.js';
import { SEVERITIES, type Severity } from '../model/severity.js';
import type { RenderOptions } from './types.js';

function sevColor(c: ChalkInstance, s: Severity): (t: string) => string {
  return { critical: c.bgRed.white.bold, high: c.red.bold, medium: c.yellow, low: c.cyan, info: c.gray }[s];
}

function where(f: Finding): string {
  const l = f.location;
  if (l.path) return l.line ? `${l.path}:${l.line}${l.column ? `:${l.column}` : ''}` : l.path;
  return l.resource ?? '(no location)';
}

function groupKey(f: Finding): string {
  return f.location.path ?? f.location.resource ?? '(no location)';
}

function occLine(o: Finding['occurrences'][number]): string {
  const place = o.path ? `${o.path}${o.line ? `:${o.line}` : ''}` : (o.resource ?? '');
  const commit = o.commit ? ` @ ${o.commit.slice(0, 10)}${o.commitDate ? ` (${o.commitDate.slice(0, 10)})` : ''}` : '';
  return `${place}${commit} [${o.source}]`;
}

/**
 * Terminal text grouped by severity, then by file (or resource). Colour only when the caller says
 * the destination supports it, so pipes and CI logs get no escape codes.
 */
export function renderPretty(report: Report, opts: RenderOptions): string {
  const c = new Chalk({ level: opts.color ? 1 : 0 });
  const out: string[] = [];
  for (const sev of SEVERITIES) {
    const fs = report.findings.filter((f) => f.severity === sev);
    if (fs.length === 0) continue;
    out.push(sevColor(c, sev)(` ${sev.toUpperCase()} `) + c.bold(` ${fs.length} finding${fs.length === 1 ? '' : 's'}`), '');
    const groups = new Map<string, Finding[]>();
    for (const f of fs) groups.set(groupKey(f), [...(groups.get(groupKey(f)) ?? []), f]);
    for (const [file, list] of groups) {
      out.push(`  ${c.underline(file)}`);
      for (const f of list) {
        out.push(`    ${c.bold(f.title)} ${c.gray(`[${f.ruleId}]`)} ${c.magenta(f.owasp.join(' '))} score ${f.score.toFixed(1)}`);
        out.push(`      at ${where(f)}${f.location.commit ? ` in commit ${f.location.commit.slice(0, 10)}` : ''}${f.location.committed === false ? c.yellow(' (not committed)') : ''}`);
        if (f.secret) out.push(`      secret ${f.secret.value !== undefined ? c.red(f.secret.value) : f.secret.redacted}  ${c.gray(f.secret.fingerprint.slice(0, 23))}`);
        out.push(`      ${f.message}`);
        if (f.occurrences.length > 1) {
          out.push(`      seen ${f.occurrences.length} times:`);
          for (const o of f.occurrences.slice(0, 5)) out.push(`        - ${occLine(o)}`);
          if (f.occurrences.length > 5) out.push(`        … and ${f.occurrences.length - 5} more (see --format json)`);
        }
        out.push(`      ${c.green('fix:')} ${f.remediation.split('\n')[0]}`);
      }
      out.push('');
    }
  }
  out.push(c.bold('Targets'));
  for (const t of report.targets) {
    const st = t.status === 'ok' ? c.green(t.status) : t.status === 'partial' ? c.yellow(t.status) : c.red(t.status);
    const stats = Object.entries(t.stats)
      .filter(([, v]) => v !== 0)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ');
    out.push(`  ${t.kind} ${t.path}: ${st}${t.error ? ` — ${t.error}` : ''}${stats ? ` (${stats})` : ''}`);
    for (const w of (t.warnings ?? []).slice(0, 10)) out.push(c.yellow(`    ! ${w}`));
    if ((t.warnings?.length ?? 0) > 10) out.push(c.yellow(`    ! … ${t.warnings!.length - 10} more warnings (see --format json)`));
  }
  const s = report.summary;
  out.push('', c.bold('Summary'));
  out.push(`  ${s.total} finding${s.total === 1 ? '' : 's'}: ${SEVERITIES.map((x) => `${x} ${s.bySeverity[x]}`).join(', ')}`);
  for (const id of OWASP_IDS) {
    const v = s.byOwasp[id];
    out.push(`  ${id.padEnd(5)} ${OWASP_NHI[id].padEnd(42)} ${v === 'not assessed' ? c.gray(v) : v === 0 ? c.green('0') : c.red(String(v))}`);
  }
  return `${out.join('\n')}\n`;
}
