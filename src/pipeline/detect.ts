import type { ScanPool } from '../detect/pool.js';
import type { JobResult, ScanJob } from '../detect/job.js';
import type { TextMatch } from '../detect/scanner.js';
import { identifierRules, secretFinding } from '../detect/to-finding.js';
import type { DeferredWhere, TextArtifact, Where } from '../model/artifact.js';
import type { Finding, Location } from '../model/finding.js';
import type { SecretRuleSpec } from '../model/rule.js';
import { unreadableFix } from '../util/unreadable.js';
import type { TargetTable } from './targets.js';

export interface DetectOptions {
  rules: SecretRuleSpec[];
  maxFileSize: number;
  showSecrets: boolean;
  /** Allowlist from the config file: true drops the match before a finding exists. */
  allowlisted?: (ruleId: string, secret: string, path: string | undefined) => boolean;
  /** Called with each raw finding's id (the live view counts distinct ids: one credential, one finding). */
  onFinding?: (id: string) => void;
  onRead?: (p: { files?: number; blobs?: number; bytes?: number }) => void;
}

function isDeferred(w: Where | DeferredWhere): w is DeferredWhere {
  return 'attribute' in w;
}

/**
 * The detection stage: text artifacts go to the worker pool; matches become secret findings at
 * their places. Blobs whose places depend on history are attributed in one batch per repository,
 * only when they had matches.
 */
export class DetectStage {
  readonly findings: Finding[] = [];
  /** Jobs not yet settled (a settled one leaves the set: a long history does not pile up promises). */
  private readonly pending = new Set<Promise<void>>();
  /** The first job that failed: finish() throws it, as awaiting every job would. */
  private failure?: { error: unknown };
  private readonly deferred = new Map<DeferredWhere['attribute'], Map<string, { target: number; where: DeferredWhere; matches: TextMatch[] }>>();
  private readonly byId: Map<string, SecretRuleSpec>;
  private readonly identifiers: Set<string>;

  constructor(
    private readonly pool: ScanPool,
    private readonly targets: TargetTable,
    private readonly opts: DetectOptions,
  ) {
    this.byId = new Map(opts.rules.map((r) => [r.id, r]));
    this.identifiers = identifierRules(opts.rules);
  }

  /** Submit one text artifact; resolves when the pool can take more (backpressure). */
  async submit(a: TextArtifact, target: number): Promise<void> {
    // The path in the scanned tree (for a file, not where the checkout lies) decides lockfile and Helm handling.
    const path = a.where.path;
    const job: ScanJob = 'file' in a.content ? { kind: 'file', abs: a.content.file, maxSize: this.opts.maxFileSize, ...(path ? { path } : {}) } : { kind: 'blob', data: a.content.bytes, ...(path ? { path } : {}) };
    const isFile = !isDeferred(a.where) && a.where.source !== 'git-history';
    const done: Promise<void> = this.pool
      .submit(job)
      .then((r) => {
        const matches = this.account(target, a.where, r, isFile);
        if (matches.length === 0) return;
        if (isDeferred(a.where)) {
          const group = this.deferred.get(a.where.attribute) ?? new Map();
          group.set(a.where.blob, { target, where: a.where, matches });
          this.deferred.set(a.where.attribute, group);
        } else this.add(target, a.where, matches);
      })
      .catch((e: unknown) => void (this.failure ??= { error: e }))
      .finally(() => this.pending.delete(done));
    this.pending.add(done);
    await this.pool.drain();
  }

  /** Wait for every job, then attribute history blobs to their commits. */
  async finish(): Promise<Finding[]> {
    this.pool.flush();
    await Promise.all([...this.pending]);
    if (this.failure) throw this.failure.error;
    for (const [attribute, blobs] of this.deferred) {
      const places = await attribute([...blobs.keys()]);
      for (const [sha, b] of blobs) for (const w of places.get(sha) ?? [{ source: b.where.source, path: b.where.path, pathBase64: b.where.pathBase64, committed: true }]) this.add(b.target, w, b.matches);
    }
    return this.findings;
  }

  private account(target: number, where: Where | DeferredWhere, r: JobResult, isFile: boolean): TextMatch[] {
    const what = isDeferred(where) ? `${where.path} (blob ${where.blob.slice(0, 12)})` : (where.path ?? where.resource ?? 'text');
    if (r.error) {
      this.targets.gap(target, { reason: `${what}: cannot read (${r.error}), skipped${unreadableFix(r.error)}`, stat: 'skippedUnreadable' });
      return [];
    }
    const mb = (n: number) => `${(n / 1048576).toFixed(1)} MB`;
    if (r.timedOut) {
      const by = r.timedOut.rule ? ` by rule ${r.timedOut.rule}` : '';
      this.targets.gap(target, { reason: `${what}: regex time budget exceeded${by} (${r.timedOut.budgetMs / 1000} s for ${mb(r.bytes)}), not scanned`, stat: 'skippedUnreadable' });
      return [];
    }
    if (r.tooLarge) {
      this.targets.gap(target, { reason: `${what}: ${mb(r.bytes)} is larger than --max-file-size (${mb(this.opts.maxFileSize)}), skipped`, stat: 'skippedLarge', informational: true });
      return [];
    }
    this.targets.count(target, isFile ? 'files' : 'blobs');
    this.targets.count(target, isFile ? 'bytes' : 'blobBytes', r.bytes);
    this.opts.onRead?.(isFile ? { files: 1, bytes: r.bytes } : { blobs: 1, bytes: r.bytes });
    if (r.binary) {
      this.targets.count(target, 'skippedBinary');
      return [];
    }
    return r.matches;
  }

  private add(target: number, where: Where, matches: TextMatch[]): void {
    for (const m of matches) {
      if (where.onlyLines && !where.onlyLines.has(m.line)) continue;
      const rule = this.byId.get(m.ruleId);
      if (!rule) continue;
      if (this.opts.allowlisted?.(m.ruleId, m.pair !== undefined ? `${m.value}\n${m.pair}` : m.value, where.path)) {
        this.targets.count(target, 'allowlisted');
        continue;
      }
      const place: Location & { source: string } = { source: where.source, target };
      if (where.path !== undefined) place.path = where.path;
      if (where.lineBase !== undefined && where.lineBase > 1) place.line = m.line + where.lineBase - 1;
      for (const k of ['pathBase64', 'commit', 'commitDate', 'author', 'committed', 'resource'] as const) if (where[k] !== undefined) (place as unknown as Record<string, unknown>)[k] = where[k];
      const finding = secretFinding(rule, m, place, { showSecrets: this.opts.showSecrets, identifier: this.identifiers.has(rule.id) });
      this.findings.push(finding);
      this.targets.count(target, 'findings');
      this.opts.onFinding?.(finding.id);
    }
  }
}
