import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import type { Readable } from 'node:stream';
import { nameFromBytes } from '../../util/raw-path.js';

export interface GitResult {
  code: number;
  stdout: Buffer;
  stderr: string;
}

const GIT_ENV = { ...process.env, GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C', GIT_OPTIONAL_LOCKS: '0' };

/** Run git in `cwd` and collect its output (for small outputs; big ones use gitStream). */
export function git(cwd: string, args: string[], input?: string | Buffer): Promise<GitResult> {
  return new Promise((resolve) => {
    const p = spawn('git', args, { cwd, env: GIT_ENV });
    const out: Buffer[] = [];
    let err = '';
    p.stdout.on('data', (d: Buffer) => out.push(d));
    p.stderr.on('data', (d: Buffer) => (err += d.toString()));
    p.on('error', (e) => resolve({ code: 127, stdout: Buffer.alloc(0), stderr: e.message }));
    p.stdin.on('error', () => undefined); // git missing, or exited before reading its input
    p.on('close', (code) => resolve({ code: code ?? 1, stdout: Buffer.concat(out), stderr: err }));
    if (input !== undefined) p.stdin.end(input);
    else p.stdin.end();
  });
}

/** Start git with its stdout as a stream (rev-list over a big history, cat-file --batch). */
export function gitStream(cwd: string, args: string[]): { proc: ChildProcessWithoutNullStreams; stderr: () => string; exit: Promise<number> } {
  const proc = spawn('git', args, { cwd, env: GIT_ENV });
  proc.stdin.on('error', () => undefined);
  let err = '';
  proc.stderr.on('data', (d: Buffer) => {
    if (err.length < 4096) err += d.toString();
  });
  const exit = new Promise<number>((resolve) => {
    proc.on('error', (e) => {
      if (err.length < 4096) err += e.message;
      resolve(127);
    });
    proc.on('close', (code) => resolve(code ?? 1));
  });
  return { proc, stderr: () => err, exit };
}

/** First meaningful line of git's stderr, for one-line warnings. */
export function gitError(stderr: string): string {
  const line = stderr
    .split('\n')
    .map((l) => l.trim())
    .find((l) => l.length > 0);
  return (line ?? 'git failed').replace(/^(fatal|error): /, '');
}

/**
 * Split NUL- or newline-terminated output into entries, each a lossless string (src/util/raw-path.ts):
 * a path git prints with -z is the name's bytes, which need not be UTF-8.
 */
export function splitZ(buf: Buffer, sep = 0): string[] {
  const out: string[] = [];
  let from = 0;
  for (let i = buf.indexOf(sep); i >= 0; i = buf.indexOf(sep, from)) {
    if (i > from) out.push(nameFromBytes(buf.subarray(from, i)));
    from = i + 1;
  }
  if (from < buf.length) out.push(nameFromBytes(buf.subarray(from)));
  return out;
}

/** The entries of a stream separated by `sep` (NUL or LF), as bytes (names are decoded by the caller). */
export async function* splitStream(input: Readable, sep: number): AsyncGenerator<Buffer> {
  let carry: Buffer = Buffer.alloc(0);
  for await (const chunk of input as AsyncIterable<Buffer>) {
    let buf = carry.length ? Buffer.concat([carry, chunk]) : chunk;
    let from = 0;
    for (let i = buf.indexOf(sep); i >= 0; i = buf.indexOf(sep, from)) {
      yield buf.subarray(from, i);
      from = i + 1;
    }
    buf = buf.subarray(from);
    carry = Buffer.from(buf); // a copy: the chunk is not kept alive by a short tail
  }
  if (carry.length) yield carry;
}
