import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ignore, { type Ignore } from 'ignore';

/**
 * Paths the user excluded: `--exclude GLOB` (repeatable) and `.nhi-auditignore` at the scanned
 * root, both in gitignore syntax, matched on root-relative POSIX paths.
 */
export function loadExcludes(root: string | undefined, globs: string[]): Ignore {
  const ig = ignore({ allowRelativePaths: true });
  ig.add(globs);
  if (root) {
    try {
      ig.add(readFileSync(join(root, '.nhi-auditignore'), 'utf8'));
    } catch {
      // No .nhi-auditignore: nothing more to exclude.
    }
  }
  return ig;
}

export function isExcluded(ig: Ignore, relPath: string, isDir = false): boolean {
  if (relPath === '' || relPath === '.') return false;
  return ig.ignores(isDir ? `${relPath}/` : relPath);
}
