import { availableParallelism } from 'node:os';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { SecretRuleSpec } from '../model/rule.js';
import { loadSecretRules } from '../rules/catalog.js';
import { runJob, type JobResult, type ScanJob } from './job.js';
import { inSlab, isShared, releaseBlob } from '../util/blob-slabs.js';
import { reclaimAfter } from '../util/reclaim.js';
import { keepYoungGenerationSmall } from '../util/young-gen.js';
import { SecretScanner } from './scanner.js';
import { budgetFloorMs, jobBudgetMs, WATCH, watchSlots } from './watch.js';

interface Pending {
  jobs: ScanJob[];
  resolvers: Array<(r: JobResult) => void>;
  bytes: number;
  /** The worker it was sent to. */
  worker?: number;
  /** Sent again alone after its worker died: a second death means this job kills workers. */
  retry?: boolean;
}

/** Workers replaced after a crash before the pool gives up on threads and reports the rest as failed. */
const MAX_RESTARTS = 8;

/**
 * Largest file or blob one detection worker is given: beyond it the text no longer fits in one
 * string (V8 caps strings near 512 MB) and several such files at once would exhaust memory. Larger
 * ones (possible with a big --max-file-size) are skipped with a warning and the target is partial.
 */
export const MAX_JOB_BYTES = 256 << 20;

/**
 * Blobs at least this large are moved to the worker rather than copied (a copy would double their
 * memory). A moved blob cannot be sent again if its worker dies or is stopped; smaller ones can.
 */
const TRANSFER_BYTES = 16 << 20;

/** How often the watchdog looks at what each worker is doing. */
const WATCH_MS = 250;

const BATCH_JOBS = 64;
const BATCH_BYTES = 1 << 20;
const IN_FLIGHT_PER_WORKER = 2;
const YOUNG_GEN_MB = 12;

/**
 * Scans jobs on worker threads (one per core) with small batches to amortise messaging, or
 * inline when threads are unavailable (running from TypeScript sources in tests, or --threads 1
 * with only built-in rules). `submit` resolves per job; callers await `drain` to apply
 * backpressure on a fast producer.
 *
 * A watchdog bounds each job's time (see watch.ts): a regex cannot be interrupted, so a worker that
 * stays on one file past its budget is terminated and replaced; that file becomes a timed-out result
 * (a coverage gap naming it and the rule that was running) and the worker's other jobs are sent again.
 */
export class ScanPool {
  private readonly workers: Worker[] = [];
  private readonly inflight: number[] = [];
  /** Per worker: its shared status slots, and the job it was last seen on and since when. */
  private readonly watches: Int32Array[] = [];
  private readonly seen: Array<{ seq: number; at: number }> = [];
  private watchdog?: NodeJS.Timeout;
  private readonly floorMs = budgetFloorMs();
  private timeouts = 0;
  private readonly waiting = new Map<number, Pending>();
  private readonly inline?: SecretScanner;
  private pending: Pending = { jobs: [], resolvers: [], bytes: 0 };
  private nextId = 1;
  private readonly queue: Pending[] = [];
  private readonly idle: Array<() => void> = [];
  private failure?: Error;
  private restarts = 0;
  private closing = false;
  private readonly script: string;
  private readonly rules: SecretRuleSpec[];

  constructor(rules: SecretRuleSpec[], threads = availableParallelism()) {
    this.script = fileURLToPath(new URL('./worker.js', import.meta.url));
    this.rules = rules;
    // Rules a config file added are not vetted like the catalog: they always run on a worker, under
    // the watchdog, even with --threads 1 (inline, nothing could stop a runaway regex).
    if (!existsSync(this.script) || (threads <= 1 && !hasCustomRules(rules))) {
      this.inline = new SecretScanner(rules);
      return;
    }
    for (let i = 0; i < Math.max(1, threads); i++) {
      this.inflight.push(0);
      this.workers.push(this.spawn(i));
    }
    this.watchdog = setInterval(() => this.watch(), WATCH_MS);
    this.watchdog.unref();
  }

  /** Files or blobs whose detection ran past the time budget (their workers were replaced). */
  get timedOut(): number {
    return this.timeouts;
  }

  /** Workers that crashed and were replaced (an out-of-memory file, a bug in a rule). */
  get crashes(): number {
    return this.restarts;
  }

