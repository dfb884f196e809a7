import { resolve } from 'node:path';
import { git, splitZ } from './run.js';

export interface RepoInfo {
  /** Absolute top-level of the work tree. */
  top: string;
  hasCommits: boolean;
  shallow: boolean;
}

/** Is `dir` the top of a git work tree? (A subdirectory scans as plain files, without history.) */
export async function repoInfo(dir: string): Promise<RepoInfo | { insideRepo: string } | undefined> {
  const top = await git(dir, ['rev-parse', '--show-toplevel']);
  if (top.code !== 0) return undefined;
  const topDir = top.stdout.toString().trim();
  if (resolve(topDir) !== resolve(dir)) {
    const { realpathSync } = await import('node:fs');
    if (realpathSync(topDir) !== realpathSync(dir)) return { insideRepo: topDir };
  }
  const head = await git(dir, ['rev-parse', '--verify', '-q', 'HEAD']);
  const anyRef = head.code === 0 ? head : await git(dir, ['for-each-ref', '--count=1', '--format=%(objectname)']);
  const shallow = await git(dir, ['rev-parse', '--is-shallow-repository']);
  return { top: topDir, hasCommits: head.code === 0 || anyRef.stdout.length > 0, shallow: shallow.stdout.toString().trim() === 'true' };
}

/** Paths git tracks (index), and those whose working-tree content differs from HEAD. */
export async function trackedState(top: string): Promise<{ tracked: Set<string>; modified: Set<string> }> {
  const [ls, diff] = await Promise.all([git(top, ['ls-files', '-z']), git(top, ['diff', '--name-only', '-z', 'HEAD'])]);
  return { tracked: new Set(splitZ(ls.stdout)), modified: new Set(diff.code === 0 ? splitZ(diff.stdout) : []) };
}
