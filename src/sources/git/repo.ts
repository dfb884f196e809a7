import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { git, gitError, splitZ } from './run.js';

export interface RepoInfo {
  /** Absolute top-level of the work tree (the git directory itself for a bare repository). */
  top: string;
  /** The scanned folder relative to `top` with a trailing '/', or '' at the top. */
  prefix: string;
  /** A bare repository: history only, no working tree or index. */
  bare: boolean;
  hasCommits: boolean;
  shallow: boolean;
}

/** Why a folder that holds a git repository could not be read as one (the history is not scanned). */
export interface RepoProblem {
  problem: string;
}

/** Does `dir` (or a folder above it) look like a git repository, or is it a bare one? */
function looksLikeRepo(dir: string): boolean {
  if (existsSync(join(dir, 'HEAD')) && existsSync(join(dir, 'objects')) && existsSync(join(dir, 'refs'))) return true;
  let d = resolve(dir);
  for (;;) {
    if (existsSync(join(d, '.git'))) return true;
    const up = dirname(d);
    if (up === d) return false;
    d = up;
  }
}

/**
 * What `dir` is to git: the top of a work tree, a folder inside one (prefix), a bare repository, no
 * repository at all (undefined), or a repository git cannot read — git missing from PATH, or git
 * refusing it for "dubious ownership" — with a one-line reason that names the fix.
 */
export async function repoInfo(dir: string): Promise<RepoInfo | RepoProblem | undefined> {
  const bare = await git(dir, ['rev-parse', '--is-bare-repository']);
  if (bare.code !== 0) {
    if (bare.code === 127 && /ENOENT/.test(bare.stderr)) {
      return looksLikeRepo(dir) ? { problem: 'git is not installed or not in PATH: the git history was not scanned (install git, or pass --no-history to scan only the files)' } : undefined;
    }
    if (/dubious ownership/.test(bare.stderr)) {
      const at = /repository at '([^']+)'/.exec(bare.stderr)?.[1] ?? dir;
      return { problem: `git refuses the repository ${at} (dubious ownership: another user owns it), so its history was not scanned; trust it with \`git config --global --add safe.directory ${at}\`` };
    }
    if (/not a git repository/i.test(bare.stderr) || !looksLikeRepo(dir)) return undefined;
    return { problem: `git cannot read the repository: ${gitError(bare.stderr)}; the git history was not scanned` };
  }
  const isBare = bare.stdout.toString().trim() === 'true';
  let top: string;
  let prefix = '';
  if (isBare) {
    const gd = await git(dir, ['rev-parse', '--absolute-git-dir']);
    if (gd.code !== 0) return undefined;
    top = gd.stdout.toString().trim();
  } else {
    const r = await git(dir, ['rev-parse', '--show-toplevel', '--show-prefix']);
    if (r.code !== 0) return undefined; // inside .git, or another place without a work tree
    const lines = splitZ(r.stdout, 10); // lossless: the prefix is compared with history paths
    top = lines[0].trim();
    prefix = lines[1] ?? '';
  }
  const head = await git(dir, ['rev-parse', '--verify', '-q', 'HEAD']);
  const anyRef = head.code === 0 ? head : await git(dir, ['for-each-ref', '--count=1', '--format=%(objectname)']);
  const shallow = await git(dir, ['rev-parse', '--is-shallow-repository']);
  return { top, prefix, bare: isBare, hasCommits: head.code === 0 || anyRef.stdout.length > 0, shallow: shallow.stdout.toString().trim() === 'true' };
}

/** Paths git tracks (index), and those whose working-tree content differs from HEAD, relative to `dir`. */
export async function trackedState(top: string): Promise<{ tracked: Set<string>; modified: Set<string> }> {
  const [ls, diff] = await Promise.all([git(top, ['ls-files', '-z']), git(top, ['diff', '--relative', '--name-only', '-z', 'HEAD'])]);
  return { tracked: new Set(splitZ(ls.stdout)), modified: new Set(diff.code === 0 ? splitZ(diff.stdout) : []) };
}
