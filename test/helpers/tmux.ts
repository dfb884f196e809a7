import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/**
 * A real terminal for tests: a detached tmux server on its own socket, one pane of a fixed size,
 * commands typed with send-keys and the screen read with capture-pane — what a person would see.
 */
export const HAVE_TMUX = spawnSync('tmux', ['-V']).status === 0;

export class Tmux {
  private readonly socket = `nhi-audit-test-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  private readonly session = 'nhi';

  constructor(cols = 120, rows = 40, env: Record<string, string> = {}) {
    const base: NodeJS.ProcessEnv = { ...process.env, TERM: 'xterm-256color' };
    for (const k of ['CI', 'CONTINUOUS_INTEGRATION', 'GITHUB_ACTIONS', 'NO_COLOR', 'FORCE_COLOR', 'TMUX']) delete base[k];
    // -f /dev/null: no user configuration; the pane runs a plain sh so prompts are predictable
    this.tmux(['-f', '/dev/null', 'new-session', '-d', '-s', this.session, '-x', String(cols), '-y', String(rows), 'sh'], { ...base, ...env });
    this.tmux(['set-option', '-t', this.session, 'history-limit', '5000']);
    for (const k of ['CI', 'CONTINUOUS_INTEGRATION', 'GITHUB_ACTIONS', 'NO_COLOR', 'FORCE_COLOR']) this.tmux(['set-environment', '-g', '-u', k], undefined, true);
  }

  private tmux(args: string[], env?: NodeJS.ProcessEnv, ignoreErrors = false): string {
    try {
      return execFileSync('tmux', ['-L', this.socket, ...args], { env: env ?? process.env, encoding: 'utf8' });
    } catch (e) {
      if (ignoreErrors) return '';
      throw e;
    }
  }

  /** Type a line (Enter included) into the pane. */
  run(line: string): void {
    this.tmux(['send-keys', '-t', this.session, '-l', line]);
    this.tmux(['send-keys', '-t', this.session, 'Enter']);
  }

  /** Send keys by tmux name: 'Down', 'Enter', 'Escape', 'q', '/'. */
  keys(...keys: string[]): void {
    this.tmux(['send-keys', '-t', this.session, ...keys]);
  }

  /** The visible screen, as plain text. */
  screen(): string {
    return this.tmux(['capture-pane', '-p', '-t', this.session]);
  }

  /** The whole scrollback and screen. */
  history(): string {
    return this.tmux(['capture-pane', '-p', '-S', '-', '-t', this.session]);
  }

  /** Poll the screen until `pred` holds; returns every distinct screen seen on the way. */
  async waitFor(pred: (screen: string) => boolean, timeoutMs = 30000, everyMs = 100): Promise<{ screen: string; seen: string[] }> {
    const seen: string[] = [];
    const end = Date.now() + timeoutMs;
    for (;;) {
      const s = this.screen();
      if (seen[seen.length - 1] !== s) seen.push(s);
      if (pred(s)) return { screen: s, seen };
      if (Date.now() > end) throw new Error(`timed out waiting in tmux; last screen:\n${s}`);
      await new Promise((r) => setTimeout(r, everyMs));
    }
  }

  kill(): void {
    this.tmux(['kill-server'], undefined, true);
  }
}

export function haveFile(p: string): boolean {
  return existsSync(p);
}
