import { createInterface } from 'node:readline';
import { git, gitError, gitStream } from './run.js';

/** Which part of history to read: all refs, what HEAD adds over a base ref, or a commit range. */
export type HistoryRange = { kind: 'all' } | { kind: 'since'; ref: string } | { kind: 'commits'; range: string };

function revArgs(r: HistoryRange): string[] {
  if (r.kind === 'all') return ['--all'];
  if (r.kind === 'since') return ['HEAD', '--not', r.ref];
  return [r.range];
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
export async function listBlobs(top: string, r: HistoryRange): Promise<{ blobs: Map<string, string>; error?: string }> {
  const { proc, stderr, exit } = gitStream(top, ['rev-list', '--objects', '--filter=object:type=blob', '--filter-provided-objects', '--missing=print', ...revArgs(r)]);
  const blobs = new Map<string, string>();
  let missing = 0;
  const rl = createInterface({ input: proc.stdout, crlfDelay: Infinity });
  for await (const line of rl) {
    if (line.startsWith('?')) {
      missing++;
      continue;
    }
    const sp = line.indexOf(' ');
    if (sp > 0) blobs.set(line.slice(0, sp), line.slice(sp + 1));
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
export async function attributeBlobs(top: string, r: HistoryRange, wanted: Set<string>, maxPerBlob = 50): Promise<Map<string, Introduction[]>> {
  const out = new Map<string, Introduction[]>();
  if (wanted.size === 0) return out;
  const { proc, exit } = gitStream(top, ['-c', 'core.quotePath=false', 'log', '--reverse', '--raw', '--no-abbrev', '--no-renames', '-c', '--format=%x01%H%x01%aI%x01%an', ...revArgs(r)]);
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
    if (list.length < maxPerBlob && !list.some((x) => x.commit === commit)) list.push({ commit, date, author, path: line.slice(tab + 1) });
    out.set(sha, list);
  }
  await exit;
  return out;
}
