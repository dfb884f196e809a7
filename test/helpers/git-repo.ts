import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** A real git repository in a temp dir, for tests. */
export class TempRepo {
  readonly dir: string;
  private tick = 0;

  constructor(opts: { init?: boolean } = {}) {
    this.dir = mkdtempSync(join(tmpdir(), 'nhi-audit-test-'));
    if (opts.init !== false) this.git('init', '-q', '-b', 'main');
  }

  git(...args: string[]): string {
    return execFileSync('git', ['-c', 'user.name=Test Author', '-c', 'user.email=test@users.invalid', '-c', 'commit.gpgsign=false', ...args], {
      cwd: this.dir,
      encoding: 'utf8',
      env: { ...process.env, GIT_AUTHOR_DATE: this.date(), GIT_COMMITTER_DATE: this.date() },
    });
  }

  private date(): string {
    return `2024-01-${String(1 + (this.tick % 28)).padStart(2, '0')}T12:00:00Z`;
  }

  write(rel: string, content: string | Buffer): string {
    const p = join(this.dir, rel);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, content);
    return p;
  }

  /** Write files, stage everything and commit; returns the commit sha. */
  commit(message: string, files: Record<string, string | Buffer> = {}): string {
    for (const [rel, content] of Object.entries(files)) this.write(rel, content);
    this.git('add', '-A');
    this.tick++;
    this.git('commit', '-q', '--allow-empty', '-m', message);
    return this.git('rev-parse', 'HEAD').trim();
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
