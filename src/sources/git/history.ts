import { nameFromBytes } from '../../util/raw-path.js';
import { git, gitError, gitStream, splitStream } from './run.js';

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
 * blob is read and scanned once however many commits contain it. Paths are lossless strings (the
 * name's bytes; rev-list does not quote them). rev-list cuts a name at a newline: such a blob's path
 * here is the part before it, used only to match excludes and to name the blob in warnings — its
 * findings take the exact path from attribution.
 */
export async function listBlobs(top: string, revs: Revs): Promise<{ blobs: Map<string, string>; error?: string }> {
  const { proc, stderr, exit } = startRevs(top, ['rev-list', '--objects', '--filter=object:type=blob', '--filter-provided-objects', '--missing=print'], revs);
  const blobs = new Map<string, string>();
  // Memory per blob stays small on long histories: the sha is copied out of its line (a slice would
  // keep the whole line alive) and each path is kept once, however many versions of the file there are.
  const paths = new Map<string, string>();
  let missing = 0;
  for await (const line of splitStream(proc.stdout, 10)) {
    if (line[0] === 63 /* ? */) {
      missing++;
      continue;
    }
    const sp = line.indexOf(32);
    if (sp <= 0) continue;
    const name = nameFromBytes(line.subarray(sp + 1));
    let kept = paths.get(name);
    if (kept === undefined) paths.set(name, (kept = name));
    blobs.set(line.toString('latin1', 0, sp), kept);
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
  /** The path in that commit, a lossless string. */
  path: string;
}

/**
 * For the blobs that had findings: the commits that introduced them (oldest first) with the path in
 * each. One `git log --raw -z` walk covers them all (-z: paths are the names' bytes, never C-quoted);
 * merges are included (-c) so a secret that first appears in a conflict resolution is attributed too.
 */
export async function attributeBlobs(top: string, revs: Revs, wanted: Set<string>, maxPerBlob = 50): Promise<Map<string, Introduction[]>> {
  const out = new Map<string, Introduction[]>();
  if (wanted.size === 0) return out;
  const { proc, exit } = startRevs(top, ['log', '--reverse', '--raw', '-z', '--no-abbrev', '--no-renames', '-c', '--format=%x01%H%x01%aI%x01%an'], revs);
  let commit = '';
  let date = '';
  let author = '';
  // With -z each raw entry (`:modes shas status`) is followed by its path as the next NUL-separated field.
  let entry: { sha: string; deleted: boolean } | undefined;
  for await (let field of splitStream(proc.stdout, 0)) {
    if (entry) {
      const { sha, deleted } = entry;
      entry = undefined;
      if (deleted || !wanted.has(sha)) continue;
      const list = out.get(sha) ?? [];
      if (list.length < maxPerBlob && !list.some((x) => x.commit === commit)) list.push({ commit, date, author, path: nameFromBytes(field) });
      out.set(sha, list);
      continue;
    }
    while (field[0] === 10) field = field.subarray(1);
    if (field[0] === 1) {
      [, commit, date, author] = field.toString('utf8').split('\x01');
    } else if (field[0] === 58 /* : */) {
      const fields = field.toString('latin1').split(' ');
      entry = { sha: fields[fields.length - 2], deleted: fields[fields.length - 1].startsWith('D') };
    }
  }
  await exit;
  return out;
}
