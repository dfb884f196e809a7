import { parentPort, workerData } from 'node:worker_threads';
import type { SecretRuleSpec } from '../model/rule.js';
import { runJob, type ScanJob } from './job.js';
import { SecretScanner } from './scanner.js';

// A detection worker: compiles the rule set once, then scans batches of jobs for the pool.
const scanner = new SecretScanner((workerData as { rules: SecretRuleSpec[] }).rules);

parentPort!.on('message', (msg: { id: number; jobs: ScanJob[] }) => {
  const results = msg.jobs.map((j) => runJob(scanner, j));
  parentPort!.postMessage({ id: msg.id, results });
});
