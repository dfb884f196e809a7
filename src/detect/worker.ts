import { parentPort, workerData } from 'node:worker_threads';
import type { SecretRuleSpec } from '../model/rule.js';
import { runJob, type ScanJob } from './job.js';
import { SecretScanner } from './scanner.js';

// A detection worker: compiles the rule set once, then scans batches of jobs for the pool.
const scanner = new SecretScanner((workerData as { rules: SecretRuleSpec[] }).rules);

// Tests make a worker die on one file to check that the pool restarts it and loses nothing.
const crashOn = process.env.NHI_AUDIT_TEST_WORKER_CRASH;

parentPort!.on('message', (msg: { id: number; jobs: ScanJob[] }) => {
  if (crashOn && msg.jobs.some((j) => j.kind === 'file' && j.abs.endsWith(crashOn))) process.exit(70);
  const results = msg.jobs.map((j) => runJob(scanner, j));
  parentPort!.postMessage({ id: msg.id, results });
});
