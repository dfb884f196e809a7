import { workerData, type MessagePort } from 'node:worker_threads';
import type { SecretRuleSpec } from '../model/rule.js';
import { exampleFailures } from './examples.js';

// Checks custom rules' examples for a thread that waits on `state` (see examples.ts).
const { specs, state, port } = workerData as { specs: SecretRuleSpec[]; state: SharedArrayBuffer; port: MessagePort };
const slots = new Int32Array(state);
try {
  port.postMessage({
    failures: exampleFailures(specs, (i) => {
      Atomics.store(slots, 1, i);
      Atomics.notify(slots, 1);
    }),
  });
} catch (e) {
  port.postMessage({ error: (e as Error).message });
}
Atomics.store(slots, 0, 1);
Atomics.notify(slots, 0);
