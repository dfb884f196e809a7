import type { Finding } from '../model/finding.js';
import { OWASP_NHI, OWASP_REFERENCE } from '../model/owasp.js';
import type { Report } from '../model/report.js';
import { SEVERITIES } from '../model/severity.js';
import { allRuleMetas } from '../rules/catalog.js';
import { CLIENT_JS } from './html/client.js';
import { HTML_CSS } from './html/style.js';
import { firstParagraph } from './locate.js';
import type { RenderOptions } from './types.js';
import {
  durationSeconds,
  findingsOfTarget,
  inventoryByKind,
  passedChecks,
  placeCount,
  placesOf,
  placeText,
  postureRows,
  readText,
  secretText,
  skippedText,
  topRisks,
  totalPlaces,
} from './view.js';

/**
 * `--format html`: one self-contained page (inline CSS and script, no fetch of any kind: the
 * Content-Security-Policy forbids connections, images from elsewhere and frames), readable from
 * file:// and offline. The report is embedded as JSON in a <script type="application/json"> block
 * with `<`, `>`, `&` and the JS line separators escaped, and the page script builds every element
 * with textContent, so scanned content (a file named `<script>…`) renders as text. Secret values
 * are left out of the data unless --show-secrets.
 */

const CSP = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

/** Escape text for HTML element content and attribute values. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!);
}

/** JSON safe inside a <script> element: nothing in it can close the element or open a comment. */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

function references(f: Finding, byRule: Map<string, string[]>): string[] {
  const refs = [...(byRule.get(f.ruleId) ?? [])];
  if (!refs.includes(OWASP_REFERENCE)) refs.push(OWASP_REFERENCE);
  return refs;
}

function ruleReferences(): Map<string, string[]> {
  try {
    return new Map(allRuleMetas().map((m) => [m.id, m.references]));
  } catch {
    return new Map();
  }
}

/** What the page script reads: the report, flattened for display, with no secret value unless asked. */
export function htmlData(report: Report, opts: RenderOptions): Record<string, unknown> {
  const refs = ruleReferences();
  const findings = report.findings.map((f) => {
    const places = placesOf(f);
    const secret = secretText(f, opts.showSecrets);
    const sources = [...new Set([f.source, ...f.occurrences.map((o) => o.source)])];
    const targets = [...new Set([f.location.target ?? 0, ...f.occurrences.map((o) => o.target ?? 0)])];
    const where = placeText(report, places[0]);
    const placeList = places.map((p) => ({ text: placeText(report, p), source: p.source ?? '' }));
    return {
      id: f.id,
      ruleId: f.ruleId,
      title: f.title,
      severity: f.severity,
      score: f.score,
      owasp: f.owasp,
      source: f.source,
      sources,
      targets,
      where,
      places: placeCount(f),
      others: placeCount(f) - 1,
      placeList,
      secret: secret ?? null,
      message: f.message,
      remediation: f.remediation,
      fix: firstParagraph(f.remediation),
      evidence: f.evidence && Object.keys(f.evidence).length ? f.evidence : null,
      references: references(f, refs),
      search: [f.title, f.ruleId, f.message, where, ...placeList.map((p) => p.text), f.owasp.join(' '), f.source].join('\n').toLowerCase(),
    };
  });
  return {
    tool: report.tool,
    startedAt: report.startedAt ?? null,
    finishedAt: report.finishedAt ?? null,
    durationSeconds: durationSeconds(report) ?? null,
    owaspNames: OWASP_NHI,
    posture: report.posture ? { score: report.posture.score, grade: report.posture.grade } : null,
    categories: postureRows(report),
    bySeverity: Object.fromEntries(SEVERITIES.map((s) => [s, report.summary.bySeverity[s] ?? 0])),
    totalPlaces: totalPlaces(report),
    topRisks: topRisks(report, 5).map((f) => f.id),
    findings,
    hasInventory: report.inventory !== undefined,
    inventory: (report.inventory ?? []).map((r) => ({ ...r, keys: undefined })),
    kinds: inventoryByKind(report.inventory),
    targets: report.targets.map((t, i) => ({
      kind: t.kind,
      path: t.path,
      status: t.status,
      error: t.error ?? null,
      warnings: t.warnings ?? [],
      read: readText(t),
      skipped: skippedText(t),
      looked: t.looked ?? [],
      passed: passedChecks(report, i),
      findings: findingsOfTarget(report, i).length,
    })),
  };
}

export function renderHtml(report: Report, opts: RenderOptions): string {
  const data = htmlData(report, opts);
  const s = report.summary;
  const title = `nhi-audit report — ${s.total} finding${s.total === 1 ? '' : 's'}${report.finishedAt ? ` — ${report.finishedAt.slice(0, 10)}` : ''}`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(CSP)}">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="nhi-audit ${escapeHtml(report.tool.version)}">
<title>${escapeHtml(title)}</title>
<style>${HTML_CSS}</style>
</head>
<body>
<header class="top">
  <div><h1>nhi-audit</h1><div id="meta" class="muted"></div></div>
  <div class="muted small">OWASP Non-Human Identities Top 10 (2025)</div>
</header>
<main>
  <section class="posture">
    <div id="grade" class="grade-box"></div>
    <div id="categories" class="cards"></div>
  </section>
  <section class="row">
    <div class="panel-box"><h2>Findings by severity</h2><div id="chart" class="chart" role="img" aria-label="Findings by severity"></div></div>
    <div class="panel-box grow"><h2>Top risks</h2><ol id="top" class="top-risks"></ol></div>
  </section>
  <section id="findings" class="panel-box">
    <h2>Findings <span id="shown" class="muted small"></span></h2>
    <div class="filters">
      <select id="f-sev" aria-label="severity" data-testid="filter-severity"></select>
      <select id="f-owasp" aria-label="OWASP category" data-testid="filter-owasp"></select>
      <select id="f-source" aria-label="source" data-testid="filter-source"></select>
      <select id="f-target" aria-label="target" data-testid="filter-target"></select>
      <input id="f-text" type="search" placeholder="search title, rule, path, message" aria-label="search" data-testid="filter-text">
      <button id="f-reset" type="button">reset</button>
    </div>
    <table>
      <thead><tr>
        <th data-sort="severity">severity</th><th data-sort="score">score</th><th data-sort="title">finding</th><th data-sort="where">where</th>
        <th data-sort="places">places</th><th>OWASP</th><th data-sort="source">source</th><th>secret</th>
      </tr></thead>
      <tbody id="findings-body"></tbody>
    </table>
  </section>
  <section class="panel-box"><h2>Inventory</h2><div id="inventory"></div></section>
  <section class="panel-box"><h2>Targets</h2>
    <table><thead><tr><th>status</th><th>kind</th><th>target</th><th>read</th><th>findings</th><th>notes</th></tr></thead><tbody id="targets-body"></tbody></table>
  </section>
</main>
<aside id="panel" class="detail" hidden aria-hidden="true" data-testid="detail">
  <div class="detail-head"><h2 id="panel-title"></h2><button id="panel-close" type="button" aria-label="close">✕</button></div>
  <div id="panel-body"></div>
</aside>
<noscript><p>This report needs JavaScript to display; its data is in the page source (JSON) and in <code>--format json</code>.</p></noscript>
<script type="application/json" id="nhi-data">${scriptJson(data)}</script>
<script>${CLIENT_JS}</script>
</body>
</html>
`;
}
