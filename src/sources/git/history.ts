import { createInterface } from 'node:readline';
import { git, gitError, gitStream } from './run.js';

/** Which part of history to read: all refs, what HEAD adds over a base ref, or a commit range. */
export type HistoryRange = { kind: 'all' } | { kind: 'since'; ref: string } | { kind: 'commits'; range: string };

/**
 * The revisions a history read walks. For the whole history these are all refs, except refs that
 * point at nothing (a bogus or dangling file under .git/refs/): `--all` would make git stop at the
 * first of them and read nothing, so the good refs are listed instead and the broken ones named.
 */
export interface Revs {
  args: string[];
  /** Revisions fed on stdin (with --stdin) instead of on the command line. */
  stdin?: string;
  /** Refs that point at a missing or invalid object (not read). */
  broken: string[];
  /** Only history that touches these paths (a folder inside the repository). */
  pathspec?: string[];
}

export async function resolveRevs(top: string, r: HistoryRange, prefix = ''): Promise<Revs> {
  const pathspec = prefix ? [`:(top,literal)${prefix.replace(/\/$/, '')}`] : undefined;
  if (r.kind === 'since') return { args: ['HEAD', '--not', r.ref], broken: [], pathspec };
  if (r.kind === 'commits') return { args: [r.range], broken: [], pathspec };
  const refs = await git(top, ['for-each-ref', '--format=%(refname)']);
  // for-each-ref skips a ref file it cannot parse, with a warning naming it.
  const broken = [...refs.stderr.matchAll(/ignoring broken ref (\S+)/g)].map((m) => m[1]);
  const names = [...refs.stdout.toString().split('\n').filter(Boolean), 'HEAD'];
  const check = await git(top, ['cat-file', '--batch-check=%(objectname)'], `${names.join('\n')}\n`);
  const answers = check.stdout.toString().split('\n');
  const good: string[] = [];
  names.forEach((n, i) => {
    const a = answers[i] ?? '';
    if (/^[0-9a-f]{40,64}$/.test(a)) good.push(n);
    else if (n !== 'HEAD') broken.push(n); // an unborn HEAD is not damage
  });
  if (check.code !== 0 || broken.length === 0) return { args: ['--all'], broken: [], pathspec };
  return { args: ['--stdin'], stdin: `${good.join('\n')}\n`, broken: [...new Set(broken)], pathspec };
}

function startRevs(top: string, before: string[], revs: Revs): ReturnType<typeof gitStream> {
  const s = gitStream(top, [...before, ...revs.args, ...(revs.pathspec ? ['--', ...revs.pathspec] : [])]);
  if (revs.stdin !== undefined) s.proc.stdin.end(revs.stdin);
  else s.proc.stdin.end();
  return s;
}

/** Check that the refs a range names exist, so a typo is a usage error rather than an empty scan. */
export async function checkRange(top: string, r: HistoryRange): Promise<string | undefined> {
  const refs = r.kind === 'since' ? [r.ref] : r.kind === 'commits' ? r.range.split(/\.\.\.?/).filter(Boolean) : [];
  if (r.kind === 'commits' && !/^[^.]+\.\.\.?[^.]+$/.test(r.range)) return `--commits expects A..B, got '${r.range}'`;
  for (const ref of refs) {
    const v = await git(top, ['rev-parse', '--verify', '-q', `${ref}^{commit}`]);
    if (v.code !== 0) return `unknown revision '${ref}'`;
  }
  return undefined;
}

/**
 * Every unique blob in the range with one path it had (rev-list prints each object once), so each
 * blob is read and scanned once however many commits contain it.
 */
export async function listBlobs(top: string, revs: Revs): Promise<{ blobs: Map<string, string>; error?: string }> {
  const { proc, stderr, exit } = startRevs(top, ['rev-list', '--objects', '--filter=object:type=blob', '--filter-provided-objects', '--missing=print'], revs);
  const blobs = new Map<string, string>();
  // Memory per blob stays small on long histories: the sha is copied out of its line (a slice would
  // keep the whole line alive) and each path is kept once, however many versions of the file there are.
  const paths = new Map<string, string>();
  let missing = 0;
  const rl = createInterface({ input: proc.stdout, crlfDelay: Infinity });
  for await (const line of rl) {
    if (line.startsWith('?')) {
      missing++;
      continue;
    }
    const sp = line.indexOf(' ');
    if (sp <= 0) continue;
    const path = line.slice(sp + 1);
    let kept = paths.get(path);
    if (kept === undefined) paths.set(path, (kept = Buffer.from(path, 'utf8').toString('utf8')));
    blobs.set(Buffer.from(line.slice(0, sp), 'latin1').toString('latin1'), kept);
  }
  const code = await exit;
  let error = code === 0 ? undefined : gitError(stderr());
  if (missing > 0) error = `${missing} object${missing === 1 ? '' : 's'} missing from the repository${error ? `; ${error}` : ''}`;
  return { blobs, error };
}

export interface Introduction {
  commit: string;
  date: string;
  author: string;
  path: string;
}

/**
 * For the blobs that had findings: the commits that introduced them (oldest first) with the path in
 * each. One `git log --raw` walk covers them all; merges are included (-c) so a secret that first
 * appears in a conflict resolution is attributed too.
 */
export async function attributeBlobs(top: string, revs: Revs, wanted: Set<string>, maxPerBlob = 50): Promise<Map<string, Introduction[]>> {
  const out = new Map<string, Introduction[]>();
  if (wanted.size === 0) return out;
  const { proc, exit } = startRevs(top, ['-c', 'core.quotePath=false', 'log', '--reverse', '--raw', '--no-abbrev', '--no-renames', '-c', '--format=%x01%H%x01%aI%x01%an'], revs);
  let commit = '';
  let date = '';
  let author = '';
  const rl = createInterface({ input: proc.stdout, crlfDelay: Infinity });
  for await (const line of rl) {
    if (line.charCodeAt(0) === 1) {
      [, commit, date, author] = line.split('\x01');
      continue;
    }
    if (line.charCodeAt(0) !== 58 /* : */) continue;
    const tab = line.indexOf('\t');
    if (tab < 0) continue;
    const fields = line.slice(0, tab).split(' ');
    const sha = fields[fields.length - 2];
    if (!wanted.has(sha)) continue;
    const status = fields[fields.length - 1];
    if (status.startsWith('D')) continue;
    const list = out.get(sha) ?? [];
    if (list.length < maxPerBlob && !list.some((x) => x.commit === commit)) list.push({ commit, date, author, path: unquotePath(line.slice(tab + 1)) });
    out.set(sha, list);
  }
  await exit;
  return out;
}

const ESCAPES: Record<string, number> = { a: 7, b: 8, t: 9, n: 10, v: 11, f: 12, r: 13, '"': 34, '\\': 92 };

/**
 * A path as git prints it when it holds a tab, a newline, a quote or a backslash (C-quoted even with
 * core.quotePath=false): back to the name on disk, bytes decoded as UTF-8 (octal escapes included).
 */
export function unquotePath(p: string): string {
  if (p.length < 2 || !p.startsWith('"') || !p.endsWith('"')) return p;
  const inner = p.slice(1, -1);
  const bytes: number[] = [];
  for (let i = 0; i < inner.length; i++) {
    const c = inner[i];
    if (c !== '\\') {
      bytes.push(...Buffer.from(c, 'utf8'));
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
  return Buffer.from(bytes).toString('utf8');
}
