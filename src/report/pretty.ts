import { Chalk, type ChalkInstance } from 'chalk';
import type { Finding, Location } from '../model/finding.js';
import type { Report, TargetResult } from '../model/report.js';
import { SEVERITIES, type Severity } from '../model/severity.js';
import { nameOfLocation, visible } from '../util/raw-path.js';
import { TOOL_NAME } from '../util/version.js';
import type { RenderOptions } from './types.js';
import {
  durationSeconds,
  findingsOfTarget,
  fixLine,
  inventoryByKind,
  passedChecks,
  placeCount,
  placesOf,
  placeText,
  plural,
  postureRows,
  readText,
  ruleRows,
  secretText,
  skippedText,
  totalPlaces,
} from './view.js';

/**
 * The terminal report. Default: a header (targets, what was read, time, throughput), then the
 * findings by severity, one compact block each (severity, score, title, primary place, redacted
 * secret, number of other places, first line of the fix), then what passed per target, the OWASP
 * NHI Top 10 posture and the inventory by kind. --verbose adds full remediation, every place,
 * evidence and the checks that passed; --summary-only gives a per-rule table instead of blocks;
 * `--format compact` is one line per finding.
 */

/**
 * A place for the terminal: the file's exact name (bytes that are not UTF-8 as `\xe9`), control
 * characters as `\n`, `\t`, `\x1b` — a file name cannot move the cursor, color or fake a line.
 */
function placeShown(report: Report, l: Location): string {
  if (l.pathBase64 === undefined) return visible(placeText(report, l));
  const { pathBase64: _b, ...rest } = l;
  return visible(placeText(report, { ...rest, path: nameOfLocation(l) }));
}

function sevColor(c: ChalkInstance, s: Severity): (t: string) => string {
  return { critical: c.bgRed.white.bold, high: c.red.bold, medium: c.yellow.bold, low: c.cyan, info: c.gray }[s];
}

const SEV_SHORT: Record<Severity, string> = { critical: 'CRIT', high: 'HIGH', medium: 'MED ', low: 'LOW ', info: 'INFO' };

function statusMark(c: ChalkInstance, t: TargetResult): string {
  return t.status === 'ok' ? c.green('✔') : t.status === 'partial' ? c.yellow('⚠') : c.red('✖');
}

function header(report: Report, c: ChalkInstance): string[] {
  const out: string[] = [];
  const secs = durationSeconds(report);
  const bytes = report.targets.reduce((a, t) => a + (t.stats.bytes ?? 0), 0);
  const facts = [plural(report.targets.length, 'target')];
  const files = report.targets.reduce((a, t) => a + (t.stats.files ?? 0), 0);
  const blobs = report.targets.reduce((a, t) => a + (t.stats.blobs ?? 0), 0);
  if (files) facts.push(plural(files, 'file'));
  if (blobs) facts.push(plural(blobs, 'blob'));
  if (report.inventory?.length) facts.push(plural(report.inventory.length, 'identity', 'identities'));
  if (secs !== undefined) facts.push(`${secs.toFixed(1)} s`);
  if (secs && bytes) facts.push(`${(bytes / 1048576 / secs).toFixed(1)} MB/s`);
  if (report.finishedAt) facts.push(report.finishedAt.replace('T', ' ').replace(/\.\d+Z$|Z$/, ' UTC'));
  out.push(`${c.bold.cyan(TOOL_NAME)} ${c.gray(report.tool.version)}  ${facts.join(' · ')}`);
  const w = Math.min(14, Math.max(...report.targets.map((t) => t.kind.length), 4));
  for (const t of report.targets) {
    const read = readText(t);
    const extra = t.status === 'error' ? c.red(` — ${visible(t.error ?? 'not scanned')}`) : read ? c.gray(` — ${read}`) : '';
    out.push(`  ${statusMark(c, t)} ${t.kind.padEnd(w)} ${visible(t.path)}${extra}`);
  }
  return out;
}

