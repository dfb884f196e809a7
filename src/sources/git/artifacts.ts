import type { Ignore } from 'ignore';
import { heldBytes, QUEUE_BYTES, type Artifact, type TargetRef, type Where } from '../../model/artifact.js';
import { produce } from '../../util/channel.js';
import { isExcluded } from '../fs/ignore.js';
import { catBlobs } from './blobs.js';
import { shareBlob } from '../../util/blob-slabs.js';
import { MAX_JOB_BYTES } from '../../detect/pool.js';
import { attributeBlobs, listBlobs, resolveRevs, type HistoryRange } from './history.js';
import { reportName, visible } from '../../util/raw-path.js';
import { git, splitZ } from './run.js';
import { stagedFiles } from './staged.js';

/**
 * A git repository's content as text artifacts: every unique blob of its history once (its places —
 * the commits that introduced it — resolved only for blobs with findings), or only the HEAD tree,
 * or only what is staged. Used by the code source (a local repository) and the GitHub source (a
 * cached bare clone).
 */
export interface GitArtifactOptions {
  /** Read every blob of the range (false: only the HEAD tree). */
  history: boolean;
  range?: HistoryRange;
  maxFileSize: number;
  /** gitignore-syntax excludes, or a prepared matcher. */
  excludes?: Ignore;
  /** Occurrence source for history blobs (default git-history). */
  source?: string;
  /** Prefix for `resource` on each place (`github:org/repo`), so places name the remote repository. */
  resourcePrefix?: string;
  /** A folder inside the repository (`sub/dir/`): only history under it, paths relative to it. */
  prefix?: string;
}

const mb = (n: number) => `${(n / 1048576).toFixed(1)} MB`;

/** Over --max-file-size: skipped as asked (a warning). Under it but over what a worker can hold: partial. */
export function tooLarge(target: TargetRef, what: string, size: number, max: number): Artifact {
  if (size <= max) return { kind: 'coverage', target, gap: { reason: `${what}: ${mb(size)} is more than one detection worker can scan (${mb(MAX_JOB_BYTES)}), skipped; split the file or --exclude it`, stat: 'skippedLarge' } };
  return { kind: 'coverage', target, gap: { reason: `${what}: ${mb(size)} is larger than --max-file-size (${mb(max)}), skipped`, stat: 'skippedLarge', informational: true } };
}

const FSCK = ' (re-clone, or run `git fsck` to see the damage)';

/** Every blob of the range once; each becomes a text artifact with a deferred (commit-attributed) place. */
export function gitRepoArtifacts(dir: string, target: TargetRef, opts: GitArtifactOptions): AsyncIterable<Artifact> {
  const range = opts.range ?? { kind: 'all' };
  const source = opts.source ?? 'git-history';
  return produce<Artifact>(async (push) => {
    if (!opts.history) return headTree(dir, target, opts, push);
    const prefix = opts.prefix ?? '';
    const revs = await resolveRevs(dir, range, prefix);
    for (const ref of revs.broken) {
      await push({ kind: 'coverage', target, gap: { reason: `git history: the ref ${ref} points at a missing or invalid object and was not read; repair or delete it (\`git update-ref -d ${ref}\`)` } });
    }
    const listed = await listBlobs(dir, revs);
    if (listed.error) await push({ kind: 'coverage', target, gap: { reason: `git history: ${listed.error}; the objects that could be read were scanned${FSCK}` } });
    // A folder inside the repository: history paths are relative to it, like its files.
    // Paths are lossless names (src/util/raw-path.ts) until they become a place (reportName).
    const rel = (p: string): string => (prefix && p.startsWith(prefix) ? p.slice(prefix.length) : p);
    for (const [sha, path] of listed.blobs) listed.blobs.set(sha, rel(path));
    const shas: string[] = [];
    let excluded = 0;
    for (const [sha, path] of listed.blobs) {
      if (opts.excludes && isExcluded(opts.excludes, reportName(path).path)) excluded++;
      else shas.push(sha);
    }
    if (excluded) await push({ kind: 'stats', target, stats: { skippedExcluded: excluded } });
    const attribute = async (blobs: string[]): Promise<Map<string, Where[]>> => {
      const intro = await attributeBlobs(dir, revs, new Set(blobs));
      const out = new Map<string, Where[]>();
      for (const sha of blobs) {
        const list = intro.get(sha);
        const places: Where[] = list?.length
          ? list.map((i) => ({ source, ...reportName(rel(i.path)), commit: i.commit, commitDate: i.date, author: i.author, committed: true }))
          : [{ source, ...reportName(listed.blobs.get(sha) ?? sha), committed: true }];
        if (opts.resourcePrefix) for (const p of places) p.resource = `${opts.resourcePrefix}@${p.commit ?? 'HEAD'}:${p.path}`;
        out.set(sha, places);
      }
      return out;
    };
    const err = await catBlobs(dir, shas, Math.min(opts.maxFileSize, MAX_JOB_BYTES), {
      blob: async (sha, data, size) => {
        const path = listed.blobs.get(sha) ?? sha;
        if (!data) return push(tooLarge(target, `${visible(path)} (blob ${sha.slice(0, 12)})`, size, opts.maxFileSize));
        return push({ kind: 'text', target, where: { source, ...reportName(path), blob: sha, attribute }, content: { bytes: data } });
      },
      missing: (sha) => {
        void push({ kind: 'coverage', target, gap: { reason: `git history: object ${sha.slice(0, 12)} (${visible(listed.blobs.get(sha) ?? '?')}) is missing or corrupt, skipped${FSCK}`, stat: 'skippedMissingObjects' } });
      },
    });
    if (err) await push({ kind: 'coverage', target, gap: { reason: `git history: ${err}` } });
  }, 64, heldBytes, QUEUE_BYTES);
}

