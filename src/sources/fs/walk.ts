import { readdir, realpath, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import type { Ignore } from 'ignore';
import { fsPath, nameFromBytes, reportName } from '../../util/raw-path.js';
import { isExcluded } from './ignore.js';

/**
 * Paths are lossless names (src/util/raw-path.ts): a name that is not UTF-8 keeps its bytes, and
 * fs calls go through fsPath, so the file read is the one on disk.
 */
export interface WalkedFile {
  abs: string;
  /** POSIX path relative to the scanned root. */
  rel: string;
}

export interface WalkEvents {
  /** A one-line reason an item was skipped (no secret values). */
  skip(reason: 'unreadable' | 'symlink-loop' | 'outside-root' | 'dangling' | 'excluded' | 'special', rel: string, detail?: string): void;
  /** A directory not to descend into (dependency folders git ignores); it reports the skip itself. */
  skipDir?(rel: string, abs: string): boolean | Promise<boolean>;
}

function toPosix(p: string): string {
  return sep === '/' ? p : p.split(sep).join('/');
}

/**
 * Every regular file under `root` except `.git/`: untracked and git-ignored files too (a `.env`
 * is exactly what we look for). Symlinks are followed while they stay inside the root; a
 * directory reached twice through links is a loop and is skipped once with a warning.
 */
export async function* walkFiles(root: string, ig: Ignore, ev: WalkEvents): AsyncGenerator<WalkedFile> {
  const real = async (p: string): Promise<string> => nameFromBytes(await realpath(fsPath(p), { encoding: 'buffer' }));
  const rootReal = await real(root);
  const visited = new Set<string>([rootReal]);
  const stack: string[] = [root];
  while (stack.length > 0) {
    const dir = stack.pop()!;
    let entries;
    try {
      entries = (await readdir(fsPath(dir), { withFileTypes: true, encoding: 'buffer' })).map((e) => ({ e, name: nameFromBytes(e.name) }));
    } catch (e) {
      ev.skip('unreadable', toPosix(relative(root, dir)) || '.', (e as NodeJS.ErrnoException).code);
      continue;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const subdirs: string[] = [];
    for (const { e: ent, name } of entries) {
      const abs = join(dir, name);
      const rel = toPosix(relative(root, abs));
      if (name === '.git' && (ent.isDirectory() || ent.isFile())) continue;
      let isDir = ent.isDirectory();
      let isFile = ent.isFile();
      if (ent.isSymbolicLink()) {
        let target: string;
        try {
          target = await real(abs);
        } catch (e) {
          const code = (e as NodeJS.ErrnoException).code;
          // A link to nothing has no content to miss (not a partial read); one we may not follow does.
          const why = code === 'ELOOP' ? 'symlink-loop' : code === 'ENOENT' || code === 'ENOTDIR' ? 'dangling' : 'unreadable';
          ev.skip(why, rel, code === 'ELOOP' ? 'symlink loop' : `broken symlink (${code})`);
          continue;
        }
        if (target !== rootReal && !target.startsWith(rootReal + sep)) {
          ev.skip('outside-root', rel, 'symlink points outside the scanned root');
          continue;
        }
        let st;
        try {
          st = await stat(fsPath(abs));
        } catch (e) {
          ev.skip('unreadable', rel, (e as NodeJS.ErrnoException).code);
          continue;
        }
        isDir = st.isDirectory();
        isFile = st.isFile();
        if (isDir) {
          if (visited.has(target)) {
            ev.skip('symlink-loop', rel, 'directory already visited through another link (symlink loop)');
            continue;
          }
          visited.add(target);
        }
      } else if (isDir) {
        try {
          visited.add(await real(abs));
        } catch {
          // realpath can fail on a dir we cannot traverse; readdir will report it.
        }
      }
      if (isExcluded(ig, reportName(rel).path, isDir)) {
        ev.skip('excluded', rel);
        continue;
      }
      if (isDir && ev.skipDir && (await ev.skipDir(rel, abs))) continue;
      if (isDir) subdirs.push(abs);
      else if (isFile) yield { abs, rel }; else ev.skip('special', rel, 'not a regular file');
    }
    for (let i = subdirs.length - 1; i >= 0; i--) stack.push(subdirs[i]); // popped in name order
  }
}
