import { readdir, realpath, stat } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';
import type { Ignore } from 'ignore';
import { MAX_JOB_BYTES, type ScanPool } from '../../detect/pool.js';
import type { JobResult } from '../../detect/job.js';
import type { TextMatch } from '../../detect/scanner.js';
import { identifierRules, secretFinding, type SecretPlace } from '../../detect/to-finding.js';
import type { Finding } from '../../model/finding.js';
import type { OwaspId } from '../../model/owasp.js';
import type { TargetResult } from '../../model/report.js';
import type { SecretRuleSpec } from '../../model/rule.js';
import type { Progress } from '../../progress/progress.js';
import { isExcluded, loadExcludes } from '../fs/ignore.js';
import { walkFiles } from '../fs/walk.js';
import { catBlobs } from '../git/blobs.js';
import { attributeBlobs, checkRange, listBlobs, resolveRevs, type HistoryRange } from '../git/history.js';
import { repoInfo, trackedState } from '../git/repo.js';
import { git } from '../git/run.js';
import { stagedFiles } from '../git/staged.js';

/** Categories a code scan can assess: leaks, long-lived credential types, reuse across places. */
export const CODE_ASSESSED: OwaspId[] = ['NHI2', 'NHI7', 'NHI9'];

export interface CodeScanOptions {
  /** Read git history (false with --no-history). */
  history: boolean;
  range: HistoryRange;
  staged: boolean;
  excludes: string[];
  maxFileSize: number;
  showSecrets: boolean;
  rules: SecretRuleSpec[];
  progress?: Progress;
  /** Allowlist from the config file: true drops the match (checked before any finding is built). */
  allowlisted?: (ruleId: string, secret: string, path: string | undefined) => boolean;
  /** Scan dependency and build folders git ignores (node_modules/, vendor/ …): --include-deps. */
  includeDeps?: boolean;
  /** Read the scanned root's .nhi-auditignore (false with --no-repo-config). */
  repoIgnore?: boolean;
  /** Extra analysis for particular files the walk meets (MCP client configs). */
  fileHooks?: FileHook[];
}

export interface FileHook {
  matches(rel: string): boolean;
  /** Categories the hook's analysis assesses, added to the target's when it ran. */
  assessed?: OwaspId[];
  analyze(rel: string, abs: string, target: number): Promise<{ findings: Finding[]; warnings: string[] }>;
}

export interface CodeScanResult {
  target: TargetResult;
  findings: Finding[];
}

const MAX_WARNINGS = 200;

/** Accumulates a target's findings, counters and one-line warnings. */
class TargetState {
  readonly findings: Finding[] = [];
  readonly warnings: string[] = [];
  readonly stats: Record<string, number> = { files: 0, bytes: 0, blobs: 0, blobBytes: 0, findings: 0, skippedBinary: 0, skippedLarge: 0, skippedUnreadable: 0, skippedExcluded: 0, skippedSymlinks: 0, skippedMissingObjects: 0 };
  partial = false;
  /** The first reason the target became partial: the one line the gate prints. */
  partialReason?: string;
  readonly assessed = new Set<OwaspId>(CODE_ASSESSED);
  private readonly byId: Map<string, SecretRuleSpec>;
  private readonly identifiers: Set<string>;

  constructor(
    readonly index: number,
    readonly opts: CodeScanOptions,
  ) {
    this.byId = new Map(opts.rules.map((r) => [r.id, r]));
    this.identifiers = identifierRules(opts.rules);
  }

  warn(msg: string, partial = false): void {
    if (partial) {
      this.partial = true;
      this.partialReason ??= msg;
    }
    if (this.warnings.length < MAX_WARNINGS) this.warnings.push(msg);
    else if (this.warnings.length === MAX_WARNINGS) this.warnings.push('… more warnings omitted');
  }

  count(key: string, n = 1): void {
    this.stats[key] = (this.stats[key] ?? 0) + n;
  }

