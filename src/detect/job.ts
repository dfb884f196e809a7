import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { fsPath } from '../util/raw-path.js';
import type { SecretScanner, TextMatch } from './scanner.js';

/** A unit of detection work: a file to read and scan, or bytes already read (a git blob). */
export type ScanJob =
  /** `path`: the file's path under the scanned folder: rules that depend on where a file lies (lockfiles, Helm charts) look at it, not at where the checkout happens to be. */
  | { kind: 'file'; abs: string; maxSize: number; path?: string }
  | { kind: 'blob'; data: Uint8Array; /** the blob's path in the tree, when known (lockfiles are scanned differently) */ path?: string };

export interface JobResult {
  bytes: number;
  binary?: boolean;
  /** The file exceeds --max-file-size: not read. */
  tooLarge?: boolean;
  /** errno code (EACCES, EISDIR …) when the file could not be read. */
  error?: string;
  /** Detection ran past the pool's time budget (see pool.ts): the worker was stopped, the file not scanned. */
  timedOut?: { budgetMs: number; rule?: string };
  matches: TextMatch[];
}

/**
 * Files up to this size are read into one buffer that each thread reuses instead of one allocation
 * per file (dead until a collection). Larger files get their own, which reclaim.ts counts; a larger
 * reused buffer (8 MB) stayed resident in each worker for the whole scan and measured worse.
 * Detection copies what it keeps into strings, so the buffer is free again when the job returns.
 */
const REUSED_MAX = 2 << 20;
let reused: Buffer | undefined;

function readBuffer(size: number): Buffer {
  if (size > REUSED_MAX) return Buffer.allocUnsafeSlow(size);
  if (!reused || reused.length < size) reused = Buffer.allocUnsafeSlow(Math.min(REUSED_MAX, Math.max(size, 256 << 10, (reused?.length ?? 0) * 2)));
  return reused.subarray(0, size);
}

function readSmallFile(abs: string, maxSize: number): { buf?: Buffer; size: number; tooLarge?: boolean } {
  const fd = openSync(fsPath(abs), 'r'); // a name that is not UTF-8 is opened by its bytes
  try {
    const size = fstatSync(fd).size;
    if (size > maxSize) return { size, tooLarge: true };
    const buf = readBuffer(size);
    let off = 0;
    while (off < size) {
      const n = readSync(fd, buf, off, size - off, off);
      if (n === 0) break;
      off += n;
    }
    return { buf: off === size ? buf : buf.subarray(0, off), size: off };
  } finally {
    closeSync(fd);
  }
}

/**
 * Run one job with a scanner; used inside workers and inline when workers are off. `sized` learns the
 * content's size before detection starts (the pool's watchdog sizes the job's time budget from it).
 */
export function runJob(scanner: SecretScanner, job: ScanJob, sized?: (bytes: number) => void): JobResult {
  if (job.kind === 'blob') {
    const buf = Buffer.from(job.data.buffer, job.data.byteOffset, job.data.byteLength);
    sized?.(buf.length);
    const r = scanner.scanBuffer(buf, job.path);
    return { bytes: buf.length, binary: r.binary, matches: r.matches };
  }
  let read;
  try {
    read = readSmallFile(job.abs, job.maxSize);
  } catch (e) {
    return { bytes: 0, error: (e as NodeJS.ErrnoException).code ?? 'EIO', matches: [] };
  }
  if (read.tooLarge) return { bytes: read.size, tooLarge: true, matches: [] };
  sized?.(read.size);
  const r = scanner.scanBuffer(read.buf!, job.path ?? job.abs);
  return { bytes: read.size, binary: r.binary, matches: r.matches };
}