/** The HEAD tree only (a bare clone scanned with --no-history). */
async function headTree(dir: string, target: TargetRef, opts: GitArtifactOptions, push: (a: Artifact) => Promise<void>): Promise<void> {
  const head = await git(dir, ['rev-parse', '--verify', '-q', 'HEAD^{commit}']);
  if (head.code !== 0) {
    await push({ kind: 'coverage', target, gap: { reason: 'the repository has no commits on its default branch; nothing to scan', informational: true } });
    return;
  }
  const commit = head.stdout.toString().trim();
  const ls = await git(dir, ['-c', 'core.quotePath=false', 'ls-tree', '-r', '-z', '--full-tree', commit]);
  const byPath = new Map<string, string[]>();
  for (const entry of splitZ(ls.stdout)) {
    const m = /^\d+ blob ([0-9a-f]+)\t(.*)$/s.exec(entry);
    if (!m) continue;
    if (opts.excludes && isExcluded(opts.excludes, reportName(m[2]).path)) continue;
    byPath.set(m[1], [...(byPath.get(m[1]) ?? []), m[2]]);
  }
  const source = opts.source ?? 'file';
  await catBlobs(dir, [...byPath.keys()], Math.min(opts.maxFileSize, MAX_JOB_BYTES), {
    blob: async (sha, data, size) => {
      const paths = byPath.get(sha) ?? [];
      if (data) shareBlob(data, paths.length); // one blob, several files: each scan releases it once
      for (const path of paths) {
        if (!data) await push(tooLarge(target, visible(path), size, opts.maxFileSize));
        else {
          const where: Where = { source, ...reportName(path), commit, committed: true };
          if (opts.resourcePrefix) where.resource = `${opts.resourcePrefix}@${commit}:${where.path}`;
          await push({ kind: 'text', target, where, content: { bytes: data } });
        }
      }
    },
    missing: (sha) => void push({ kind: 'coverage', target, gap: { reason: `object ${sha.slice(0, 12)} is missing, skipped`, stat: 'skippedMissingObjects' } }),
  });
}

/** What is staged for the next commit: each staged file's blob, counting only its added lines. */
export function stagedArtifacts(dir: string, target: TargetRef, opts: { maxFileSize: number; excludes?: Ignore }): AsyncIterable<Artifact> {
  return produce<Artifact>(async (push) => {
    const { files, error } = await stagedFiles(dir);
    if (error) {
      await push({ kind: 'coverage', target, gap: { reason: `staged changes: ${error}` } });
      return;
    }
    const bySha = new Map<string, typeof files>();
    let excluded = 0;
    for (const f of files) {
      if (opts.excludes && isExcluded(opts.excludes, reportName(f.path).path)) {
        excluded++;
        continue;
      }
      bySha.set(f.sha, [...(bySha.get(f.sha) ?? []), f]);
    }
    if (excluded) await push({ kind: 'stats', target, stats: { skippedExcluded: excluded } });
    const err = await catBlobs(dir, [...bySha.keys()], Math.min(opts.maxFileSize, MAX_JOB_BYTES), {
      blob: async (sha, data, size) => {
        const files = bySha.get(sha) ?? [];
        if (data) shareBlob(data, files.length);
        for (const f of files) {
          if (!data) await push(tooLarge(target, visible(f.path), size, opts.maxFileSize));
          else await push({ kind: 'text', target, where: { source: 'git-staged', ...reportName(f.path), committed: false, onlyLines: f.added }, content: { bytes: data } });
        }
      },
      missing: (sha) => void push({ kind: 'coverage', target, gap: { reason: `staged object ${sha.slice(0, 12)} is missing` } }),
    });
    if (err) await push({ kind: 'coverage', target, gap: { reason: `staged changes: ${err}` } });
  }, 64, heldBytes, QUEUE_BYTES);
}
