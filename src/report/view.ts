import type { Finding, Location, Occurrence } from '../model/finding.js';
import type { IdentityKind, InventoryRow } from '../model/identity.js';
import { OWASP_IDS, OWASP_NHI, type OwaspId } from '../model/owasp.js';
import type { CategoryPosture, Report, TargetResult } from '../model/report.js';
import { SEVERITIES, severityRank, type Severity } from '../model/severity.js';
import { displayLocation, firstParagraph, otherOccurrences, repoPath } from './locate.js';

/**
 * What every human-facing format (pretty, compact, markdown, HTML, the dashboard) shows, computed
 * once so they agree with each other and with the JSON: one vocabulary — a *finding* is one
 * credential or problem, a *place* is where it was seen (JSON `occurrences`, deduplicated by file
 * line or resource) — one primary location, the same posture rows and inventory counts.
 */

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
}

/** The place shown first: the current file when it still holds the secret, else the introducing commit. */
export function primaryPlace(f: Finding): Location {
  return displayLocation(f);
}

/** Every distinct place, the primary first. */
export function placesOf(f: Finding): Array<Location & { source?: string }> {
  const shown = displayLocation(f);
  const primary = f.occurrences.find((o) => sameLine(o, shown)) ?? { ...shown, source: f.source };
  return [primary, ...otherOccurrences(f, shown)];
}

function sameLine(a: Location, b: Location): boolean {
  return (a.target ?? 0) === (b.target ?? 0) && (a.path ?? '') === (b.path ?? '') && (a.line ?? 0) === (b.line ?? 0) && (a.commit ?? '') === (b.commit ?? '') && (a.path ? true : a.resource === b.resource);
}

export function placeCount(f: Finding): number {
  return 1 + otherOccurrences(f, displayLocation(f)).length;
}

/** `path:line`, `path:line @ 6158eff4a1 (2024-03-14)` for a history-only place, or the resource. */
export function placeText(report: Report, l: Location, opts: { commit?: boolean } = {}): string {
  const path = repoPath(report, l);
  let s = path ? `${path}${l.line ? `:${l.line}` : ''}` : (l.resource ?? '(no location)');
  if (path && l.resource && !l.resource.startsWith('arn:') && l.resource.startsWith('github:')) s = `${l.resource.replace(/^github:/, '')} ${s}`;
  if (opts.commit !== false && l.commit) s += ` @ ${l.commit.slice(0, 10)}${l.commitDate ? ` (${l.commitDate.slice(0, 10)})` : ''}`;
  return s;
}

export function fixLine(f: Finding): string {
  return firstParagraph(f.remediation).split(/(?<=\.)\s/)[0];
}

export function secretText(f: Finding, showSecrets: boolean): string | undefined {
  if (!f.secret) return undefined;
  return showSecrets && f.secret.value !== undefined ? f.secret.value : f.secret.redacted;
}

/** Findings by score, highest first (ties: severity, then title). */
export function topRisks(report: Report, n = 5): Finding[] {
  return [...report.findings].sort((a, b) => b.score - a.score || severityRank(b.severity) - severityRank(a.severity) || a.title.localeCompare(b.title)).slice(0, n);
}

/** The ten category rows: the report's posture when the pipeline computed it, else derived from the summary. */
export function postureRows(report: Report): CategoryPosture[] {
  if (report.posture?.categories?.length) return report.posture.categories;
  return OWASP_IDS.map((id: OwaspId) => {
    const fs = report.findings.filter((f) => f.owasp.includes(id));
    const bySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, fs.filter((f) => f.severity === s).length])) as Record<Severity, number>;
    const v = report.summary.byOwasp[id];
    return { id, name: OWASP_NHI[id], assessed: v !== 'not assessed' || fs.length > 0, findings: fs.length, bySeverity, highestScore: Math.max(0, ...fs.map((f) => f.score)), identities: 0 };
  });
}

export const KIND_LABEL: Record<IdentityKind, [string, string]> = {
  'aws-user': ['AWS user', 'AWS users'],
  'aws-role': ['AWS role', 'AWS roles'],
  'aws-access-key': ['AWS access key', 'AWS access keys'],
  'aws-root': ['AWS root user', 'AWS root users'],
  'github-deploy-key': ['GitHub deploy key', 'GitHub deploy keys'],
  'github-app': ['GitHub app', 'GitHub apps'],
  'github-actions-secret': ['GitHub Actions secret', 'GitHub Actions secrets'],
  'github-webhook': ['GitHub webhook', 'GitHub webhooks'],
  'github-token': ['GitHub token', 'GitHub tokens'],
  'github-environment': ['GitHub environment', 'GitHub environments'],
  'mcp-server': ['MCP server', 'MCP servers'],
  'leaked-credential': ['leaked credential', 'leaked credentials'],
};

export interface KindCount {
  kind: IdentityKind;
  label: string;
  total: number;
  withFindings: number;
}

export function inventoryByKind(rows: InventoryRow[] | undefined): KindCount[] {
  const m = new Map<IdentityKind, KindCount>();
  for (const r of rows ?? []) {
    const c = m.get(r.kind) ?? { kind: r.kind, label: '', total: 0, withFindings: 0 };
    c.total++;
    const l = KIND_LABEL[r.kind] ?? [r.kind, r.kind];
    c.label = c.total === 1 ? l[0] : l[1];
    if (r.findings.length > 0) c.withFindings++;
    m.set(r.kind, c);
  }
  return [...m.values()].sort((a, b) => b.total - a.total || a.label.localeCompare(b.label));
}

