import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { MessageChannel, receiveMessageOnPort, Worker } from 'node:worker_threads';
import { SecretScanner } from '../detect/scanner.js';
import { budgetFloorMs } from '../detect/watch.js';
import type { SecretRuleSpec } from '../model/rule.js';

/** How long the worker may take to load before it starts checking (not part of the budget). */
const STARTUP_MS = 60_000;

/** A custom rule's example that does not behave as written: a positive one unmatched, or a negative one matched. */
export interface ExampleFailure {
  rule: number;
  example: number;
  negative: boolean;
}

/** Check every custom rule's examples; `at` is told which rule is being checked. */
export function exampleFailures(specs: SecretRuleSpec[], at?: (rule: number) => void): ExampleFailure[] {
  const scanner = new SecretScanner(specs);
  const out: ExampleFailure[] = [];
  specs.forEach((spec, i) => {
    at?.(i);
    spec.examples.forEach((ex, j) => {
      if (!scanner.scanText(ex).some((m) => m.ruleId === spec.id)) out.push({ rule: i, example: j, negative: false });
    });
    spec.negative_examples.forEach((ex, j) => {
      if (scanner.scanText(ex).some((m) => m.ruleId === spec.id)) out.push({ rule: i, example: j, negative: true });
    });
  });
  return out;
}

/**
 * The same check, bounded in time: a config file is read before any scan, and a catastrophic pattern
 * with a crafted example would otherwise hang it. The check runs on a worker thread while this one
 * waits (synchronously: config loading is synchronous) for at most the detection time budget; past
 * it the worker is stopped and the rule it was on is returned as `overran` (-1: it had not started on one). From TypeScript sources
 * (no built worker script) it runs inline, unbounded.
 */
export function boundedExampleFailures(specs: SecretRuleSpec[], budgetMs = budgetFloorMs()): { failures: ExampleFailure[]; overran?: number } {
  const script = fileURLToPath(new URL('./examples-worker.js', import.meta.url));
  if (!existsSync(script)) return { failures: exampleFailures(specs) };
  const state = new Int32Array(new SharedArrayBuffer(8)); // [done flag, rule being checked]
  state[1] = -1;
  const { port1, port2 } = new MessageChannel();
  const worker = new Worker(script, { workerData: { specs, state: state.buffer, port: port2 }, transferList: [port2] });
  worker.unref();
  try {
    // The budget starts when the worker starts on the examples, not while it loads (slow on a busy machine).
    Atomics.wait(state, 1, -1, STARTUP_MS);
    const waited = Atomics.wait(state, 0, 0, budgetMs);
    const reply = receiveMessageOnPort(port1)?.message as { failures?: ExampleFailure[]; error?: string } | undefined;
    if (waited === 'timed-out' && !reply) return { failures: [], overran: Atomics.load(state, 1) };
    if (!reply || reply.error !== undefined) throw new Error(`custom rules' examples could not be checked: ${reply?.error ?? 'no answer'}`);
    return { failures: reply.failures ?? [] };
  } finally {
    port1.close();
    void worker.terminate();
  }
}
