import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/**
 * Frees the memory that large scanned texts leave behind. Node makes a latin1 string of 1 MB or more
 * outside the JS heap; scanning it takes long enough for the string to be promoted, and V8 collects
 * the old generation only once such external memory has grown by 64 MB: each detection worker held up
 * to ~60 MB of dead file texts (malloc'd, so the process kept them resident). A full collection after
 * every LIMIT bytes of large content (and of blobs: see the callers) bounds that at a small cost (one
 * GC per 8 MB).
 */
const LARGE = 512 << 10;
const LIMIT = 8 << 20;

type Gc = (opts?: { type?: 'major' | 'minor'; execution?: 'sync' | 'async' }) => void;
let gc: Gc | undefined | null;
let since = 0;

function collector(): Gc | null {
  if (gc !== undefined) return gc;
  try {
    // The flag only exposes `gc` to contexts made after it is set; this one exists just to fetch it.
    setFlagsFromString('--expose-gc');
    gc = runInNewContext('gc') as Gc;
  } catch {
    gc = null; // not available: V8's own limits still apply
  }
  return gc;
}

/**
 * Count a scanned content's size; past the limit, collect. `always`: count it whatever its size (a
 * blob with a buffer of its own, which lives outside the heap until collected; any blob's text in a
 * worker).
 */
export function reclaimAfter(bytes: number, always = false): void {
  if (bytes < LARGE && !always) return;
  since += bytes;
  if (since < LIMIT) return;
  since = 0;
  collector()?.();
}
