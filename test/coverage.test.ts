import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadProviderCoverage, normaliseProvider } from '../src/rules/catalog.js';
import { coverageRows, coverageSummary, findChecklist, loadChecklist, renderProviderTable, TABLE_END, TABLE_START, withProviderTable } from '../src/rules/coverage.js';
import { PACKAGE_ROOT } from '../src/util/paths.js';

/**
 * Coverage of the checklist of credential providers other scanners detect (../shared/coverage/providers.tsv,
 * beside the repository; CI checks it out there). Without it these tests are skipped, saying so.
 *
 * STRICT (the default): every checklist provider must be covered by a rule file (`covers`, or `no_rule`
 * with a reason). NHI_AUDIT_STRICT_COVERAGE=0 relaxes it to the providers whose own file
 * rules/secrets/<name>.yaml exists (for a branch where provider files are still being written).
 */
const STRICT = process.env.NHI_AUDIT_STRICT_COVERAGE !== '0';

const checklistPath = findChecklist();
if (!checklistPath) console.warn('coverage.test: skipped — no coverage checklist (../shared/coverage/providers.tsv beside the repository, or NHI_AUDIT_CHECKLIST)');

describe.skipIf(!checklistPath)('provider coverage checklist', () => {
  const checklist = checklistPath ? loadChecklist(checklistPath) : [];
  const coverage = loadProviderCoverage();

  it('the README provider table is up to date (run `npm run docs`)', () => {
    const readme = readFileSync(join(PACKAGE_ROOT, 'README.md'), 'utf8');
    expect(readme).toContain(TABLE_START);
    expect(readme).toContain(TABLE_END);
    const fresh = withProviderTable(readme, renderProviderTable(checklist, coverage));
    expect(fresh === readme, 'README.md provider table is stale: run `npm run docs`').toBe(true);
  });

  it('every covers entry names a checklist provider', () => {
    expect(coverageSummary(checklist, coverage).unknownCovers).toEqual([]);
  });

  it('no provider file without rules lacks a reason', () => {
    expect(coverage.filter((c) => c.ruleIds.length === 0 && !c.noRule).map((c) => c.file)).toEqual([]);
  });

  it(`every checklist provider is covered by a rule or a documented reason${STRICT ? '' : ' (gated: only providers whose own file exists)'}`, () => {
    const rows = coverageRows(checklist, coverage);
    const missing = rows.filter((r) => r.status === 'missing').map((r) => r.name);
    const s = coverageSummary(checklist, coverage);
    console.info(`coverage: ${s.providers} checklist providers, ${s.withRules} with rules, ${s.withReason} with a reason, ${missing.length} not covered`);
    if (STRICT) {
      expect(missing).toEqual([]);
      return;
    }
    // Gated form: a provider that has its own file must be covered by it (by provider name or covers).
    const files = new Set(readdirSync(join(PACKAGE_ROOT, 'rules', 'secrets')).map((f) => normaliseProvider(f.replace(/\.ya?ml$/, ''))));
    const own = missing.filter((n) => files.has(n));
    expect(own).toEqual([]);
  });

  it('the checklist names are normalised', () => {
    expect(checklist.filter((e) => normaliseProvider(e.name) !== e.name)).toEqual([]);
    expect(checklist.length).toBeGreaterThan(900);
  });
});
