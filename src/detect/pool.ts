import { availableParallelism } from 'node:os';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { SecretRuleSpec } from '../model/rule.js';
import { runJob, type JobResult, type ScanJob } from './job.js';
import { SecretScanner } from './scanner.js';

interface Pending {
  jobs: ScanJob[];
  resolvers: Array<(r: JobResult) => void>;
  bytes: number;
}

const BATCH_JOBS = 64;
const BATCH_BYTES = 4 << 20;
const IN_FLIGHT_PER_WORKER = 3;
const YOUNG_GEN_MB = 12;

/**
 * Scans jobs on worker threads (one per core) with small batches to amortise messaging, or
 * inline when threads are unavailable (running from TypeScript sources in tests, or --threads 1).
 * `submit` resolves per job; callers await `drain` to apply backpressure on a fast producer.
 */
export class ScanPool {
  private readonly workers: Worker[] = [];
  private readonly inflight: number[] = [];
  private readonly waiting = new Map<number, Pending>();
  private readonly inline?: SecretScanner;
  private pending: Pending = { jobs: [], resolvers: [], bytes: 0 };
  private nextId = 1;
  private readonly queue: Pending[] = [];
  private readonly idle: Array<() => void> = [];
  private failure?: Error;

  constructor(rules: SecretRuleSpec[], threads = availableParallelism()) {
    const script = fileURLToPath(new URL('./worker.js', import.meta.url));
    if (threads <= 1 || !existsSync(script)) {
      this.inline = new SecretScanner(rules);
      return;
    }
    for (let i = 0; i < threads; i++) {
      // A small young generation: detection allocates short strings at a high rate, and the default
      // (sized for a whole machine) would triple each worker's resident memory for no speed gain.
      const w = new Worker(script, { workerData: { rules }, resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GEN_MB } });
      w.on('message', (msg: { id: number; results: JobResult[] }) => this.done(i, msg));
      w.on('error', (e) => this.fail(e));
      this.workers.push(w);
      this.inflight.push(0);
    }
  }

  submit(job: ScanJob): Promise<JobResult> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.inline) return Promise.resolve(runJob(this.inline, job));
    return new Promise((resolve) => {
      this.pending.jobs.push(job);
      this.pending.resolvers.push(resolve);
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
      this.waiting.set(id, batch);
      this.inflight[best]++;
      const transfer = batch.jobs.flatMap((j) => (j.kind === 'blob' && j.data.byteOffset === 0 && j.data.byteLength === j.data.buffer.byteLength ? [j.data.buffer as ArrayBuffer] : []));
      this.workers[best].postMessage({ id, jobs: batch.jobs }, transfer);
    }
    if (this.queue.length < this.workers.length * 2) for (const r of this.idle.splice(0)) r();
  }

  private done(worker: number, msg: { id: number; results: JobResult[] }): void {
    this.inflight[worker]--;
    const batch = this.waiting.get(msg.id)!;
    this.waiting.delete(msg.id);
    msg.results.forEach((r, i) => batch.resolvers[i](r));
    this.dispatch();
  }

  private fail(e: Error): void {
    this.failure = e;
    // A dead worker must not leave a scan hanging: its jobs end as read errors.
    for (const batch of this.waiting.values()) for (const r of batch.resolvers) r({ bytes: 0, error: 'EWORKER', matches: [] });
    this.waiting.clear();
    for (const r of this.idle.splice(0)) r();
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
