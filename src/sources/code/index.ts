import { readdir, readFile, realpath, stat } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';
import { heldBytes, QUEUE_BYTES, type Artifact, type Source, type SourceContext, type TargetRef } from '../../model/artifact.js';
import type { OwaspId } from '../../model/owasp.js';
import { MAX_JOB_BYTES } from '../../detect/pool.js';
import { produce } from '../../util/channel.js';
import { fsPath, nameToBytes, reportName, visible } from '../../util/raw-path.js';
import { unreadableFix } from '../../util/unreadable.js';
import { loadExcludes } from '../fs/ignore.js';
import { walkFiles } from '../fs/walk.js';
import { gitRepoArtifacts, stagedArtifacts, tooLarge } from '../git/artifacts.js';
import { checkRange, type HistoryRange } from '../git/history.js';
import { repoInfo, trackedState } from '../git/repo.js';
import { git } from '../git/run.js';
import { parseMcpConfig } from '../mcp/analyze.js';
import { isMcpConfigPath } from '../mcp/paths.js';
import { WORKFLOW_STRUCTURED_FILE } from '../github/workflow.js';

/** Categories a code scan can assess from text alone: leaks, long-lived credential types, reuse. */
export const CODE_ASSESSED: OwaspId[] = ['NHI2', 'NHI7', 'NHI9'];

export interface CodeSourceOptions {
  /** Read git history (false with --no-history). */
  history: boolean;
  range: HistoryRange;
  staged: boolean;
  excludes: string[];
  maxFileSize: number;
  /** Read the scanned root's .nhi-auditignore (false with --no-repo-config). */
  repoIgnore?: boolean;
  /** Scan dependency and build folders git ignores (node_modules/, vendor/ …): --include-deps. */
  includeDeps?: boolean;
}

/** Folders of third-party code and build output: not the user's leak when git ignores them. */
export const DEPENDENCY_DIRS = new Set(['node_modules', 'vendor', '.venv', 'venv', 'site-packages', 'bower_components', '.tox', 'target', '.gradle']);

/** Pseudo file systems: their files have no stored content (sizes of 0, endless streams). */
const PSEUDO_FS = ['/proc', '/sys', '/dev'];

async function countFiles(abs: string): Promise<number> {
  try {
    return (await readdir(abs, { recursive: true, withFileTypes: true })).filter((e) => e.isFile()).length;
  } catch {
    return 0;
  }
}

/** Files a local scan also hands to posture checks as structured observations (MCP client configs, workflows). */
export interface StructuredFile {
  matches(rel: string): boolean;
  /** The observation type the parsed file becomes (rules/checks/*.yaml `reads:`). */
  type: string;
  parse(rel: string, text: string): { data?: unknown; warnings: string[] };
}

const MCP_CONFIG: StructuredFile = {
  matches: isMcpConfigPath,
  type: 'mcp-config',
  parse(rel, text) {
    const p = parseMcpConfig(rel, text);
    return { data: p.file, warnings: p.file ? p.warnings : p.error ? [p.error] : [] };
  },
};

/** Structured files every code scan recognises: MCP client configs and GitHub Actions workflows. */
export const STRUCTURED_FILES: StructuredFile[] = [MCP_CONFIG, WORKFLOW_STRUCTURED_FILE];

/**
 * One PATH — a file, a directory, or a git repository (working tree and history) — as artifacts:
 * each file and unique blob as text, MCP configs and workflows also as observations, and every
 * item that could not be read as a coverage gap.
 */
export class CodeSource implements Source {
  readonly id = 'code';
  readonly target: TargetRef;

  constructor(
    readonly path: string,
    readonly opts: CodeSourceOptions,
  ) {
    this.target = { kind: 'code', path };
  }

  open(ctx: SourceContext): AsyncIterable<Artifact> {
    return produce<Artifact>((push) => this.run(push, ctx), 256, heldBytes, QUEUE_BYTES);
  }

