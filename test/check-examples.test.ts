import { describe, expect, it } from 'vitest';
import type { Check, CheckContext } from '../src/checks/types.js';
import { readdirSync } from 'node:fs';
import { loadChecks } from '../src/pipeline/checks.js';
import { loadCheckMetas } from '../src/rules/catalog.js';

// The generic test every posture check goes through: its metadata's examples are run through its
// logic (src/checks/<area>/<id>.ts), and each must fire or stay quiet as the metadata says.
const metas = loadCheckMetas();

describe('posture check catalog', () => {
  it('every check file has metadata and every metadata file has a check (no registry to forget)', () => {
    const root = new URL('../src/checks/', import.meta.url);
    const files = readdirSync(root, { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .flatMap((d) => readdirSync(new URL(`${d.name}/`, root)).filter((f) => f.endsWith('.ts')).map((f) => `${d.name}/${f.slice(0, -3)}`));
    expect(files.sort()).toEqual(metas.map((m) => `${m.area}/${m.id}`).sort());
  });

  it('the pipeline finds every check from its metadata', async () => {
    const loaded = await loadChecks();
    expect(loaded.map((c) => c.meta.id).sort()).toEqual(metas.map((m) => m.id).sort());
    for (const c of loaded) expect(c.check.id).toBe(c.meta.id);
  });

  it('every check has a firing and a non-firing example', () => {
    const bad = metas.filter((m) => !m.examples.some((e) => e.fires) || !m.examples.some((e) => !e.fires)).map((m) => m.id);
    expect(bad).toEqual([]);
  });
});

for (const meta of metas) {
  describe(`${meta.area}/${meta.id}`, () => {
    it('has logic whose id matches its file', async () => {
      const mod = (await import(`../src/checks/${meta.area}/${meta.id}.ts`)) as { check: Check<unknown> };
      expect(mod.check.id).toBe(meta.id);
    });
    for (const ex of meta.examples) {
      it(`${ex.fires ? 'fires' : 'stays quiet'}: ${ex.name}`, async () => {
        const mod = (await import(`../src/checks/${meta.area}/${meta.id}.ts`)) as { check: Check<unknown> };
        const now = (ex as { now?: string }).now ?? '2026-01-01T00:00:00Z';
        const ctx: CheckContext = { now: new Date(now), thresholds: { maxKeyAgeDays: 90, maxUnusedDays: 90 } };
        const findings = mod.check.run(ex.input, ctx);
        expect(findings.length > 0, `${meta.id} / ${ex.name}`).toBe(ex.fires);
        for (const f of findings) expect(f.ruleId).toBe(meta.id);
      });
    }
  });
}