  add(m: TextMatch, place: SecretPlace): void {
    const rule = this.byId.get(m.ruleId)!;
    if (this.opts.allowlisted?.(m.ruleId, m.pair !== undefined ? `${m.value}\n${m.pair}` : m.value, place.path)) {
      this.count('allowlisted');
      return;
    }
    this.findings.push(secretFinding(rule, m, { ...place, target: this.index }, { showSecrets: this.opts.showSecrets, identifier: this.identifiers.has(rule.id) }));
    this.count('findings');
    this.opts.progress?.update({ findings: 1 });
  }
}

/** What to do about a file that could not be read, for the one-line reason. */
function unreadableFix(code: string | undefined): string {
  if (code === 'EACCES' || code === 'EPERM') return ' (run the scan as a user who can read it, or --exclude it)';
  if (code === 'EWORKER') return ' (the detection worker failed on it)';
  return '';
}

/** Pseudo file systems: their files have no stored content (sizes of 0, endless streams). */
const PSEUDO_FS = ['/proc', '/sys', '/dev'];

function onPseudoFs(abs: string): boolean {
  return PSEUDO_FS.some((p) => abs === p || abs.startsWith(`${p}/`));
}

/** A file or blob under --max-file-size but over what one worker can hold: said, and partial. */
function tooBigForWorker(st: TargetState, what: string, size: number): void {
  st.count('skippedLarge');
  st.warn(`${what}: ${mb(size)} is more than one detection worker can scan (${mb(MAX_JOB_BYTES)}), skipped; split the file or --exclude it`, true);
}

function mb(n: number): string {
  return `${(n / 1048576).toFixed(1)} MB`;
}

/** Bookkeeping of one file-or-blob job result; returns the matches to turn into findings. */
function account(st: TargetState, what: string, r: JobResult, kind: 'file' | 'blob'): TextMatch[] {
  if (r.error) {
    st.count('skippedUnreadable');
    st.warn(`${what}: cannot read (${r.error}), skipped${unreadableFix(r.error)}`, true);
    return [];
  }
  if (r.tooLarge) {
    st.count('skippedLarge');
    st.warn(`${what}: ${mb(r.bytes)} is larger than --max-file-size (${mb(st.opts.maxFileSize)}), skipped`);
    return [];
  }
  st.count(kind === 'file' ? 'files' : 'blobs');
  st.count(kind === 'file' ? 'bytes' : 'blobBytes', r.bytes);
  st.opts.progress?.update(kind === 'file' ? { files: 1, bytes: r.bytes } : { blobs: 1, bytes: r.bytes });
  if (r.binary) {
    st.count('skippedBinary');
    return [];
  }
  return r.matches;
}

/** Folders of third-party code and build output: not the user's leak when git ignores them. */
export const DEPENDENCY_DIRS = new Set(['node_modules', 'vendor', '.venv', 'venv', 'site-packages', 'bower_components', '.tox', 'target', '.gradle']);

async function countFiles(abs: string): Promise<number> {
  try {
    const all = await readdir(abs, { recursive: true, withFileTypes: true });
    return all.filter((e) => e.isFile()).length;
  } catch {
    return 0;
  }
}

/**
 * A dependency folder (DEPENDENCY_DIRS) that git ignores is left out unless --include-deps: counted
 * (skippedDependencyFiles) and named in one warning each. Other ignored files (.env) are scanned.
 */
function dependencySkipper(root: string, st: TargetState, inRepo: boolean): ((rel: string, abs: string) => Promise<boolean>) | undefined {
  if (st.opts.includeDeps || !inRepo) return undefined;
  return async (rel, abs) => {
    if (!DEPENDENCY_DIRS.has(basename(rel))) return false;
    const r = await git(root, ['check-ignore', '-q', '--', `${rel}/`]);
    if (r.code !== 0) return false;
    const n = await countFiles(abs);
    st.count('skippedDependencyDirs');
    st.count('skippedDependencyFiles', n);
    st.warn(`${rel}/: dependency folder ignored by git, ${n} file${n === 1 ? '' : 's'} not scanned (--include-deps scans them)`);
    return true;
  };
}

