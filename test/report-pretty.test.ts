import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Finding } from '../src/model/finding.js';
import type { Report } from '../src/model/report.js';
import { displayLocation } from '../src/report/locate.js';
import { renderJson } from '../src/report/json.js';
import { renderMarkdown } from '../src/report/markdown.js';
import { renderCompact, renderPretty } from '../src/report/pretty.js';
import { renderSarif } from '../src/report/sarif.js';
import { placeCount, totalPlaces } from '../src/report/view.js';
import { expectValidReport } from './helpers/report.js';

const load = (name: string): Report => JSON.parse(readFileSync(new URL(`./fixtures/reports/${name}`, import.meta.url), 'utf8'));
const audit = load('audit.json');
const clean = load('clean-mcp.json');
const opts = { color: false, showSecrets: false };

/** The block of one finding in the default view: from its header line to the blank line after it. */
function blockOf(text: string, f: Finding): string[] {
  const lines = text.split('\n');
  const start = lines.findIndex((l) => l.includes(`  ${f.title}  `));
  const end = lines.indexOf('', start);
  return lines.slice(start, end);
}

describe('pretty: one compact block per finding (issue 11: 10–13 lines each, title three times)', () => {
  const text = renderPretty(audit, opts);
  it('is three lines per finding, the title once', () => {
    for (const f of audit.findings) {
      const block = blockOf(text, f);
      expect(block.length, block.join('\n')).toBe(3);
      expect(text.split(f.title).length - 1, f.title).toBe(1);
      expect(block[0]).toMatch(new RegExp(`^ (CRIT|HIGH|MED |LOW |INFO)  ${f.score.toFixed(1)}  `));
      expect(block[2]).toMatch(/^ {7}fix: /);
    }
  });
  it('groups by severity with counts', () => {
    expect(text).toContain(' CRITICAL  2 findings');
    expect(text).toContain(' HIGH  5 findings');
    expect(text.indexOf(' CRITICAL ')).toBeLessThan(text.indexOf(' HIGH  5'));
  });
  it('a header with the targets, what was read, time and throughput', () => {
    const head = text.split('\n').slice(0, 6).join('\n');
    expect(head).toMatch(/^nhi-audit 0\.1\.0 {2}5 targets · 6,414 files · 3,310 blobs · 15 identities · 14\.2 s · 2\.9 MB\/s/);
    expect(head).toContain('✔ code         acme/payments-api — 1,204 files, 3,310 blobs, 412 commits (41.3 MB)');
    expect(head).toContain('✔ mcp-endpoint https://mcp.acme.internal/mcp — 6 requests, 12 tools exposed');
  });
  it('the primary place is the current file when it still holds the secret, as in SARIF (issue 11: pretty showed the old history path)', () => {
    const key = audit.findings.find((f) => f.ruleId === 'aws-access-key')!;
    expect(blockOf(text, key)[1]).toMatch(/^ {7}acme\/payments-api\/scripts\/sync\.sh:3 {2}secret AKIA…7Q2M {2}\+2 other places$/);
    const sarif = JSON.parse(renderSarif(audit, { ...opts, extraRules: [] } as never));
    const r = sarif.runs[0].results.find((x: { ruleId: string }) => x.ruleId === 'aws-access-key');
    expect(r.locations[0].physicalLocation.artifactLocation.uri).toBe('acme/payments-api/scripts/sync.sh');
    expect(displayLocation(key).path).toBe('scripts/sync.sh');
    // only in history: the commit that introduced it
    const slack = audit.findings.find((f) => f.ruleId === 'slack-bot-token')!;
    expect(blockOf(text, slack)[1]).toContain('services/notify/slack.js:7 @ 9be01c3d2e (2023-11-02)');
  });
  it('the fix is the whole first sentence, never cut mid-line (issue 11: "…revoke it from the")', () => {
    const f: Finding = { ...audit.findings[2], remediation: 'Revoke it from the\nprovider console, then rotate: 100% of the time.\n\nMore text.' };
    const r = renderPretty({ ...audit, findings: [f] }, opts);
    expect(r).toContain('fix: Revoke it from the provider console, then rotate: 100% of the time.\n');
    expect(r).not.toContain('More text');
  });
});

describe('pretty --verbose', () => {
  const text = renderPretty(audit, { ...opts, verbose: true });
  it('the full remediation, every place, the evidence', () => {
    const key = audit.findings.find((f) => f.ruleId === 'aws-access-key')!;
    for (const line of key.remediation.split('\n').filter((l) => l.trim())) expect(text).toContain(line);
    expect(text).toContain('3 places:');
    expect(text).toContain('- acme/payments-api/deploy/.env:3 @ 6158eff4a1 (2024-03-14) [git-history]');
    expect(text).toContain('- acme/data-jobs .github/workflows/nightly.yml:22 [github]');
    expect(text).toContain('keyAgeDays: 631');
  });
  it('the checks that ran and passed', () => {
    const v = renderPretty(clean, { ...opts, verbose: true });
    expect(v).toContain('passed: mcp-endpoint-no-auth, mcp-endpoint-accepts-invalid-token');
  });
});

