import { readFile, stat } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';
import type { Artifact, Source, SourceContext, TargetRef } from '../../model/artifact.js';
import type { OwaspId } from '../../model/owasp.js';
import { produce } from '../../util/channel.js';
import { loadExcludes } from '../fs/ignore.js';
import { walkFiles } from '../fs/walk.js';
import { gitRepoArtifacts, stagedArtifacts } from '../git/artifacts.js';
import { checkRange, type HistoryRange } from '../git/history.js';
import { repoInfo, trackedState } from '../git/repo.js';
import { git } from '../git/run.js';
import { parseMcpConfig } from '../mcp/analyze.js';
import { isMcpConfigPath } from '../mcp/paths.js';

/** Categories a code scan can assess from text alone: leaks, long-lived credential types, reuse. */
export const CODE_ASSESSED: OwaspId[] = ['NHI2', 'NHI7', 'NHI9'];

export interface CodeSourceOptions {
  /** Read git history (false with --no-history). */
  history: boolean;
  range: HistoryRange;
  staged: boolean;
  excludes: string[];
  maxFileSize: number;
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

/** Structured files every code scan recognises; the GitHub workflow parser registers itself here when present. */
export const STRUCTURED_FILES: StructuredFile[] = [MCP_CONFIG];

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
    return produce<Artifact>((push) => this.run(push, ctx), 256);
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
    if (s.isFile()) {
      const ls = await git(dirname(abs), ['ls-files', '--error-unmatch', '--', basename(abs)]);
      await push({ kind: 'text', target, where: { source: 'file', path: basename(abs), committed: ls.code === 0 }, content: { file: abs } });
      await this.structured(basename(abs), abs, push);
      return;
    }
    if (!s.isDirectory()) return gap(`${path}: not a regular file or directory`, { fatal: true });
    const ig = loadExcludes(abs, opts.excludes);
    const repo = await repoInfo(abs);
    const isRepo = repo !== undefined && 'top' in repo;
    if (repo && 'insideRepo' in repo && (opts.staged || opts.range.kind !== 'all')) {
      return gap(`${path} is inside the git repository ${repo.insideRepo}; run --staged/--since/--commits on the repository root`, { fatal: true });
    }
    if (!isRepo && (opts.staged || opts.range.kind !== 'all')) return gap(`${path} is not a git repository (needed for --staged, --since and --commits)`, { fatal: true });
    if (isRepo && opts.range.kind !== 'all') {
      const bad = await checkRange(abs, opts.range);
      if (bad) return gap(bad, { fatal: true });
    }
    if (opts.staged) {
      ctx.progress?.update({ phase: 'staged changes' });
      for await (const a of stagedArtifacts(abs, target, { maxFileSize: opts.maxFileSize, excludes: ig })) await push(a);
      return;
    }
    const historyOnly = opts.range.kind !== 'all';
    if (!historyOnly) {
      // Outside git nothing is known about whether a file is shared: committed stays unset.
      let committed: (rel: string) => boolean | undefined = () => undefined;
      if (isRepo && repo.hasCommits) {
        const ts = await trackedState(abs);
        committed = (rel) => ts.tracked.has(rel) && !ts.modified.has(rel);
      } else if (isRepo) committed = () => false;
      ctx.progress?.update({ phase: 'working tree' });
      const walker = walkFiles(abs, ig, {
        skip: (reason, rel, detail) => {
          if (reason === 'excluded') void push({ kind: 'stats', target, stats: { skippedExcluded: 1 } });
          else if (reason === 'symlink-loop' || reason === 'outside-root') void gap(`${rel}: ${detail ?? reason}, skipped`, { stat: 'skippedSymlinks', informational: true });
          else if (reason === 'special') void push({ kind: 'stats', target, stats: { skippedSpecial: 1 } });
          else void gap(`${rel}: cannot read (${detail ?? 'error'}), skipped`, { stat: 'skippedUnreadable' });
        },
      });
      for await (const f of walker) {
        const c = committed(f.rel);
        await push({ kind: 'text', target, where: { source: 'file', path: f.rel, ...(c === undefined ? {} : { committed: c }) }, content: { file: f.abs } });
        await this.structured(f.rel, f.abs, push);
      }
    }
    if (isRepo && (opts.history || historyOnly)) {
      if (!repo.hasCommits) await gap('git history: the repository has no commits yet; only the working tree was scanned', { informational: true });
      else {
        if (repo.shallow) await gap('git history: shallow clone, commits before the shallow boundary were not scanned (fetch with --unshallow for a full scan)');
        ctx.progress?.update({ phase: 'git history' });
        for await (const a of gitRepoArtifacts(abs, target, { history: true, range: opts.range, maxFileSize: opts.maxFileSize, excludes: ig })) await push(a);
      }
    } else if (repo && 'insideRepo' in repo && opts.history) {
      await gap(`git history not scanned: ${path} is a subdirectory of the repository ${repo.insideRepo}; scan the repository root to include history`, { informational: true });
    }
  }

  /** A file that is also structured data (an MCP client config, a workflow) becomes an observation too. */
  private async structured(rel: string, abs: string, push: (a: Artifact) => Promise<void>): Promise<void> {
    for (const sf of STRUCTURED_FILES) {
      if (!sf.matches(rel)) continue;
      let text: string;
      try {
        if ((await stat(abs)).size > this.opts.maxFileSize) continue;
        text = await readFile(abs, 'utf8');
      } catch (e) {
        await push({ kind: 'coverage', target: this.target, gap: { reason: `${rel}: cannot read (${(e as NodeJS.ErrnoException).code ?? 'error'})`, informational: true } });
        continue;
      }
      const r = sf.parse(rel, text);
      for (const w of r.warnings) await push({ kind: 'coverage', target: this.target, gap: { reason: w, informational: true } });
      if (r.data) await push({ kind: 'observation', target: this.target, type: sf.type, data: r.data });
    }
  }
}