async function scanWorkingTree(root: string, st: TargetState, pool: ScanPool, ig: Ignore, committed: (rel: string) => boolean | undefined, inRepo = false): Promise<void> {
  st.opts.progress?.update({ phase: 'working tree' });
  const pending: Promise<void>[] = [];
  const hooks = st.opts.fileHooks ?? [];
  const walker = walkFiles(root, ig, {
    skipDir: dependencySkipper(root, st, inRepo),
    skip(reason, rel, detail) {
      if (reason === 'excluded') return st.count('skippedExcluded');
      if (reason === 'symlink-loop' || reason === 'outside-root' || reason === 'dangling') {
        st.count('skippedSymlinks');
        return st.warn(`${rel}: ${detail ?? reason}, skipped`);
      }
      if (reason === 'special') {
        st.count('skippedSpecial');
        return st.warn(`${rel}: ${detail ?? 'not a regular file'} (FIFO, socket or device), skipped`);
      }
      st.count('skippedUnreadable');
      st.warn(`${rel}: cannot read (${detail ?? 'error'}), skipped${unreadableFix(detail)}`, true);
    },
  });
  const checkSize = st.opts.maxFileSize > MAX_JOB_BYTES;
  for await (const f of walker) {
    if (checkSize) {
      const size = await stat(f.abs).then((x) => x.size).catch(() => 0);
      if (size > MAX_JOB_BYTES && size <= st.opts.maxFileSize) {
        tooBigForWorker(st, f.rel, size);
        continue;
      }
    }
    pending.push(
      pool.submit({ kind: 'file', abs: f.abs, maxSize: st.opts.maxFileSize }).then((r) => {
        const isCommitted = committed(f.rel);
        for (const m of account(st, f.rel, r, 'file')) st.add(m, { source: 'file', path: f.rel, ...(isCommitted === undefined ? {} : { committed: isCommitted }) });
      }),
    );
    for (const h of hooks) {
      if (!h.matches(f.rel)) continue;
      for (const a of h.assessed ?? []) st.assessed.add(a);
      pending.push(
        h.analyze(f.rel, f.abs, st.index).then((r) => {
          st.findings.push(...r.findings);
          for (const w of r.warnings) st.warn(w);
        }),
      );
    }
    await pool.drain();
  }
  pool.flush();
  await Promise.all(pending);
}

/** Read each unique blob of the range once, then attribute the ones with findings to commits. */
async function scanHistory(top: string, prefix: string, st: TargetState, pool: ScanPool, ig: Ignore, range: HistoryRange): Promise<void> {
  st.opts.progress?.update({ phase: 'git history' });
  const revs = await resolveRevs(top, range, prefix);
  for (const ref of revs.broken) {
    st.warn(`git history: the ref ${ref} points at a missing or invalid object and was not read; repair or delete it (\`git update-ref -d ${ref}\`)`, true);
  }
  const listed = await listBlobs(top, revs);
  if (listed.error) {
    st.warn(`git history: ${listed.error}; the objects that could be read were scanned (re-clone, or run \`git fsck\` to see the damage)`, true);
  }
  // A folder inside the repository: history paths are reported relative to it, like its files.
  const rel = (p: string): string => (prefix && p.startsWith(prefix) ? p.slice(prefix.length) : p);
  for (const [sha, path] of listed.blobs) listed.blobs.set(sha, rel(path));
  const shas: string[] = [];
  for (const [sha, path] of listed.blobs) {
    if (isExcluded(ig, path)) st.count('skippedExcluded');
    else shas.push(sha);
  }
  const found = new Map<string, TextMatch[]>();
  const pending: Promise<void>[] = [];
  const err = await catBlobs(top, shas, Math.min(st.opts.maxFileSize, MAX_JOB_BYTES), {
    blob: async (sha, data, size) => {
      const path = listed.blobs.get(sha) ?? sha;
      if (!data && size <= st.opts.maxFileSize) {
        tooBigForWorker(st, `${path} (blob ${sha.slice(0, 12)})`, size);
        return;
      }
      if (!data) {
        account(st, `${path} (blob ${sha.slice(0, 12)})`, { bytes: size, tooLarge: true, matches: [] }, 'blob');
        return;
      }
      pending.push(
        pool.submit({ kind: 'blob', data }).then((r) => {
          const ms = account(st, `${path} (blob ${sha.slice(0, 12)})`, r, 'blob');
          if (ms.length > 0) found.set(sha, ms);
        }),
      );
      await pool.drain();
    },
    missing: (sha) => {
      st.count('skippedMissingObjects');
      st.warn(`git history: object ${sha.slice(0, 12)} (${listed.blobs.get(sha) ?? '?'}) is missing or corrupt, skipped (re-clone, or run \`git fsck\` to see the damage)`, true);
    },
  });
  pool.flush();
  await Promise.all(pending);
  if (err) st.warn(`git history: ${err}`, true);
  if (found.size === 0) return;
  st.opts.progress?.update({ phase: 'attributing commits' });
  const intro = await attributeBlobs(top, revs, new Set(found.keys()));
  for (const [sha, ms] of found) {
    const introductions = intro.get(sha);
    const places: SecretPlace[] = introductions?.length
      ? introductions.map((i) => ({ source: 'git-history', path: rel(i.path), commit: i.commit, commitDate: i.date, author: i.author, committed: true }))
      : [{ source: 'git-history', path: listed.blobs.get(sha) ?? sha, committed: true }];
    for (const m of ms) for (const p of places) st.add(m, p);
  }
}