/** Target stats as words (zero counts and internal counters left out). `findings` there counts places, so it is not shown. */
const STAT_WORDS: Record<string, [string, string]> = {
  files: ['file', 'files'],
  blobs: ['blob', 'blobs'],
  commits: ['commit', 'commits'],
  repositories: ['repository', 'repositories'],
  users: ['user', 'users'],
  roles: ['role', 'roles'],
  accessKeys: ['access key', 'access keys'],
  listedAccessKeys: ['access key', 'access keys'],
  policies: ['policy', 'policies'],
  servers: ['MCP server', 'MCP servers'],
  tools: ['tool exposed', 'tools exposed'],
  requests: ['request', 'requests'],
  approvals: ['approval', 'approvals'],
  deployKeys: ['deploy key', 'deploy keys'],
  apps: ['app', 'apps'],
  actionsSecrets: ['Actions secret', 'Actions secrets'],
  webhooks: ['webhook', 'webhooks'],
  leakedKeyIds: ['leaked key id checked', 'leaked key ids checked'],
  checksRun: ['check run', 'checks run'],
  configsFound: ['config found', 'configs found'],
  placesLooked: ['place looked in', 'places looked in'],
};
const HIDDEN = new Set(['findings', 'bytes', 'blobBytes', 'retries', 'apiCalls', 'authorizationPages', 'checksSkipped']);

function humanKey(k: string): string {
  return k
    .replace(/^skipped/, '')
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase();
}

/** What was read from a target, in words: `1,204 files, 3,310 blobs, 412 commits (41.3 MB)`. */
export function readText(t: TargetResult): string {
  const parts: string[] = [];
  for (const [k, v] of Object.entries(t.stats)) {
    if (HIDDEN.has(k) || k.startsWith('skipped') || k === 'allowlisted' || k === 'baselined') continue;
    if (!v && k !== 'configsFound') continue;
    const w = STAT_WORDS[k];
    parts.push(w ? plural(v, w[0], w[1]) : `${humanKey(k)} ${v.toLocaleString('en-US')}`);
  }
  let s = parts.join(', ');
  if (t.stats.bytes) s += `${s ? ' ' : ''}(${(t.stats.bytes / 1048576).toFixed(1)} MB)`;
  return s;
}

/** What was left out of a target, in words: `skipped 12 binary, 2 large; 3 allowlisted`. */
export function skippedText(t: TargetResult): string {
  const skipped = Object.entries(t.stats)
    .filter(([k, v]) => k.startsWith('skipped') && v > 0)
    .map(([k, v]) => `${v.toLocaleString('en-US')} ${humanKey(k)}`);
  const out: string[] = [];
  if (skipped.length) out.push(`skipped ${skipped.join(', ')}`);
  if (t.stats.allowlisted) out.push(`${t.stats.allowlisted} allowlisted`);
  if (t.stats.baselined) out.push(`${t.stats.baselined} in the baseline`);
  return out.join('; ');
}

export function findingsOfTarget(report: Report, i: number): Finding[] {
  return report.findings.filter((f) => f.occurrences.some((o) => (o.target ?? 0) === i) || (f.location.target ?? 0) === i);
}

/** Checks that ran on a target and raised nothing: they passed. */
export function passedChecks(report: Report, i: number): string[] {
  const t = report.targets[i];
  if (!t.checks?.length) return [];
  const raised = new Set(findingsOfTarget(report, i).map((f) => f.ruleId));
  return t.checks.filter((c) => !raised.has(c));
}

export interface RuleRow {
  ruleId: string;
  title: string;
  severity: Severity;
  findings: number;
  places: number;
  highestScore: number;
  owasp: OwaspId[];
}

export function ruleRows(report: Report): RuleRow[] {
  const m = new Map<string, RuleRow>();
  for (const f of report.findings) {
    const r = m.get(f.ruleId) ?? { ruleId: f.ruleId, title: f.title, severity: f.severity, findings: 0, places: 0, highestScore: 0, owasp: [] };
    r.findings++;
    r.places += placeCount(f);
    r.highestScore = Math.max(r.highestScore, f.score);
    if (severityRank(f.severity) > severityRank(r.severity)) r.severity = f.severity;
    for (const o of f.owasp) if (!r.owasp.includes(o)) r.owasp.push(o);
    m.set(f.ruleId, r);
  }
  return [...m.values()].sort((a, b) => severityRank(b.severity) - severityRank(a.severity) || b.highestScore - a.highestScore || a.ruleId.localeCompare(b.ruleId));
}

/** Total places across findings (what "in N places" counts). */
export function totalPlaces(report: Report): number {
  return report.findings.reduce((a, f) => a + placeCount(f), 0);
}

/** Seconds the run took, when the report says. */
export function durationSeconds(report: Report): number | undefined {
  if (!report.startedAt || !report.finishedAt) return undefined;
  const s = (Date.parse(report.finishedAt) - Date.parse(report.startedAt)) / 1000;
  return Number.isFinite(s) && s >= 0 ? s : undefined;
}

export function occurrenceSource(o: Occurrence | (Location & { source?: string })): string {
  return 'source' in o && o.source ? o.source : '';
}
