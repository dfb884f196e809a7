import { describe, expect, it } from 'vitest';
import { SecretScanner } from '../src/detect/scanner.js';
import { loadSecretRules } from '../src/rules/catalog.js';

// The generic test every secret rule file goes through: each rule's examples must be found by the
// full rule set (so superseding is exercised too), and its negative examples must not.
const rules = loadSecretRules();
const scanner = new SecretScanner(rules);

// Filler that shares no keyword with any rule, so a buried example is matched inside a window of
// a large text (window.ts) rather than over the whole of it.
const FILLER = 'const x = y + z * 2;\n'.repeat(8000);

describe('secret rule catalog', () => {
  it('has at least 150 provider-specific rules', () => {
    expect(rules.filter((r) => r.group !== 'generic').length).toBeGreaterThanOrEqual(150);
  });

  it('every rule has examples and negative examples', () => {
    const missing = rules.filter((r) => r.examples.length === 0 || r.negative_examples.length === 0).map((r) => r.id);
    expect(missing).toEqual([]);
  });

  it('superseded_by names existing rules', () => {
    const ids = new Set(rules.map((r) => r.id));
    const bad = rules.flatMap((r) => (r.superseded_by ?? []).filter((s) => s !== '*' && !ids.has(s)).map((s) => `${r.id} → ${s}`));
    expect(bad).toEqual([]);
  });
});

for (const file of [...new Set(rules.map((r) => r.file))]) {
  describe(file, () => {
    for (const rule of rules.filter((r) => r.file === file)) {
      it(`${rule.id}: examples match`, () => {
        for (const ex of rule.examples) {
          const hits = scanner.scanText(ex).filter((m) => m.ruleId === rule.id);
          expect(hits.length, `example should match ${rule.id}: ${JSON.stringify(ex).slice(0, 120)}`).toBeGreaterThan(0);
        }
      });
      it(`${rule.id}: examples buried in a large file match the same values at the right place`, () => {
        for (const ex of rule.examples) {
          const alone = scanner.scanText(ex).filter((m) => m.ruleId === rule.id).map((m) => m.value);
          const text = `${FILLER}${ex}\n${FILLER}`;
          const hits = scanner.scanText(text).filter((m) => m.ruleId === rule.id);
          expect(hits.map((m) => m.value), `buried example of ${rule.id}: ${JSON.stringify(ex).slice(0, 120)}`).toEqual(alone);
          for (const h of hits) {
            // A secret found in an encoded span (a Kubernetes Secret's base64 data) is reported decoded.
            if (h.encoded === 'base64') expect(Buffer.from(text.slice(h.index, h.end), 'base64').toString('latin1')).toContain(h.value);
            else expect(text.slice(h.index, h.end)).toBe(h.value);
          }
        }
      });
      it(`${rule.id}: negative examples do not match`, () => {
        for (const ex of rule.negative_examples) {
          const hits = scanner.scanText(ex).filter((m) => m.ruleId === rule.id);
          expect(hits.length, `negative example should not match ${rule.id}: ${JSON.stringify(ex).slice(0, 120)}`).toBe(0);
        }
      });
    }
  });
}
