import { blobBuffer } from '../../util/blob-slabs.js';
import { reclaimAfter } from '../../util/reclaim.js';
import { gitError, gitStream } from './run.js';

export interface BlobSink {
  /** A blob's content (in shared memory: see util/blob-slabs.ts), or undefined when it exceeds maxSize. */
  blob(sha: string, data: Uint8Array | undefined, size: number): Promise<void> | void;
  missing(sha: string): void;
}

/**
 * Stream blobs out of `git cat-file --batch`: shas go in on stdin, contents come out one after the
 * other. Blobs above maxSize are skipped without being buffered; the sink can apply backpressure by
 * returning a promise (stdout is paused until it settles).
 */
export async function catBlobs(top: string, shas: string[], maxSize: number, sink: BlobSink): Promise<string | undefined> {
  // git cat-file dies on a corrupt object; note it, skip it and go on with the rest.
  let from = 0;
  const errors: string[] = [];
  while (from < shas.length) {
    const r = await catBatch(top, shas.slice(from), maxSize, sink);
    from += r.consumed;
    if (!r.error) break;
    if (from < shas.length) {
      errors.push(`object ${shas[from].slice(0, 12)}: ${r.error}`);
      sink.missing(shas[from]);
      from++;
    } else errors.push(r.error);
  }
  return errors.length ? errors.slice(0, 5).join('; ') : undefined;
}

async function catBatch(top: string, shas: string[], maxSize: number, sink: BlobSink): Promise<{ consumed: number; error?: string }> {
  let consumed = 0;
  const { proc, stderr, exit } = gitStream(top, ['cat-file', '--batch']);
  // Feed stdin respecting its buffer, so a huge sha list doesn't sit in memory twice.
  (async () => {
    let chunk = '';
    for (const sha of shas) {
      chunk += `${sha}\n`;
      if (chunk.length >= 64 * 1024) {
        if (!proc.stdin.write(chunk)) await new Promise((r) => proc.stdin.once('drain', r));
        chunk = '';
      }
    }
    proc.stdin.end(chunk);
  })().catch(() => undefined);
  proc.stdin.on('error', () => undefined);

  let header: Buffer[] = [];
  let body: Uint8Array | undefined;
  let sha = '';
  let size = 0;
  let got = 0;
  let keep = false;
  let state: 'header' | 'body' | 'lf' = 'header';

  const onData = async (chunk: Buffer): Promise<void> => {
    reclaimAfter(chunk.length, true); // each chunk from the pipe is a buffer of its own
    let i = 0;
    while (i < chunk.length) {
      if (state === 'header') {
        const nl = chunk.indexOf(10, i);
        if (nl < 0) {
          header.push(chunk.subarray(i));
          return;
        }
        header.push(chunk.subarray(i, nl));
        const line = Buffer.concat(header).toString('latin1');
        header = [];
        i = nl + 1;
        const parts = line.split(' ');
        if (parts[1] === 'missing' || parts.length < 3) {
          consumed++;
          sink.missing(parts[0]);
          continue;
        }
        sha = parts[0];
        size = Number(parts[2]);
        got = 0;
        keep = parts[1] === 'blob' && size <= maxSize;
        body = keep && size > 0 ? blobBuffer(size) : undefined;
        state = size === 0 ? 'lf' : 'body';
        if (size === 0) {
          consumed++;
          const p = sink.blob(sha, keep ? new Uint8Array(0) : undefined, 0);
          if (p) await p;
        }
      } else if (state === 'body') {
        const n = Math.min(size - got, chunk.length - i);
        if (body) body.set(chunk.subarray(i, i + n), got);
        got += n;
        i += n;
        if (got === size) {
          state = 'lf';
          consumed++;
          const p = sink.blob(sha, body, size);
          body = undefined;
          if (p) await p;
        }
      } else {
        i++; // the LF after each object
        state = 'header';
      }
    }
  };

  await new Promise<void>((resolve) => {
    let chain = Promise.resolve();
    proc.stdout.on('data', (chunk: Buffer) => {
      proc.stdout.pause();
      chain = chain.then(() => onData(chunk)).finally(() => proc.stdout.resume());
    });
    proc.stdout.on('end', () => chain.then(() => resolve()));
  });
  const code = await exit;
  return code === 0 ? { consumed } : { consumed, error: gitError(stderr()) };
}
