import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';

/** A file that may not be read: not a regular file (a FIFO, a device, /dev/zero), or too large. */
export class UnsafeFileError extends Error {
  constructor(
    readonly code: 'ENOENT' | 'NOTREGULAR' | 'TOOLARGE' | string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Read a small file that someone else controls (a repository's .nhi-audit.yaml or
 * .nhi-auditignore, a baseline, an export): only a regular file (a symlink is followed, then
 * checked: one to /dev/zero or a FIFO is refused), at most `maxBytes`. Opening does not block on a
 * FIFO. The error's message never quotes the content.
 */
export function readRegularFile(path: string, maxBytes: number): Buffer {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? 'EIO';
    throw new UnsafeFileError(code, code === 'ENOENT' ? 'no such file' : code);
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw new UnsafeFileError('NOTREGULAR', 'not a regular file (a pipe, device or directory), not read');
    if (st.size > maxBytes) throw new UnsafeFileError('TOOLARGE', `larger than ${Math.round(maxBytes / 1048576)} MiB, not read`);
    const buf = Buffer.allocUnsafe(st.size);
    let off = 0;
    while (off < st.size) {
      const n = readSync(fd, buf, off, st.size - off, off);
      if (n === 0) break;
      off += n;
    }
    return buf.subarray(0, off);
  } finally {
    closeSync(fd);
  }
}

export function readRegularText(path: string, maxBytes: number): string {
  return readRegularFile(path, maxBytes).toString('utf8');
}

/**
 * Why JSON.parse failed, without the excerpt of the text V8 puts in its message (`Unexpected
 * token 'g', "ghp_abc…" is not valid JSON`): the file may start with a secret.
 */
export function jsonErrorReason(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  const pos = /position (\d+)/.exec(msg)?.[1];
  const lineCol = /line (\d+) column (\d+)/.exec(msg);
  if (/Unexpected end of JSON input/.test(msg)) return 'unexpected end of input';
  const where = lineCol ? ` at line ${lineCol[1]} column ${lineCol[2]}` : pos !== undefined ? ` at position ${pos}` : '';
  return `invalid JSON${where}`;
}