async function scanStaged(top: string, st: TargetState, pool: ScanPool, ig: Ignore): Promise<void> {
  st.opts.progress?.update({ phase: 'staged changes' });
  const { files, error } = await stagedFiles(top);
  if (error) {
    st.warn(`staged changes: ${error}`, true);
    return;
  }
  const bySha = new Map<string, typeof files>();
  for (const f of files) {
    if (isExcluded(ig, f.path)) {
      st.count('skippedExcluded');
      continue;
    }
    bySha.set(f.sha, [...(bySha.get(f.sha) ?? []), f]);
  }
  const pending: Promise<void>[] = [];
  const err = await catBlobs(top, [...bySha.keys()], Math.min(st.opts.maxFileSize, MAX_JOB_BYTES), {
    blob: (sha, data, size) => {
      for (const f of bySha.get(sha) ?? []) {
        if (!data && size <= st.opts.maxFileSize) {
          tooBigForWorker(st, f.path, size);
          continue;
        }
        if (!data) {
          account(st, f.path, { bytes: size, tooLarge: true, matches: [] }, 'file');
          continue;
        }
        pending.push(
          pool.submit({ kind: 'blob', data: new Uint8Array(data) }).then((r) => {
            for (const m of account(st, f.path, r, 'file')) if (f.added.has(m.line)) st.add(m, { source: 'git-staged', path: f.path, committed: false });
          }),
        );
      }
    },
    missing: (sha) => st.warn(`staged object ${sha.slice(0, 12)} is missing`, true),
  });
  pool.flush();
  await Promise.all(pending);
  if (err) st.warn(`staged changes: ${err}`, true);
}

/**
 * A file hook's finding on a secret that a secret rule already reported in the same file (an MCP
 * config's literal token that is also a GitHub PAT) is the same leak: keep the provider-specific one.
 */
function withoutRepeats(findings: Finding[]): Finding[] {
  const secretSources = new Set(['file', 'git-history', 'git-staged']);
  const seen = new Set(findings.filter((f) => f.secret && secretSources.has(f.source)).map((f) => `${f.secret!.fingerprint}\0${f.location.path}`));
  return findings.filter((f) => secretSources.has(f.source) || !f.secret || !seen.has(`${f.secret.fingerprint}\0${f.location.path}`));
}

/**
 * Scan one PATH: a file, a directory, a git repository (working tree and history), a bare
 * repository (history), or a folder inside a repository (its files and the history of its paths).
 */