describe('one vocabulary: "findings" and "places", agreeing with the JSON (issue 11: 12324 vs 119, "seen 24 times", "+11 more")', () => {
  const outputs = { pretty: renderPretty(audit, opts), verbose: renderPretty(audit, { ...opts, verbose: true }), compact: renderCompact(audit, opts), markdown: renderMarkdown(audit, opts, {}) };
  for (const [name, text] of Object.entries(outputs)) {
    it(name, () => {
      expect(text).not.toMatch(/\bseen \d+ times|\bSeen in|\+\d+ more\b|\bmore \(see/i);
      expect(text).not.toMatch(/\bfindings \d/); // no raw stats counter beside the real count
      expect(text).not.toMatch(/skipped[A-Z]\w*|: 0\b/); // no camelCase stat keys, no zero counts
    });
  }
  it('totals agree with the JSON', () => {
    const json = JSON.parse(renderJson(audit));
    const places = json.findings.reduce((a: number, f: Finding) => a + placeCount(f), 0);
    expect(places).toBe(totalPlaces(audit));
    expect(outputs.pretty.trimEnd().split('\n').pop()).toBe(`${json.summary.total} findings in ${places} places: 2 critical, 5 high, 3 medium, 2 low`);
    expect(outputs.compact.trimEnd().split('\n').pop()).toBe(`${json.summary.total} findings in ${places} places: 2 critical, 5 high, 3 medium, 2 low`);
    for (const f of audit.findings) {
      const n = placeCount(f) - 1;
      if (n > 0) expect(outputs.pretty).toContain(`+${n} other place${n === 1 ? '' : 's'}`);
    }
  });
});

describe('what passed is visible', () => {
  it('a clean MCP endpoint says what it checked (issue 11: only "ok (requests 6)")', () => {
    const text = renderPretty(clean, opts);
    expect(text).toContain('✔ mcp-endpoint https://tools.acme.example/mcp: 6 requests, 3 tools exposed — no findings; 6 checks passed');
    expect(text).toContain('No findings.');
  });
  it('mcp --discover that finds nothing says where it looked', () => {
    const text = renderPretty(clean, opts);
    expect(text).toContain('mcp-discovery MCP client configs: 0 configs found');
    expect(text).toContain('nothing found; looked in:\n        /home/dev/.claude.json');
    expect(renderMarkdown(clean, opts, {})).toContain('nothing found; looked in `/home/dev/.claude.json`');
  });
  it('per target: what was read, what was skipped, findings', () => {
    const text = renderPretty(audit, opts);
    expect(text).toContain('✔ code acme/payments-api: 1,204 files, 3,310 blobs, 412 commits (41.3 MB) — 4 findings\n      skipped 12 binary, 2 large\n');
    expect(text).toContain('⚠ github acme: 18 repositories');
    expect(text).toContain('! acme/legacy-billing: archived, not scanned');
  });
});

describe('posture and inventory at the end', () => {
  it('ten categories, with "not assessed"', () => {
    const text = renderPretty(audit, opts);
    expect(text).toContain('OWASP NHI Top 10 (2025) — posture 34/100, grade E');
    expect(text).toMatch(/NHI2 {2}Secret Leakage +5 findings +highest 9\.8 {2}\(1 critical, 3 high, 1 low, 5 identities\)/);
    const c = renderPretty(clean, opts);
    expect(c).toMatch(/NHI1 {2}Improper Offboarding +not assessed/);
    expect(c).toMatch(/NHI4 {2}Insecure Authentication +0 findings/);
    expect(c.match(/^ {2}NHI\d+ /gm)?.length).toBe(10);
  });
  it('the inventory by kind', () => {
    const text = renderPretty(audit, opts);
    expect(text).toContain('Inventory: 15 identities');
    expect(text).toMatch(/ 3 {2}AWS roles +2 with findings/);
    expect(text).toMatch(/ 1 {2}GitHub app +no findings/);
  });
  it('reports without posture or inventory (schema 1.0) still render', () => {
    const old: Report = { ...audit };
    delete old.posture;
    delete old.inventory;
    const text = renderPretty(old, opts);
    expect(text).toContain('OWASP NHI Top 10 (2025)\n');
    expect(text).not.toContain('Inventory');
    expect(renderMarkdown(old, opts, {})).toContain('| NHI2 Secret Leakage | 5 | 9.8 | – |');
  });
});

describe('--format compact and --summary-only', () => {
  it('compact: one line per finding, then the totals', () => {
    const lines = renderCompact(audit, opts).trimEnd().split('\n');
    expect(lines.length).toBe(audit.findings.length + 1);
    expect(lines[0]).toBe('CRIT  9.8  acme/payments-api/scripts/sync.sh:3  aws-access-key  AKIA…7Q2M  +2 places  AWS access key with its secret');
  });
  it('summary-only: a per-rule table, no blocks', () => {
    const text = renderPretty(audit, { ...opts, summaryOnly: true });
    expect(text).toMatch(/^ SEV {3}rule +findings {2}places {2}highest {2}title$/m);
    expect(text).toMatch(/^ CRIT {2}aws-access-key +1 +3 +9\.8 {2}AWS access key with its secret$/m);
    expect(text).not.toContain('fix:');
  });
});

describe('Markdown and JSON carry the posture table and the top risks', () => {
  it('markdown', () => {
    const md = renderMarkdown(audit, opts, {});
    expect(md).toContain('| OWASP NHI Top 10 (2025) — posture 34/100, grade **E** | Findings | Highest score | Identities |');
    expect(md).toContain('| NHI2 Secret Leakage | 5 | 9.8 | 5 |');
    expect(md).toContain('#### Top risks\n\n1. 🟥 **9.8** AWS access key with its secret — `acme/payments-api/scripts/sync.sh:3` (+2 other places)');
    expect(md).toContain('**Inventory:** 15 identities — 3 AWS roles, 3 AWS users, 3 leaked credentials, 2 MCP servers, 1 AWS access key');
  });
  it('json: posture, inventory and top risks, valid against the shipped schema', () => {
    const json = JSON.parse(renderJson(audit));
    expectValidReport(json);
    expect(json.posture.categories).toHaveLength(10);
    expect(json.inventory).toHaveLength(15);
    expect(json.summary.topRisks[0]).toBe(audit.findings.find((f) => f.ruleId === 'aws-access-key')!.id);
    expectValidReport(JSON.parse(renderJson(clean)));
  });
});