function findingBlock(report: Report, f: Finding, c: ChalkInstance, opts: RenderOptions): string[] {
  const places = placesOf(f);
  const others = places.length - 1;
  const tag = sevColor(c, f.severity)(` ${SEV_SHORT[f.severity]} `);
  const out = [`${tag} ${c.bold(f.score.toFixed(1))}  ${c.bold(f.title)}  ${c.gray(`${f.ruleId} · ${f.owasp.join(' ')}`)}`];
  const where = [c.underline(placeShown(report, places[0]))];
  if (places[0].committed === false) where.push(c.yellow('not committed'));
  const secret = secretText(f, opts.showSecrets);
  if (secret !== undefined) where.push(`secret ${opts.showSecrets && f.secret?.value !== undefined ? c.red(secret) : secret}`);
  if (others > 0) where.push(c.gray(`+${plural(others, 'other place')}`));
  out.push(`       ${where.join('  ')}`);
  if (opts.verbose) {
    out.push(`       ${c.gray(f.message)}`);
    if (others > 0) {
      out.push(`       ${c.bold(`${places.length} places:`)}`);
      for (const p of places) out.push(`         - ${placeShown(report, p)}${p.source ? c.gray(` [${p.source}]`) : ''}`);
    }
    if (f.evidence && Object.keys(f.evidence).length) {
      out.push(`       ${c.bold('evidence:')}`);
      for (const [k, v] of Object.entries(f.evidence)) out.push(`         ${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`);
    }
    out.push(`       ${c.green('fix:')}`);
    for (const line of f.remediation.trim().split('\n')) out.push(line.trim() ? `         ${line}` : '');
  } else out.push(`       ${c.green('fix:')} ${fixLine(f)}`);
  return out;
}

function passedSection(report: Report, c: ChalkInstance, opts: RenderOptions): string[] {
  const out: string[] = [c.bold('Checked')];
  report.targets.forEach((t, i) => {
    const n = findingsOfTarget(report, i).length;
    const read = readText(t);
    const skipped = skippedText(t);
    let line = `  ${statusMark(c, t)} ${t.kind} ${visible(t.path)}: `;
    if (t.status === 'error') line += c.red(`not scanned — ${visible(t.error ?? 'error')}`);
    else line += `${read || 'nothing to read'}${n === 0 ? c.green(' — no findings') : ` — ${plural(n, 'finding')}`}`;
    const passed = passedChecks(report, i);
    if (passed.length && !opts.verbose) line += c.green(`; ${plural(passed.length, 'check')} passed`);
    out.push(line);
    if (t.status === 'partial' && t.error) out.push(c.yellow(`      partly read: ${visible(t.error)}`));
    if (skipped) out.push(c.gray(`      ${skipped}`));
    if (t.looked?.length && !t.stats.configsFound) {
      out.push(c.yellow(`      nothing found; looked in:`));
      for (const p of t.looked) out.push(c.gray(`        ${p}`));
    } else if (t.looked?.length && opts.verbose) out.push(c.gray(`      looked in ${t.looked.join(', ')}`));
    const warnings = t.warnings ?? [];
    const limit = opts.verbose ? warnings.length : 5;
    for (const w of warnings.slice(0, limit)) out.push(c.yellow(`      ! ${visible(w)}`));
    if (warnings.length > limit) out.push(c.yellow(`      ! … ${plural(warnings.length - limit, 'more warning')} (--verbose)`));
    if (opts.verbose) {
      if (passed.length) out.push(c.green(`      passed: ${passed.join(', ')}`));
      if (t.assessed?.length) out.push(c.gray(`      assessed: ${t.assessed.join(' ')}`));
    }
  });
  return out;
}

