import { pathToFileURL } from 'node:url';
import type { Finding, Location } from '../model/finding.js';
import { OWASP_NHI, OWASP_REFERENCE } from '../model/owasp.js';
import type { Report } from '../model/report.js';
import type { RuleMeta } from '../model/rule.js';
import type { Severity } from '../model/severity.js';
import { allRuleMetas } from '../rules/catalog.js';
import { INFORMATION_URI, TOOL_NAME, TOOL_VERSION } from '../util/version.js';
import { displayLocation, kindFamily, otherOccurrences, pathToUriRef, placeholderPath, repoName, repoPath } from './locate.js';
import type { RenderOptions } from './types.js';

/**
 * SARIF 2.1.0 for GitHub code scanning: one run, a rule table generated from the rule files, and a
 * physical location on every result (GitHub rejects the whole upload otherwise).
 */

export const SARIF_SCHEMA_URI = 'https://json.schemastore.org/sarif-2.1.0.json';
/** partialFingerprints key holding the finding id (rule + secret hash or resource): stable across runs. */
export const FINGERPRINT_KEY = 'nhiAuditFindingId/v1';
const MAX_RELATED = 50;
const MAX_NOTIFICATIONS = 100;

/** Options the SARIF renderer understands besides the common ones. */
export interface SarifRenderOptions extends RenderOptions {
  /** Rules not in the built-in catalog (custom rules from the config file). */
  extraRules?: RuleMeta[];
}

/** GitHub buckets: ≥9.0 critical, 7.0–8.9 high, 4.0–6.9 medium, 0.1–3.9 low. */
const SECURITY_SEVERITY: Record<Severity, string> = { critical: '9.5', high: '8.0', medium: '5.5', low: '3.0', info: '0.0' };
const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { critical: 'error', high: 'error', medium: 'warning', low: 'note', info: 'note' };

type Json = Record<string, unknown>;

function pascal(id: string): string {
  return id
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0].toUpperCase() + w.slice(1))
    .join('');
}

/** A rule seen only in a finding (a report from another version, or an unknown custom rule). */
function metaFromFinding(f: Finding): RuleMeta {
  return {
    id: f.ruleId,
    kind: f.secret ? 'secret' : 'check',
    title: f.title,
    description: f.title,
    severity: f.severity,
    owasp: f.owasp,
    remediation: f.remediation,
    references: [],
    precision: 'medium',
    group: 'other',
    file: '',
  };
}

function ruleDescriptor(m: RuleMeta): Json {
  const owasp = m.owasp.map((id) => `${id} ${OWASP_NHI[id]}`).join(', ');
  const refs = [...m.references, OWASP_REFERENCE];
  const text = `${m.description}\n\nOWASP NHI Top 10: ${owasp}\n\nRemediation:\n${m.remediation}\n\nReferences:\n${refs.map((r) => `- ${r}`).join('\n')}`;
  const markdown = `**${m.title}** (${m.severity}; OWASP ${owasp})\n\n${m.description}\n\n### Remediation\n\n${m.remediation}\n\n### References\n\n${refs.map((r) => `- <${r}>`).join('\n')}`;
  const tags = ['security', ...m.owasp, m.kind === 'secret' ? 'secret' : 'posture', m.group];
  if (m.kind === 'secret') tags.push('external/cwe/cwe-798');
  const d: Json = {
    id: m.id,
    name: pascal(m.id),
    shortDescription: { text: m.title },
    fullDescription: { text: m.description },
    help: { text, markdown },
    defaultConfiguration: { level: LEVEL[m.severity] },
    properties: {
      tags: [...new Set(tags)],
      'security-severity': SECURITY_SEVERITY[m.severity],
      precision: m.precision,
      'problem.severity': m.severity === 'critical' || m.severity === 'high' ? 'error' : m.severity === 'medium' ? 'warning' : 'recommendation',
    },
  };
  if (m.references[0]) d.helpUri = m.references[0];
  return d;
}

/** The rule table: every rule a result references, once, in order of first use. */
function ruleTable(report: Report, extra: RuleMeta[]): { rules: Json[]; index: Map<string, number> } {
  const known = new Map<string, RuleMeta>();
  for (const m of [...allRuleMetas(), ...extra]) if (!known.has(m.id)) known.set(m.id, m);
  const index = new Map<string, number>();
  const rules: Json[] = [];
  for (const f of report.findings) {
    if (index.has(f.ruleId)) continue;
    index.set(f.ruleId, rules.length);
    rules.push(ruleDescriptor(known.get(f.ruleId) ?? metaFromFinding(f)));
  }
  return { rules, index };
}

