import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, renameSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fake } from './tokens.js';

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

  /** The absolute path of a top-level file name given as bytes (a name that is not UTF-8, `caf\xe9.env`). */
  rawPath(name: Buffer): Buffer {
    return Buffer.concat([Buffer.from(`${this.dir}/`), name]);
  }

  /** Write a top-level file whose name is bytes; returns its absolute path as bytes. */
  writeRaw(name: Buffer, content: string | Buffer): Buffer {
    const p = this.rawPath(name);
    writeFileSync(p, content);
    return p;
  }

  /** Delete a top-level file whose name is bytes (git arguments cannot carry such a name; commit() stages it). */
  removeRaw(name: Buffer): void {
    unlinkSync(this.rawPath(name));
  }

  /** Overwrite the loose object of `rev` (`HEAD:lost.env`) with bytes that are not a zlib stream. */
  corruptObject(rev: string): void {
    const sha = this.git('rev-parse', rev).trim();
    const obj = join(this.dir, '.git', 'objects', sha.slice(0, 2), sha.slice(2));
    chmodSync(obj, 0o644);
    writeFileSync(obj, Buffer.from('this is not a zlib stream'));
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

/**
 * A repository whose history is damaged: keep.env and lost.env each committed with a GitHub token,
 * lost.env's blob corrupted and the file moved away, so only the broken object held its token.
 */
export function repoWithCorruptBlob(): TempRepo {
  const repo = new TempRepo();
  repo.commit('one', { 'keep.env': `T=${fake.githubPat()}\n` });
  repo.commit('two', { 'lost.env': `T=${fake.githubPat()}\n` });
  repo.corruptObject('HEAD:lost.env');
  renameSync(join(repo.dir, 'lost.env'), join(repo.dir, 'lost.moved'));
  return repo;
}
