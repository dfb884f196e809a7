import type { Check, CheckContext } from '../checks/types.js';
import type { Finding } from '../model/finding.js';
import type { OwaspId } from '../model/owasp.js';
import type { CheckMeta } from '../model/rule.js';
import { loadCheckMetas } from '../rules/catalog.js';
import { datasetOf } from './datasets.js';
import type { TargetTable } from './targets.js';

/**
 * Posture checks are found from their metadata (rules/checks/<id>.yaml) and their file
 * (src/checks/<area>/<id>.ts, built to dist/): no registry to keep in step.
 */
export interface LoadedCheck {
  meta: CheckMeta;
  check: Check<unknown>;
}

const cache = new Map<string, Promise<LoadedCheck[]>>();
const EXT = import.meta.url.endsWith('.ts') ? '.ts' : '.js';

/** The checks that read one of these observation types (all checks when omitted). */
export function loadChecks(types?: string[]): Promise<LoadedCheck[]> {
  const key = types ? [...types].sort().join(',') : '*';
  let p = cache.get(key);
  if (!p) {
    const metas = loadCheckMetas().filter((m) => !types || types.includes(m.reads));
    p = Promise.all(
      metas.map(async (meta) => {
        // A URL computed at run time: dist/checks/<area>/<id>.js when built, the .ts file under a test runner.
        const href = new URL(`../checks/${meta.area}/${meta.id}${EXT}`, import.meta.url).href;
        const mod = (await import(href)) as { check?: Check<unknown> };
        if (!mod.check || mod.check.id !== meta.id) throw new Error(`src/checks/${meta.area}/${meta.id}.ts must export a check with id ${meta.id}`);
        return { meta, check: mod.check };
      }),
    );
    cache.set(key, p);
  }
  return p;
}

/** The OWASP categories a set of checks assesses, in NHI order. */
export function owaspOfChecks(metas: CheckMeta[]): OwaspId[] {
  const set = new Set<OwaspId>(metas.flatMap((m) => m.owasp));
  return [...set].sort((a, b) => Number(a.slice(3)) - Number(b.slice(3)));
}

export interface Observation {
  type: string;
  target: number;
  data: unknown;
  /** Measure ages from this date for this observation (ObservationArtifact.asOf). */
  asOf?: string;
}

/**
 * Run every check over the observations of the type it reads. Each observation's target gets the
 * categories of the checks that could judge it; a check whose data part is missing is a coverage gap
 * (unless the part is one only some runs ask for); a check that throws is a gap, not a crash.
 */
export async function runChecks(observations: Observation[], ctx: CheckContext, targets: TargetTable): Promise<Finding[]> {
  const types = [...new Set(observations.map((o) => o.type))];
  if (types.length === 0) return [];
  return runLoadedChecks(await loadChecks(types), observations, ctx, targets);
}

/** runChecks with the checks already loaded. */
export function runLoadedChecks(checks: LoadedCheck[], observations: Observation[], ctx: CheckContext, targets: TargetTable): Finding[] {
  const types = [...new Set(observations.map((o) => o.type))];
  const findings: Finding[] = [];
  for (const type of types) {
    const ds = datasetOf(type);
    const items = observations.filter((o) => o.type === type);
    // Observations that name their target (an MCP config or endpoint) hand it to their findings.
    for (const o of items) if (o.data && typeof o.data === 'object' && !Array.isArray(o.data)) (o.data as { target?: number }).target = o.target;
    const readers = checks.filter((c) => c.meta.reads === type);
    // Which checks each observation can feed; a missing required part is reported once per target.
    const skipped = new Map<number, Map<string, string[]>>();
    const runnable = new Map<string, Observation[]>();
    for (const o of items) {
      const ok: CheckMeta[] = [];
      for (const c of readers) {
        const missing = (c.meta.needs ?? []).filter((part) => !(ds.has?.(o.data, part) ?? true));
        if (missing.length === 0) {
          ok.push(c.meta);
          runnable.set(c.meta.id, [...(runnable.get(c.meta.id) ?? []), o]);
        } else if (!missing.every((m) => ds.optional?.includes(m))) {
          const byPart = skipped.get(o.target) ?? new Map<string, string[]>();
          const part = missing.find((m) => !ds.optional?.includes(m))!;
          byPart.set(part, [...(byPart.get(part) ?? []), c.meta.id]);
          skipped.set(o.target, byPart);
        }
      }
      targets.assess(o.target, owaspOfChecks(ok));
      targets.count(o.target, 'checksRun', ok.length);
      targets.count(o.target, 'checksSkipped', 0);
    }
    for (const [t, byPart] of skipped) for (const [part, ids] of byPart) targets.skipped(t, part, ids);
    for (const c of readers) {
      const obs = runnable.get(c.meta.id) ?? [];
      const inputs = ds.inputs(obs.map((o) => o.data));
      const perItem = inputs.length === obs.length;
      inputs.forEach((input, i) => {
        try {
          const asOf = perItem ? obs[i]?.asOf : undefined;
          const out = c.check.run(input, asOf ? { ...ctx, now: new Date(asOf) } : ctx);
          // Per-observation inputs (an AWS account) carry no target of their own: give it to the findings.
          if (perItem && obs[i]) for (const f of out) setTarget(f, obs[i].target);
          for (const f of out) if (f.location.target !== undefined) targets.count(f.location.target, 'findings');
          findings.push(...out);
        } catch (e) {
          const t = perItem && obs[i] ? [obs[i].target] : obs.map((o) => o.target);
          for (const ti of new Set(t)) targets.gap(ti, { reason: `check ${c.meta.id} failed: ${(e as Error).message.split('\n')[0]}` });
        }
      });
    }
  }
  return findings;
}

function setTarget(f: Finding, target: number): void {
  f.location.target ??= target;
  for (const o of f.occurrences) o.target ??= target;
}
