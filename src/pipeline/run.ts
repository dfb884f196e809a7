import type { CheckContext } from '../checks/types.js';
import { ScanPool } from '../detect/pool.js';
import { SourceInputError, type Source, type SourceContext } from '../model/artifact.js';
import type { Finding } from '../model/finding.js';
import type { IdentityRecord } from '../model/identity.js';
import type { TargetResult } from '../model/report.js';
import type { SecretRuleSpec } from '../model/rule.js';
import { runChecks, type Observation } from './checks.js';
import { DetectStage } from './detect.js';
import { joinLeakedKeys } from './leaked-keys.js';
import { TargetTable } from './targets.js';

/**
 * The one pipeline (DESIGN.md "The flow"): every command picks sources and options; this numbers
 * targets, feeds text to the detection pool, hands observations to the checks, and collects
 * identities and coverage. Correlation, scoring and the report come after the filters
 * (src/pipeline/report.ts), so that `merge` can re-run them on joined reports.
 */
export interface PipelineOptions {
  rules: SecretRuleSpec[];
  threads?: number;
  maxFileSize: number;
  showSecrets: boolean;
  check: CheckContext;
  allowlisted?: (ruleId: string, secret: string, path: string | undefined) => boolean;
  progress?: SourceContext['progress'] & { update(p: { findings?: number }): void };
  signal?: AbortSignal;
}

export interface RunResult {
  targets: TargetResult[];
  findings: Finding[];
  startedAt: Date;
  finishedAt?: Date;
  /** Every identity the sources saw (merged by id), for correlation and the inventory. */
  identities?: IdentityRecord[];
  /** For each identity id, the targets that saw it. */
  identityTargets?: Record<string, number[]>;
  /** The structured data checks read (AWS accounts, MCP configs and endpoints, workflows), for correlation. */
  observations?: Observation[];
  /** The clock the run judged ages with. */
  now?: Date;
}

/** Merge records of one identity seen by several sources: later facts fill gaps, lists are joined. */
export function mergeIdentities(records: IdentityRecord[]): IdentityRecord[] {
  const byId = new Map<string, IdentityRecord>();
  for (const r of records) {
    const prev = byId.get(r.id);
    if (!prev) {
      byId.set(r.id, { ...r });
      continue;
    }
    for (const [k, v] of Object.entries(r) as Array<[keyof IdentityRecord, unknown]>) {
      if (v === undefined) continue;
      if (Array.isArray(v)) (prev as unknown as Record<string, unknown>)[k] = [...new Set([...(((prev[k] as unknown[]) ?? []) as unknown[]), ...v])];
      else if (prev[k] === undefined) (prev as unknown as Record<string, unknown>)[k] = v;
    }
  }
  return [...byId.values()];
}

export async function runPipeline(sources: Source[], opts: PipelineOptions): Promise<RunResult> {
  const startedAt = new Date();
  const targets = new TargetTable();
  const observations: Observation[] = [];
  const identities: IdentityRecord[] = [];
  const identityTargets = new Map<string, number[]>();
  const needsPool = sources.some((s) => s.id !== 'aws' && s.id !== 'mcp');
  const pool = needsPool ? new ScanPool(opts.rules, opts.threads) : undefined;
  const detect = pool
    ? new DetectStage(pool, targets, {
        rules: opts.rules,
        maxFileSize: opts.maxFileSize,
        showSecrets: opts.showSecrets,
        allowlisted: opts.allowlisted,
        onFinding: () => opts.progress?.update({ findings: 1 }),
        onRead: (p) => opts.progress?.update(p),
      })
    : undefined;
  const ctx: SourceContext = { now: opts.check.now, signal: opts.signal, progress: opts.progress };
  let lazyPool: ScanPool | undefined;
  let lazyDetect: DetectStage | undefined;
  // A source that is mostly API data (aws, mcp) may still yield text (a config file): start a pool then.
  const detector = (): DetectStage => {
    if (detect) return detect;
    if (!lazyDetect) {
      lazyPool = new ScanPool(opts.rules, 1);
      lazyDetect = new DetectStage(lazyPool, targets, { rules: opts.rules, maxFileSize: opts.maxFileSize, showSecrets: opts.showSecrets, allowlisted: opts.allowlisted });
    }
    return lazyDetect;
  };
  try {
    await Promise.all(
      sources.map(async (src) => {
        let current: number | undefined;
        try {
          for await (const a of src.open(ctx)) {
            const t = targets.index(a.target);
            current = t;
            switch (a.kind) {
              case 'text':
                await detector().submit(a, t);
                break;
              case 'inventory':
                identities.push({ ...a.record, where: a.record.where ?? [] });
                identityTargets.set(a.record.id, [...(identityTargets.get(a.record.id) ?? []), t]);
                break;
              case 'observation':
                observations.push({ type: a.type, target: t, data: a.data, ...(a.asOf ? { asOf: a.asOf } : {}) });
                break;
              case 'coverage':
                targets.gap(t, a.gap);
                break;
              case 'stats':
                if (a.stats) targets.stats(t, a.stats);
                if (a.assessed) targets.assess(t, a.assessed);
                break;
            }
          }
        } catch (e) {
          if (e instanceof SourceInputError) throw e;
          // A source that breaks is a failed target with its reason, never a crash of the whole run.
          const msg = (e as Error).message.split('\n')[0];
          if (current !== undefined) targets.gap(current, { reason: `${targets.ref(current).path}: ${msg}`, fatal: true });
          else targets.gap(targets.index({ kind: src.id, path: src.id }), { reason: `${src.id}: ${msg}`, fatal: true });
        }
      }),
    );
    const secretFindings = [...(detect ? await detect.finish() : []), ...(lazyDetect ? await lazyDetect.finish() : [])];
    // Leaked-and-live: AWS key ids found in this run's text are matched against this run's IAM data.
    joinLeakedKeys(secretFindings, observations);
    const postureFindings = await runChecks(observations, opts.check, targets);
    const merged = mergeIdentities(identities);
    return {
      targets: targets.results(),
      findings: [...secretFindings, ...postureFindings],
      startedAt,
      identities: merged,
      identityTargets: Object.fromEntries([...identityTargets].map(([id, ts]) => [id, [...new Set(ts)]])),
      observations,
      now: opts.check.now,
    };
  } finally {
    await pool?.close();
    await lazyPool?.close();
  }
}
