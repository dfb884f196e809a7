/**
 * Memory for blobs read from git, shared with the detection workers. Each blob used to get its own
 * ArrayBuffer, copied again into the worker that scanned it: two allocations per blob, all garbage
 * until V8's next full collection (~50 MB of each on the bench's history). Small blobs are now
 * written into reused shared slabs instead: a worker reads them in place (posting a view of a
 * SharedArrayBuffer copies nothing), and a slab is reused once every blob in it was released.
 */
const SLAB = 1 << 20;
/** Larger blobs get a shared buffer of their own (not reused). */
const OWN = SLAB / 4;
/** Free slabs kept for reuse; more are left to the garbage collector. */
const KEEP = 8;

interface Slab {
  sab: SharedArrayBuffer;
  used: number;
  /** Blobs handed out and not yet released. */
  refs: number;
  /** No longer the slab new blobs go to: free once refs reach 0. */
  sealed: boolean;
}

const slabs = new WeakMap<ArrayBufferLike, Slab>();
const free: Slab[] = [];
let current: Slab | undefined;

function fresh(): Slab {
  const s = free.pop() ?? { sab: new SharedArrayBuffer(SLAB), used: 0, refs: 0, sealed: false };
  slabs.set(s.sab, s);
  return s;
}

function recycle(s: Slab): void {
  s.used = 0;
  s.sealed = false;
  if (free.length < KEEP) free.push(s);
  else slabs.delete(s.sab);
}

/** Room for a blob of `size` bytes; give it back with releaseBlob once nothing reads it any more. */
export function blobBuffer(size: number): Uint8Array {
  if (size > OWN) return new Uint8Array(new SharedArrayBuffer(size));
  if (!current || current.used + size > SLAB) {
    if (current) {
      current.sealed = true;
      if (current.refs === 0) recycle(current);
    }
    current = fresh();
  }
  const view = new Uint8Array(current.sab, current.used, size);
  current.used += size;
  current.refs++;
  return view;
}

/** The blob's room may be reused (a buffer that came from elsewhere is left alone). */
export function releaseBlob(view: Uint8Array): void {
  const s = slabs.get(view.buffer);
  if (!s || s.refs === 0) return;
  s.refs--;
  if (s.refs === 0 && s.sealed) recycle(s);
}

/**
 * The blob goes to `readers` readers (files that share one blob), each releasing it once: none gives
 * its room back now, several hold it until the last one releases it.
 */
export function shareBlob(view: Uint8Array, readers: number): void {
  const s = slabs.get(view.buffer);
  if (!s) return;
  if (readers === 0) releaseBlob(view);
  else s.refs += readers - 1;
}

/** Does the blob live in shared memory (no copy when posted to a worker)? */
export function isShared(view: Uint8Array): boolean {
  return typeof SharedArrayBuffer !== 'undefined' && view.buffer instanceof SharedArrayBuffer;
}

/** Is the blob in a reused slab (its memory is not garbage once released)? */
export function inSlab(view: Uint8Array): boolean {
  return slabs.has(view.buffer);
}
