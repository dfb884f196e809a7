import { join } from 'node:path';
import ignore, { type Ignore } from 'ignore';
import { readRegularText, UnsafeFileError } from '../../util/safe-read.js';

/** Largest .nhi-auditignore read (the scanned repository controls it). */
const MAX_IGNORE_BYTES = 1 << 20;

/**
 * Paths the user excluded: `--exclude GLOB` (repeatable) and `.nhi-auditignore` at the scanned
 * root, both in gitignore syntax, matched on root-relative POSIX paths.
 */
export function loadExcludes(root: string | undefined, globs: string[], warn?: (msg: string) => void): Ignore {
  const ig = ignore({ allowRelativePaths: true });
  ig.add(globs);
  if (root) {
    try {
      ig.add(readRegularText(join(root, '.nhi-auditignore'), MAX_IGNORE_BYTES));
    } catch (e) {
      // No .nhi-auditignore: nothing more to exclude. One that is a FIFO, a device or huge is not read.
      if (!(e instanceof UnsafeFileError && e.code === 'ENOENT')) warn?.(`.nhi-auditignore: ${(e as Error).message}`);
    }
  }
  return ig;
}

export function isExcluded(ig: Ignore, relPath: string, isDir = false): boolean {
  if (relPath === '' || relPath === '.') return false;
  return ig.ignores(isDir ? `${relPath}/` : relPath);
}
