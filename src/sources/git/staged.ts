import { nameFromBytes } from '../../util/raw-path.js';
import { git, gitError } from './run.js';

export interface StagedFile {
  /** Lossless string of the name's bytes (src/util/raw-path.ts). */
  path: string;
  sha: string;
  /** Line numbers (1-based) the staged change adds or modifies. */
  added: Set<number>;
}

const ESCAPES: Record<string, number> = { a: 7, b: 8, t: 9, n: 10, v: 11, f: 12, r: 13, '"': 34, '\\': 92 };

/**
 * A path in a patch header, one char per byte: git C-quotes a name holding a tab, a newline, a
 * quote or a backslash (`"b/a\tb"`, octal escapes for other bytes); back to the name's bytes.
 */
function headerPath(p: string): Buffer {
  if (p.length < 2 || !p.startsWith('"') || !p.endsWith('"')) return Buffer.from(p, 'latin1');
  const inner = p.slice(1, -1);
  const bytes: number[] = [];
  for (let i = 0; i < inner.length; i++) {
    const c = inner.charCodeAt(i);
    if (c !== 92) {
      bytes.push(c);
      continue;
    }
    const n = inner[i + 1];
    if (n !== undefined && /[0-7]/.test(n)) {
      bytes.push(parseInt(inner.slice(i + 1, i + 4), 8));
      i += 3;
    } else if (n !== undefined && ESCAPES[n] !== undefined) {
      bytes.push(ESCAPES[n]);
      i += 1;
    } else bytes.push(92);
  }
  return Buffer.from(bytes);
}

/** Parse `git diff -U0` hunks into the new-side line numbers each file gains (keys: lossless names). */
export function addedLines(diff: string | Buffer): Map<string, Set<number>> {
  const out = new Map<string, Set<number>>();
  let current: Set<number> | undefined;
  // One char per byte, so a name's bytes survive whatever their encoding.
  const text = (typeof diff === 'string' ? Buffer.from(diff, 'utf8') : diff).toString('latin1');
  for (const line of text.split('\n')) {
    if (line.startsWith('+++ ')) {
      const p = line.slice(4);
      if (p === '/dev/null') {
        current = undefined;
        continue;
      }
      const name = headerPath(p);
      current = new Set();
      out.set(nameFromBytes(name.subarray(name.subarray(0, 2).toString('latin1') === 'b/' ? 2 : 0)), current);
      continue;
    }
    const h = /^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@/.exec(line);
    if (h && current) {
      const start = Number(h[1]);
      const count = h[2] === undefined ? 1 : Number(h[2]);
      for (let i = 0; i < count; i++) current.add(start + i);
    }
  }
  return out;
}

const DIFF = ['-c', 'core.quotePath=false', 'diff', '--cached', '--no-renames', '--no-ext-diff', '--diff-filter=ACMRT'];

/** What `git commit` would record now: staged files, their index blobs and the lines they add. */
export async function stagedFiles(top: string): Promise<{ files: StagedFile[]; error?: string }> {
  // --raw -z: each entry (`:modes shas status`) then its path, the name's bytes unquoted.
  const raw = await git(top, [...DIFF, '--raw', '-z', '--no-abbrev']);
  if (raw.code !== 0) return { files: [], error: gitError(raw.stderr) };
  const entries: Array<{ sha: string; path: string }> = [];
  let sha: string | undefined;
  let from = 0;
  for (let i = raw.stdout.indexOf(0); i >= 0; i = raw.stdout.indexOf(0, from)) {
    const field = raw.stdout.subarray(from, i);
    from = i + 1;
    if (sha !== undefined) {
      entries.push({ sha, path: nameFromBytes(field) });
      sha = undefined;
    } else if (field[0] === 58 /* : */) sha = field.toString('latin1').split(' ')[3];
  }
  if (entries.length === 0) return { files: [] };
  // Explicit prefixes: a user's diff.noprefix or diff.mnemonicPrefix would change the `+++ b/` header.
  const diff = await git(top, [...DIFF, '-U0', '--no-color', '--src-prefix=a/', '--dst-prefix=b/']);
  const lines = addedLines(diff.stdout);
  return { files: entries.map((e) => ({ path: e.path, sha: e.sha, added: lines.get(e.path) ?? new Set() })) };
}