  private async run(push: (a: Artifact) => Promise<void>, ctx: SourceContext): Promise<void> {
    const { path, opts, target } = this;
    const gap = (reason: string, extra: { fatal?: boolean; stat?: string; informational?: boolean } = {}) => push({ kind: 'coverage', target, gap: { reason, ...extra } });
    // Every counter a code target reports starts at zero, so reports of all targets have the same keys.
    const zero = ['files', 'bytes', 'blobs', 'blobBytes', 'findings', 'skippedBinary', 'skippedLarge', 'skippedUnreadable', 'skippedExcluded', 'skippedSymlinks', 'skippedMissingObjects'];
    await push({ kind: 'stats', target, assessed: CODE_ASSESSED, stats: Object.fromEntries(zero.map((k) => [k, 0])) });
    ctx.progress?.update({ target: path, phase: 'starting' });
    let s;
    try {
      s = await stat(path);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      return gap(code === 'ENOENT' ? `${path}: no such file or directory` : `${path}: cannot read (${code})`, { fatal: true });
    }
    const abs = resolve(path);
    const real = await realpath(abs).catch(() => abs);
    if (PSEUDO_FS.some((p) => real === p || real.startsWith(`${p}/`))) {
      return gap(`${path}: on a pseudo file system (/proc, /sys, /dev) with no stored content, not scanned`, { stat: 'skippedSpecial' });
    }
    if (s.isFile()) {
      const ls = await git(dirname(abs), ['ls-files', '--error-unmatch', '--', basename(abs)]);
      await push({ kind: 'text', target, where: { source: 'file', path: basename(abs), committed: ls.code === 0 }, content: { file: abs } });
      await this.structured(basename(abs), abs, push);
      return;
    }
    if (!s.isDirectory()) return gap(`${path}: not a regular file or directory (FIFO, socket or device), not scanned`, { stat: 'skippedSpecial' });
    const ignoreWarnings: string[] = [];
    const ig = loadExcludes(opts.repoIgnore === false ? undefined : abs, opts.excludes, (w) => ignoreWarnings.push(w));
    for (const w of ignoreWarnings) await gap(w, { informational: true });
    const probe = await repoInfo(abs);
    const readsHistory = opts.history || opts.staged || opts.range.kind !== 'all';
    if (probe && 'problem' in probe) await gap(probe.problem, { informational: !readsHistory });
    const repo = probe && 'top' in probe ? probe : undefined;
    if (repo && repo.prefix !== '' && opts.staged) return gap(`${path} is inside the git repository ${repo.top}; run --staged on the repository root`, { fatal: true });
    if (repo?.bare && opts.staged) return gap(`${path} is a bare repository: it has no staged changes`, { fatal: true });
    if (!repo && (opts.staged || opts.range.kind !== 'all')) {
      return gap(probe && 'problem' in probe ? probe.problem : `${path} is not a git repository (needed for --staged, --since and --commits)`, { fatal: true });
    }
    if (repo && opts.range.kind !== 'all') {
      const bad = await checkRange(abs, opts.range);
      if (bad) return gap(bad, { fatal: true });
    }
    if (opts.staged) {
      ctx.progress?.update({ phase: 'staged changes' });
      for await (const a of stagedArtifacts(abs, target, { maxFileSize: opts.maxFileSize, excludes: ig })) await push(a);
      return;
    }
    const historyOnly = opts.range.kind !== 'all';
    if (!historyOnly && !repo?.bare) {
      // Outside git nothing is known about whether a file is shared: committed stays unset.
      let committed: (rel: string) => boolean | undefined = () => (repo ? false : undefined);
      if (repo?.hasCommits) {
        const ts = await trackedState(abs);
        committed = (rel) => ts.tracked.has(rel) && !ts.modified.has(rel);
      }
      ctx.progress?.update({ phase: 'working tree' });
      const deps = repo && !opts.includeDeps;
      const walker = walkFiles(abs, ig, {
        // A dependency folder git ignores is third-party code, not the user's leak (--include-deps scans it).
        skipDir: deps
          ? async (rel, dirAbs) => {
              if (!DEPENDENCY_DIRS.has(basename(rel))) return false;
              // On stdin, NUL-terminated: the folder's name is bytes (an argument would be re-encoded as UTF-8).
              if ((await git(abs, ['check-ignore', '-q', '-z', '--stdin'], Buffer.concat([nameToBytes(`${rel}/`), Buffer.from([0])]))).code !== 0) return false;
              const n = await countFiles(dirAbs);
              await push({ kind: 'stats', target, stats: { skippedDependencyDirs: 1, skippedDependencyFiles: n } });
              await gap(`${visible(rel)}/: dependency folder ignored by git, ${n} file${n === 1 ? '' : 's'} not scanned (--include-deps scans them)`, { informational: true });
              return true;
            }
          : undefined,
        skip: (reason, name, detail) => {
          const rel = visible(name);
          if (reason === 'excluded') void push({ kind: 'stats', target, stats: { skippedExcluded: 1 } });
          else if (reason === 'symlink-loop' || reason === 'outside-root' || reason === 'dangling') void gap(`${rel}: ${detail ?? reason}, skipped`, { stat: 'skippedSymlinks', informational: true });
          else if (reason === 'special') void gap(`${rel}: ${detail ?? 'not a regular file'} (FIFO, socket or device), skipped`, { stat: 'skippedSpecial', informational: true });
          else void gap(`${rel}: cannot read (${detail ?? 'error'}), skipped${unreadableFix(detail)}`, { stat: 'skippedUnreadable' });
        },
      });
      const checkSize = opts.maxFileSize > MAX_JOB_BYTES;
      for await (const f of walker) {
        if (checkSize) {
          const size = await stat(fsPath(f.abs)).then((x) => x.size).catch(() => 0);
          if (size > MAX_JOB_BYTES && size <= opts.maxFileSize) {
            await push(tooLarge(target, visible(f.rel), size, opts.maxFileSize));
            continue;
          }
        }
        const c = committed(f.rel);
        // f.rel and f.abs are lossless names: the place gets the exact name, the worker opens its bytes.
        await push({ kind: 'text', target, where: { source: 'file', ...reportName(f.rel), ...(c === undefined ? {} : { committed: c }) }, content: { file: f.abs } });
        await this.structured(f.rel, f.abs, push);
      }
    }
    if (repo && (opts.history || historyOnly || repo.bare)) {
      if (!repo.hasCommits) await gap('git history: the repository has no commits yet; only the working tree was scanned', { informational: true });
      else {
        if (repo.shallow) await gap('git history: shallow clone, commits before the shallow boundary were not scanned; fetch the whole history (actions/checkout with `fetch-depth: 0`, or `git fetch --unshallow`)');
        ctx.progress?.update({ phase: 'git history' });
        for await (const a of gitRepoArtifacts(repo.top, target, { history: true, range: opts.range, maxFileSize: opts.maxFileSize, excludes: ig, prefix: repo.prefix })) await push(a);
      }
    }
  }

  /** A file that is also structured data (an MCP client config, a workflow) becomes an observation too. */
  private async structured(name: string, abs: string, push: (a: Artifact) => Promise<void>): Promise<void> {
    const rel = reportName(name).path;
    for (const sf of STRUCTURED_FILES) {
      if (!sf.matches(rel)) continue;
      let text: string;
      try {
        if ((await stat(fsPath(abs))).size > this.opts.maxFileSize) continue;
        text = await readFile(fsPath(abs), 'utf8');
      } catch (e) {
        await push({ kind: 'coverage', target: this.target, gap: { reason: `${visible(name)}: cannot read (${(e as NodeJS.ErrnoException).code ?? 'error'})`, informational: true } });
        continue;
      }
      const r = sf.parse(rel, text);
      for (const w of r.warnings) await push({ kind: 'coverage', target: this.target, gap: { reason: w, informational: true } });
      if (r.data) await push({ kind: 'observation', target: this.target, type: sf.type, data: r.data });
    }
  }
}