function postureSection(report: Report, c: ChalkInstance): string[] {
  const rows = postureRows(report);
  const title = report.posture ? `OWASP NHI Top 10 (2025) — posture ${report.posture.score}/100, grade ${report.posture.grade}` : 'OWASP NHI Top 10 (2025)';
  const out = [c.bold(title)];
  for (const r of rows) {
    const name = `${r.id.padEnd(5)} ${r.name.padEnd(42)}`;
    if (!r.assessed) {
      out.push(`  ${c.gray(`${name} not assessed`)}`);
      continue;
    }
    if (r.findings === 0) {
      out.push(`  ${name} ${c.green('0 findings')}`);
      continue;
    }
    const sev = SEVERITIES.filter((s) => r.bySeverity[s] > 0).map((s) => `${r.bySeverity[s]} ${s}`).join(', ');
    const idents = r.identities ? `, ${plural(r.identities, 'identity', 'identities')}` : '';
    out.push(`  ${name} ${c.red(plural(r.findings, 'finding').padEnd(12))} highest ${r.highestScore.toFixed(1)}  ${c.gray(`(${sev}${idents})`)}`);
  }
  return out;
}

function inventorySection(report: Report, c: ChalkInstance): string[] {
  if (!report.inventory) return [];
  const kinds = inventoryByKind(report.inventory);
  const out = [c.bold(`Inventory: ${plural(report.inventory.length, 'identity', 'identities')}`)];
  if (!kinds.length) out.push('  none seen');
  for (const k of kinds) out.push(`  ${String(k.total).padStart(5)}  ${k.label.padEnd(24)} ${k.withFindings ? c.red(`${k.withFindings} with findings`) : c.green('no findings')}`);
  return out;
}

function totals(report: Report, c: ChalkInstance): string {
  const s = report.summary;
  if (s.total === 0) return c.green.bold('No findings.');
  const sev = SEVERITIES.filter((x) => s.bySeverity[x] > 0).map((x) => sevColor(c, x)(`${s.bySeverity[x]} ${x}`));
  return `${c.bold(plural(s.total, 'finding'))} in ${plural(totalPlaces(report), 'place')}: ${sev.join(', ')}`;
}

function ruleTable(report: Report, c: ChalkInstance): string[] {
  const rows = ruleRows(report);
  if (!rows.length) return [];
  const w = Math.min(40, Math.max(4, ...rows.map((r) => r.ruleId.length)));
  const out = [c.bold(`${' SEV   '}${'rule'.padEnd(w)}  findings  places  highest  title`)];
  for (const r of rows) out.push(`${sevColor(c, r.severity)(` ${SEV_SHORT[r.severity]} `)} ${r.ruleId.padEnd(w)}  ${String(r.findings).padStart(8)}  ${String(r.places).padStart(6)}  ${r.highestScore.toFixed(1).padStart(7)}  ${r.title}`);
  return out;
}

export function renderPretty(report: Report, opts: RenderOptions): string {
  const c = new Chalk({ level: opts.color ? 1 : 0 });
  const out: string[] = [...header(report, c), ''];
  if (opts.summaryOnly) {
    const t = ruleTable(report, c);
    if (t.length) out.push(...t, '');
  } else {
    for (const sev of SEVERITIES) {
      const fs = report.findings.filter((f) => f.severity === sev);
      if (fs.length === 0) continue;
      out.push(sevColor(c, sev)(` ${sev.toUpperCase()} `) + c.bold(` ${plural(fs.length, 'finding')}`), '');
      for (const f of fs) out.push(...findingBlock(report, f, c, opts), '');
    }
  }
  out.push(...passedSection(report, c, opts), '');
  out.push(...postureSection(report, c), '');
  const inv = inventorySection(report, c);
  if (inv.length) out.push(...inv, '');
  out.push(totals(report, c));
  return `${out.join('\n')}\n`;
}

/** `--format compact`: one line per finding, then the totals line. */
export function renderCompact(report: Report, opts: RenderOptions): string {
  const c = new Chalk({ level: opts.color ? 1 : 0 });
  const out: string[] = [];
  for (const f of report.findings) {
    const n = placeCount(f) - 1;
    const secret = secretText(f, opts.showSecrets);
    out.push(
      [sevColor(c, f.severity)(SEV_SHORT[f.severity]), f.score.toFixed(1), placeShown(report, placesOf(f)[0]), f.ruleId, ...(secret !== undefined ? [secret] : []), ...(n > 0 ? [`+${plural(n, 'place')}`] : []), f.title].join('  '),
    );
  }
  out.push(totals(report, c));
  return `${out.join('\n')}\n`;
}
