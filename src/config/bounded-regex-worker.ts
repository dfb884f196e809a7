import { workerData, type MessagePort } from 'node:worker_threads';

// Tests found values against a config's allowlist regexes for a thread that waits on `state` (see bounded-regex.ts).
const { sources, state, port } = workerData as { sources: Array<{ source: string; flags: string }>; state: SharedArrayBuffer; port: MessagePort };
const slots = new Int32Array(state);
const patterns = sources.map((s) => new RegExp(s.source, s.flags.replace(/[gy]/g, '')));
port.on('message', (value: string) => {
  port.postMessage(patterns.some((re) => re.test(value)));
  Atomics.store(slots, 0, 1);
  Atomics.notify(slots, 0);
});
Atomics.store(slots, 1, 1);
Atomics.notify(slots, 1);