export async function scanCodeTarget(path: string, index: number, pool: ScanPool, opts: CodeScanOptions): Promise<CodeScanResult> {
  const st = new TargetState(index, opts);
  const target = (status: TargetResult['status'], error?: string): CodeScanResult => {
    if (status === 'ok' && st.partial) status = 'partial';
    const t: TargetResult = { kind: 'code', path, status, stats: st.stats, assessed: [...st.assessed] };
    if (error) t.error = error;
    else if (status === 'partial' && st.partialReason) t.error = st.partialReason;
    if (st.warnings.length) t.warnings = st.warnings;
    return { target: t, findings: withoutRepeats(st.findings) };
  };
  opts.progress?.update({ target: path, phase: 'starting' });
  let s;
  try {
    s = await stat(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return target('error', code === 'ENOENT' ? `${path}: no such file or directory` : `${path}: cannot read (${code})`);
  }
  const abs = resolve(path);
  let real = abs;
  try {
    real = await realpath(abs);
  } catch {
    // stat succeeded; keep the resolved path
  }
  if (onPseudoFs(real)) {
    st.count('skippedSpecial');
    st.warn(`${path}: on a pseudo file system (/proc, /sys, /dev) with no stored content, not scanned`, true);
    return target('partial');
  }
  if (s.isFile()) {
    const job = pool.submit({ kind: 'file', abs, maxSize: opts.maxFileSize });
    pool.flush();
    const r = await job;
    const ls = await git(dirname(abs), ['ls-files', '--error-unmatch', '--', basename(abs)]);
    const committed = ls.code === 0;
    if (r.error) return target('error', `${path}: cannot read (${r.error})${unreadableFix(r.error)}`);
    for (const m of account(st, basename(abs), r, 'file')) st.add(m, { source: 'file', path: basename(abs), committed });
    return target('ok');
  }
  if (!s.isDirectory()) {
    st.count('skippedSpecial');
    st.warn(`${path}: not a regular file or directory (FIFO, socket or device), not scanned`, true);
    return target('partial');
  }
  const ig = loadExcludes(opts.repoIgnore === false ? undefined : abs, opts.excludes, (w) => st.warn(w));
  const probe = await repoInfo(abs);
  if (probe && 'problem' in probe) st.warn(probe.problem, opts.history || opts.staged || opts.range.kind !== 'all');
  const repo = probe && 'top' in probe ? probe : undefined;
  const inside = repo !== undefined && repo.prefix !== '';
  if (inside && opts.staged) {
    return target('error', `${path} is inside the git repository ${repo.top}; run --staged on the repository root`);
  }
  if (repo?.bare && opts.staged) return target('error', `${path} is a bare repository: it has no staged changes`);
  if (!repo && (opts.staged || opts.range.kind !== 'all')) {
    if (probe && 'problem' in probe) return target('error', probe.problem);
    return target('error', `${path} is not a git repository (needed for --staged, --since and --commits)`);
  }
  if (repo && opts.range.kind !== 'all') {
    const bad = await checkRange(abs, opts.range);
    if (bad) return target('error', bad);
  }

  if (opts.staged) {
    if (repo) await scanStaged(abs, st, pool, ig);
    return target('ok');
  }
  const historyOnly = opts.range.kind !== 'all';
  if (!historyOnly && !repo?.bare) {
    let committed: (rel: string) => boolean | undefined = () => (probe && 'problem' in probe ? undefined : false);
    if (repo?.hasCommits) {
      const ts = await trackedState(abs);
      committed = (rel) => ts.tracked.has(rel) && !ts.modified.has(rel);
    }
    await scanWorkingTree(abs, st, pool, ig, committed, repo !== undefined);
  }
  if (repo && (opts.history || historyOnly || repo.bare)) {
    if (!repo.hasCommits) st.warn('git history: the repository has no commits yet; only the working tree was scanned');
    else {
      if (repo.shallow) {
        st.warn('git history: shallow clone, commits before the shallow boundary were not scanned; fetch the whole history (actions/checkout with `fetch-depth: 0`, or `git fetch --unshallow`)', true);
      }
      await scanHistory(repo.top, repo.prefix, st, pool, ig, opts.range);
    }
  }
  return target('ok');
}
