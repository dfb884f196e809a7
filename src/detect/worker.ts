import { parentPort, workerData } from 'node:worker_threads';
import type { SecretRuleSpec } from '../model/rule.js';
import { runJob, type ScanJob } from './job.js';
import { reclaimAfter } from '../util/reclaim.js';
import { WATCH, type WatchSlots } from './watch.js';
import { traceRules, type CompiledRule } from './rule-matcher.js';
import { SecretScanner } from './scanner.js';

// A detection worker: compiles the rule set once, then scans batches of jobs for the pool.
const data = workerData as { rules: SecretRuleSpec[]; watch?: SharedArrayBuffer };
const scanner = new SecretScanner(data.rules);

// What this worker is doing, in memory the pool's watchdog reads while a regex blocks this thread.
const watch: WatchSlots | undefined = data.watch ? new Int32Array(data.watch) : undefined;
if (watch) {
  const index = new Map<CompiledRule, number>(scanner.rules.map((r, i) => [r, i]));
  traceRules((r) => Atomics.store(watch, WATCH.rule, r ? (index.get(r) ?? -1) : -1));
}

// Tests make a worker die on one file to check that the pool restarts it and loses nothing.
const crashOn = process.env.NHI_AUDIT_TEST_WORKER_CRASH;

parentPort!.on('message', (msg: { id: number; jobs: ScanJob[] }) => {
  if (crashOn && msg.jobs.some((j) => (j.kind === 'file' ? j.abs : (j.path ?? '')).endsWith(crashOn))) process.exit(70);
  const results = msg.jobs.map((j, k) => {
    if (!watch) return runJob(scanner, j);
    Atomics.store(watch, WATCH.batch, msg.id);
    Atomics.store(watch, WATCH.job, k);
    Atomics.store(watch, WATCH.bytes, 0);
    Atomics.add(watch, WATCH.seq, 1);
    return runJob(scanner, j, (n) => Atomics.store(watch, WATCH.bytes, Math.min(n, 0x7fffffff)));
  });
  if (watch) Atomics.store(watch, WATCH.job, -1); // idle: nothing to time until the next batch
  // Every blob counts, small ones too: with the young generation held small (young-gen.ts), the texts
  // of small blobs are promoted and pile up as old-generation garbage (a worker's heap reached 65 MB
  // on the bench's 9× history; peak RSS 227 → 181 MB with this).
  msg.jobs.forEach((j, k) => reclaimAfter(results[k].bytes, j.kind === 'blob'));
  parentPort!.postMessage({ id: msg.id, results });
});
