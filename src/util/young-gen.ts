import { setFlagsFromString } from 'node:v8';

/**
 * Keep the main thread's young generation at its initial size. Loading the rule catalog makes V8 grow
 * it to its maximum (16 MB semi-spaces: 34 MB resident, never given back), yet this thread only moves
 * work between git, the files and the detection workers. The size limit itself (--max-semi-space-size)
 * is read only when the process starts, but the growth factor is read at each resize, so setting it to
 * 1 stops the growth. Starting a worker thread resets V8's flags, so the pool calls this again once
 * each worker is online. The flag is the process's, so it also holds each worker's young generation at
 * its initial size (below the cap its resourceLimits set); detection speed measured the same.
 */
export function keepYoungGenerationSmall(): void {
  setFlagsFromString('--semi-space-growth-factor=1');
}
