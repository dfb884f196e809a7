import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import { budgetFloorMs } from '../detect/watch.js';

/** How long the worker may take to load before its first answer (not part of the budget). */
const STARTUP_MS = 60_000;

/**
 * Regexes a scanned repository's own config supplies (`allowlist.secrets`), tested against found
 * values under the regex time budget: a catastrophic pattern cannot hang the scan. They run on a
 * worker while this thread waits synchronously (the allowlist hook is synchronous) for at most the
 * budget; past it the worker is stopped, `onOverrun` is told once, and from then on nothing is
 * allowlisted by them — the findings stay, so the gate errs towards failing. From TypeScript
 * sources (no built worker script) they run inline, unbounded.
 */
export class BoundedRegexes {
  private worker?: Worker;
  private port?: MessagePort;
  /** [answer ready, worker loaded] */
  private state?: Int32Array;
  private broken = false;

  constructor(
    private readonly patterns: RegExp[],
    private readonly onOverrun: (budgetMs: number) => void,
    private readonly budgetMs = budgetFloorMs(),
  ) {}

  /** Does any pattern match `value`? */
  test(value: string): boolean {
    if (this.patterns.length === 0 || this.broken) return false;
    const script = fileURLToPath(new URL('./bounded-regex-worker.js', import.meta.url));
    if (!this.worker && !existsSync(script)) return this.patterns.some((re) => re.test(value));
    if (!this.worker) {
      this.state = new Int32Array(new SharedArrayBuffer(8));
      const { port1, port2 } = new MessageChannel();
      this.port = port1;
      const sources = this.patterns.map((re) => ({ source: re.source, flags: re.flags }));
      this.worker = new Worker(script, { workerData: { sources, state: this.state.buffer, port: port2 }, transferList: [port2] });
      this.worker.unref();
      Atomics.wait(this.state, 1, 0, STARTUP_MS);
    }
    const state = this.state!;
    Atomics.store(state, 0, 0);
    this.port!.postMessage(value);
    Atomics.wait(state, 0, 0, this.budgetMs);
    const reply = receiveMessageOnPort(this.port!);
    if (reply) return reply.message as boolean;
    this.close();
    this.broken = true;
    this.onOverrun(this.budgetMs);
    return false;
  }

  close(): void {
    this.port?.close();
    void this.worker?.terminate();
    this.worker = undefined;
  }
}