  private spawn(i: number): Worker {
    const watch = watchSlots();
    this.watches[i] = new Int32Array(watch);
    this.seen[i] = { seq: -1, at: 0 };
    // A small young generation: detection allocates short strings at a high rate, and the default
    // (sized for a whole machine) would triple each worker's resident memory for no speed gain.
    const w = new Worker(this.script, { workerData: { rules: this.rules.map(forDetection), watch }, resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GEN_MB } });
    // A worker the watchdog replaced may still answer or exit: only the current one counts.
    w.on('message', (msg: { id: number; results: JobResult[] }) => {
      if (this.workers[i] === w) this.done(i, msg);
    });
    let dead = false;
    const died = (e: Error): void => {
      if (dead || this.closing || this.workers[i] !== w) return;
      dead = true;
      this.crashed(i, e);
    };
    w.once('online', keepYoungGenerationSmall);
    w.on('error', died);
    w.on('exit', (code) => died(new Error(`detection worker exited (code ${code})`)));
    return w;
  }

  submit(job: ScanJob): Promise<JobResult> {
    if (this.failure) {
      settled(job, 0, false);
      return Promise.reject(this.failure);
    }
    if (this.inline) {
      const r = runJob(this.inline, job);
      settled(job, r.bytes, true);
      return Promise.resolve(r);
    }
    return new Promise((resolve) => {
      this.pending.jobs.push(job);
      // However the job ends (scanned, timed out, its worker lost), its blob's memory is given back once.
      this.pending.resolvers.push((r) => {
        settled(job, r.bytes, false);
        resolve(r);
      });
      this.pending.bytes += job.kind === 'blob' ? job.data.byteLength : 0;
      if (this.pending.jobs.length >= BATCH_JOBS || this.pending.bytes >= BATCH_BYTES) this.flush();
    });
  }

  /** Send what is batched, and wait until the queue is short enough to accept more. */
  async drain(): Promise<void> {
    if (this.inline) return;
    if (this.queue.length < this.workers.length * 2) return;
    await new Promise<void>((r) => this.idle.push(r));
    if (this.failure) throw this.failure;
  }

  flush(): void {
    if (this.inline || this.pending.jobs.length === 0) return;
    this.queue.push(this.pending);
    this.pending = { jobs: [], resolvers: [], bytes: 0 };
    this.dispatch();
  }

  private dispatch(): void {
    while (this.queue.length > 0) {
      let best = -1;
      for (let i = 0; i < this.workers.length; i++) {
        if (this.inflight[i] < IN_FLIGHT_PER_WORKER && (best < 0 || this.inflight[i] < this.inflight[best])) best = i;
      }
      if (best < 0) return;
      const batch = this.queue.shift()!;
      const id = this.nextId++;
      batch.worker = best;
      this.waiting.set(id, batch);
      this.inflight[best]++;
      const transfer = batch.jobs.flatMap((j) =>
        j.kind === 'blob' && !isShared(j.data) && j.data.byteLength >= TRANSFER_BYTES && j.data.byteOffset === 0 && j.data.byteLength === j.data.buffer.byteLength ? [j.data.buffer as ArrayBuffer] : [],
      );
      this.workers[best].postMessage({ id, jobs: batch.jobs }, transfer);
    }
    if (this.queue.length < this.workers.length * 2) for (const r of this.idle.splice(0)) r();
  }

  private done(worker: number, msg: { id: number; results: JobResult[] }): void {
    const batch = this.waiting.get(msg.id);
    if (!batch) return;
    this.inflight[worker]--;
    this.waiting.delete(msg.id);
    msg.results.forEach((r, i) => batch.resolvers[i](r));
    this.dispatch();
  }

  /**
   * A worker died (out of memory on a huge file, an exception): start a new one in its place and
   * send each of its unfinished jobs again, alone. A job that kills a worker a second time ends as
   * a read error (EWORKER) — reported, and the target partial — never silently lost.
   */
  private crashed(i: number, e: Error): void {
    const lost = [...this.waiting.entries()].filter(([, b]) => b.worker === i);
    for (const [id] of lost) this.waiting.delete(id);
    this.inflight[i] = 0;
    if (this.restarts >= MAX_RESTARTS) {
      this.failure = e;
      for (const [, b] of lost) for (const r of b.resolvers) r({ bytes: 0, error: 'EWORKER', matches: [] });
      for (const r of this.idle.splice(0)) r();
      return;
    }
    this.restarts++;
    this.workers[i] = this.spawn(i);
    for (const [, b] of lost) {
      if (b.retry) {
        for (const r of b.resolvers) r({ bytes: 0, error: 'EWORKER', matches: [] });
        continue;
      }
      b.jobs.forEach((job, k) => {
        // A blob's bytes were moved to the dead worker: they cannot be sent again.
        if (job.kind === 'blob' && job.data.byteLength === 0 && b.bytes > 0) b.resolvers[k]({ bytes: 0, error: 'EWORKER', matches: [] });
        else this.queue.unshift({ jobs: [job], resolvers: [b.resolvers[k]], bytes: job.kind === 'blob' ? job.data.byteLength : 0, retry: true });
      });
    }
    this.dispatch();
  }

  /**
   * The watchdog's round: a worker seen on the same job (same sequence number) for longer than that
   * job's budget is stopped. Time is counted from when the watchdog first saw the job, so a job may
   * run up to one round longer than its budget.
   */
  private watch(): void {
    const now = Date.now();
    for (let i = 0; i < this.workers.length; i++) {
      const slots = this.watches[i];
      if (this.inflight[i] === 0 || Atomics.load(slots, WATCH.job) < 0) {
        this.seen[i] = { seq: -1, at: 0 };
        continue;
      }
      const seq = Atomics.load(slots, WATCH.seq);
      if (seq !== this.seen[i].seq) {
        this.seen[i] = { seq, at: now };
        continue;
      }
      const budgetMs = jobBudgetMs(Atomics.load(slots, WATCH.bytes), this.floorMs);
      if (now - this.seen[i].at > budgetMs) this.overran(i, budgetMs);
    }
  }

  /**
   * A worker stayed on one job past its budget: stop it, start a new one, report that job as timed
   * out (naming the rule that was running) and send the worker's other jobs again — the ones it had
   * finished too, since their results travel with the whole batch.
   */
  private overran(i: number, budgetMs: number): void {
    const slots = this.watches[i];
    const batchId = Atomics.load(slots, WATCH.batch);
    const jobIndex = Atomics.load(slots, WATCH.job);
    const ri = Atomics.load(slots, WATCH.rule);
    const rule = ri >= 0 ? this.rules[ri]?.id : undefined;
    const old = this.workers[i];
    const lost = [...this.waiting.entries()].filter(([, b]) => b.worker === i);
    for (const [id] of lost) this.waiting.delete(id);
    this.inflight[i] = 0;
    this.timeouts++;
    this.workers[i] = this.spawn(i);
    void old.terminate();
    for (const [id, b] of lost) {
      b.jobs.forEach((job, k) => {
        if (id === batchId && k === jobIndex) {
          const bytes = job.kind === 'blob' ? job.data.byteLength : Atomics.load(slots, WATCH.bytes);
          b.resolvers[k]({ bytes, timedOut: { budgetMs, ...(rule ? { rule } : {}) }, matches: [] });
        } else if (job.kind === 'blob' && job.data.byteLength === 0 && b.bytes > 0) b.resolvers[k]({ bytes: 0, error: 'EWORKER', matches: [] });
        else this.queue.unshift({ jobs: [job], resolvers: [b.resolvers[k]], bytes: job.kind === 'blob' ? job.data.byteLength : 0, ...(b.retry ? { retry: true } : {}) });
      });
    }
    this.dispatch();
  }

  async close(): Promise<void> {
    this.closing = true;
    if (this.watchdog) clearInterval(this.watchdog);
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}

/**
 * A job is over: its blob's slab room may be reused; any other content this thread read (a blob with
 * its own buffer, or a file scanned inline) is garbage that reclaim.ts counts.
 */
function settled(job: ScanJob, bytes: number, inline: boolean): void {
  if (job.kind !== 'blob') return inline ? reclaimAfter(bytes) : undefined;
  if (inSlab(job.data)) releaseBlob(job.data);
  else reclaimAfter(job.data.byteLength, true);
}

/**
 * What a worker needs of a rule to detect with it: the texts for people (description, remediation,
 * references) and the examples stay on this thread, which makes the findings (~2.5 MB less per worker).
 */
function forDetection(r: SecretRuleSpec): SecretRuleSpec {
  return { ...r, title: '', description: '', remediation: '', references: [], examples: [], negative_examples: [] };
}

/** Does the rule set hold rules that are not the built-in catalog's (a config's custom-rules)? */
function hasCustomRules(rules: SecretRuleSpec[]): boolean {
  const builtin = new Set(loadSecretRules().map((r) => r.id));
  return rules.some((r) => !builtin.has(r.id));
}
