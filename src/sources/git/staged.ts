import { git, gitError, splitZ } from './run.js';

export interface StagedFile {
  path: string;
  sha: string;
  /** Line numbers (1-based) the staged change adds or modifies. */
  added: Set<number>;
}

/** Parse `git diff -U0` hunks into the new-side line numbers each file gains. */
export function addedLines(diff: string): Map<string, Set<number>> {
  const out = new Map<string, Set<number>>();
  let current: Set<number> | undefined;
  for (const line of diff.split('\n')) {
    if (line.startsWith('+++ ')) {
      const p = line.slice(4);
      current = p === '/dev/null' ? undefined : new Set();
      if (current) out.set(p.startsWith('b/') ? p.slice(2) : p, current);
      continue;
    }
    const h = /^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@/.exec(line);
    if (h && current) {
      const start = Number(h[1]);
      const count = h[2] === undefined ? 1 : Number(h[2]);
      for (let i = 0; i < count; i++) current.add(start + i);
    }
  }
  return out;
}

/** What `git commit` would record now: staged files, their index blobs and the lines they add. */
export async function stagedFiles(top: string): Promise<{ files: StagedFile[]; error?: string }> {
  const names = await git(top, ['diff', '--cached', '--name-only', '-z', '--diff-filter=ACMRT', '--no-renames']);
  if (names.code !== 0) return { files: [], error: gitError(names.stderr) };
  const paths = splitZ(names.stdout);
  if (paths.length === 0) return { files: [] };
  const [ls, diff] = await Promise.all([
    git(top, ['ls-files', '-s', '-z', '--', ...paths.map((p) => `:(literal)${p}`)]),
    git(top, ['-c', 'core.quotePath=false', 'diff', '--cached', '-U0', '--no-color', '--no-ext-diff', '--no-renames', '--diff-filter=ACMRT']),
  ]);
  const lines = addedLines(diff.stdout.toString('utf8'));
  const files: StagedFile[] = [];
  for (const entry of splitZ(ls.stdout)) {
    const m = /^\d+ ([0-9a-f]+) \d+\t(.*)$/s.exec(entry);
    if (!m) continue;
    files.push({ path: m[2], sha: m[1], added: lines.get(m[2]) ?? new Set() });
  }
  return { files };
}