/** Artifact location for a path: repository-relative, or a file: URI for a path outside any target. */
function artifact(path: string): Json {
  if (path.startsWith('/') || /^[A-Za-z]:\//.test(path)) return { uri: pathToFileURL(path).href };
  return { uri: pathToUriRef(path), uriBaseId: '%SRCROOT%' };
}

function region(loc: Location): Json {
  const r: Json = { startLine: loc.line && loc.line > 0 ? loc.line : 1 };
  if (loc.line && loc.column && loc.column > 0) r.startColumn = loc.column;
  return r;
}

/** A physical location for any finding: its file, else the documented placeholder for its resource. */
function sarifLocation(report: Report, loc: Location): Json {
  // The URI names the file's exact bytes (percent-encoded), also when they are not UTF-8.
  const path = repoName(report, loc);
  const out: Json = {
    physicalLocation: { artifactLocation: artifact(path ?? placeholderPath(report, loc)), region: region(path ? loc : {}) },
  };
  if (loc.resource) out.logicalLocations = [{ fullyQualifiedName: loc.resource, name: loc.resource, kind: 'resource' }];
  return out;
}

function short(sha: string): string {
  return sha.slice(0, 12);
}

function resultMessage(report: Report, f: Finding, shown: Location, others: number): string {
  let text = f.message;
  if (f.location.resource && !text.includes(f.location.resource)) text += ` Resource: ${f.location.resource}.`;
  if (shown.commit) text += ` Introduced in commit ${short(shown.commit)}${shown.commitDate ? ` (${shown.commitDate.slice(0, 10)})` : ''}.`;
  else if (f.location.commit && f.location.commit !== shown.commit) text += ` First committed in ${short(f.location.commit)}${f.location.path ? ` (${repoPath(report, f.location)})` : ''}.`;
  if (shown.committed === false) text += ' Not committed yet.';
  if (others > 0) text += ` Also seen in ${others} other place${others === 1 ? '' : 's'} (see related locations).`;
  return text;
}

function result(report: Report, f: Finding, ruleIndex: number, showSecrets: boolean): Json {
  const shown = displayLocation(f);
  const others = otherOccurrences(f, shown);
  const primary = sarifLocation(report, shown);
  const r: Json = {
    ruleId: f.ruleId,
    ruleIndex,
    level: LEVEL[f.severity],
    kind: 'fail',
    message: { text: resultMessage(report, f, shown, others.length) },
    locations: [primary],
    partialFingerprints: { [FINGERPRINT_KEY]: f.id },
  };
  if (others.length > 0) {
    r.relatedLocations = others.slice(0, MAX_RELATED).map((o, i) => {
      const where = o.commit ? `${o.source} in commit ${short(o.commit)}` : o.source;
      return { id: i + 1, ...sarifLocation(report, o), message: { text: `Also seen here (${where})` } };
    });
  }
  const props: Json = { severity: f.severity, score: f.score, owasp: f.owasp, source: f.source, occurrences: f.occurrences.length };
  if (f.location.resource) props.resource = f.location.resource;
  if (shown.commit) props.commit = shown.commit;
  if (shown.committed !== undefined) props.committed = shown.committed;
  if (f.secret) {
    props.redacted = f.secret.redacted;
    if (showSecrets && f.secret.value !== undefined) props.secret = f.secret.value;
  }
  r.properties = props;
  return r;
}

/** `nhi-audit/<kind>/[<account or org>/]`: lets several scans of one repository coexist in GitHub. */
export function automationId(report: Report): string {
  const kinds = [...new Set(report.targets.map((t) => kindFamily(t.kind)))].sort();
  if (kinds.length === 0) return 'nhi-audit/code/';
  if (kinds.length === 1 && (kinds[0] === 'aws' || kinds[0] === 'github')) {
    const names = [...new Set(report.targets.map((t) => t.path.replace(/[^A-Za-z0-9._-]/g, '_')))].sort();
    return names.length === 1 ? `nhi-audit/${kinds[0]}/${names[0]}/` : `nhi-audit/${kinds[0]}/`;
  }
  return `nhi-audit/${kinds.join('+')}/`;
}

function invocation(report: Report): Json {
  const notifications: Json[] = [];
  for (const t of report.targets) {
    if (t.error) notifications.push({ level: 'error', message: { text: `${t.kind} ${t.path}: ${t.error}` } });
    for (const w of t.warnings ?? []) notifications.push({ level: 'warning', message: { text: `${t.kind} ${t.path}: ${w}` } });
  }
  const inv: Json = { executionSuccessful: !report.targets.some((t) => t.status === 'error') };
  if (report.startedAt) inv.startTimeUtc = report.startedAt;
  if (report.finishedAt) inv.endTimeUtc = report.finishedAt;
  if (notifications.length) inv.toolExecutionNotifications = notifications.slice(0, MAX_NOTIFICATIONS);
  return inv;
}

export function renderSarif(report: Report, opts: RenderOptions): string {
  const extra = (opts as SarifRenderOptions).extraRules ?? [];
  const { rules, index } = ruleTable(report, extra);
  const run: Json = {
    tool: {
      driver: { name: TOOL_NAME, semanticVersion: TOOL_VERSION, version: TOOL_VERSION, informationUri: INFORMATION_URI, rules },
    },
    automationDetails: { id: automationId(report) },
    invocations: [invocation(report)],
    results: report.findings.map((f) => result(report, f, index.get(f.ruleId)!, opts.showSecrets)),
    columnKind: 'utf16CodeUnits',
    properties: { summary: report.summary },
  };
  return `${JSON.stringify({ $schema: SARIF_SCHEMA_URI, version: '2.1.0', runs: [run] }, null, 2)}\n`;
}
