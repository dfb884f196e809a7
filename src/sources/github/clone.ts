import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { homedir } from 'node:os';
import { gitError } from '../git/run.js';
import { remoteLine } from '../../util/redact.js';

/**
 * Bare clones of GitHub repositories kept in a cache directory, fetched incrementally on the next
 * run. The token reaches git through GIT_CONFIG_COUNT/KEY/VALUE environment variables
 * (`http.<origin>/.extraHeader`) for that one git command: never in the clone URL, a process
 * argument, the repository's config or any file in the cache.
 */

/** $XDG_CACHE_HOME/nhi-audit, else ~/.cache/nhi-audit (Windows: %LOCALAPPDATA%\nhi-audit). */
export function defaultCacheDir(): string {
  const xdg = process.env.XDG_CACHE_HOME;
  if (xdg) return join(xdg, 'nhi-audit');
  if (process.platform === 'win32' && process.env.LOCALAPPDATA) return join(process.env.LOCALAPPDATA, 'nhi-audit');
  return join(homedir(), '.cache', 'nhi-audit');
}

/** Where a repository's mirror lives: <cache>/github/<api host>/<owner>/<name>.git */
export function mirrorDir(cacheDir: string, apiOrigin: string, fullName: string): string {
  const host = new URL(apiOrigin).host.replace(/[^A-Za-z0-9.-]/g, '_');
  const [owner, name] = fullName.split('/');
  const safe = (s: string): string => s.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, '_');
  return join(cacheDir, 'github', host, safe(owner), `${safe(name)}.git`);
}

/** May the token be sent to this clone URL? Only to the API's own host (or github.com for api.github.com). */
export function tokenHostFor(cloneUrl: string, apiOrigin: string): string | undefined {
  let u: URL;
  try {
    u = new URL(cloneUrl);
  } catch {
    return undefined;
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') return undefined;
  const api = new URL(apiOrigin);
  const sameHost = u.host === api.host || `api.${u.host}` === api.host;
  return sameHost ? u.origin : undefined;
}

export interface SyncOptions {
  token?: string;
  apiOrigin: string;
  timeoutMs: number;
  signal?: AbortSignal;
}

function gitEnv(cloneUrl: string, o: SyncOptions): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C', GCM_INTERACTIVE: 'never' };
  // Never let the user's own credential helpers or askpass answer for this command.
  delete env.GIT_ASKPASS;
  delete env.SSH_ASKPASS;
  const origin = o.token ? tokenHostFor(cloneUrl, o.apiOrigin) : undefined;
  const n = Number(env.GIT_CONFIG_COUNT ?? 0) || 0;
  if (origin) {
    const basic = Buffer.from(`x-access-token:${o.token}`).toString('base64');
    env[`GIT_CONFIG_KEY_${n}`] = `http.${origin}/.extraHeader`;
    env[`GIT_CONFIG_VALUE_${n}`] = `Authorization: Basic ${basic}`;
    env.GIT_CONFIG_COUNT = String(n + 1);
  }
  return env;
}

/**
 * git's one-line reason, redacted: its stderr carries the server's words (`remote: …`, an ERR
 * packet) and URLs the API handed out, either of which may hold a credential.
 */
function cloneError(stderr: string, o: SyncOptions): Error {
  const basic = o.token ? Buffer.from(`x-access-token:${o.token}`).toString('base64') : undefined;
  return new Error(remoteLine(gitError(stderr), [o.token, basic], 300) || 'git failed');
}

function runGit(args: string[], env: NodeJS.ProcessEnv, o: SyncOptions): Promise<{ code: number; stderr: string }> {
  return new Promise((resolve) => {
    const p = spawn('git', args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    p.stderr.on('data', (d: Buffer) => {
      if (err.length < 8192) err += d.toString();
    });
    const kill = (): void => {
      p.kill('SIGKILL');
    };
    const t = setTimeout(() => {
      err = `timed out after ${Math.round(o.timeoutMs / 1000)}s\n${err}`;
      kill();
    }, o.timeoutMs);
    o.signal?.addEventListener('abort', kill);
    p.on('error', (e) => {
      clearTimeout(t);
      resolve({ code: 127, stderr: e.message });
    });
    p.on('close', (code) => {
      clearTimeout(t);
      o.signal?.removeEventListener('abort', kill);
      resolve({ code: code ?? 1, stderr: err });
    });
  });
}

const REFSPECS = ['+refs/heads/*:refs/heads/*', '+refs/tags/*:refs/tags/*'];

/**
 * Clone `cloneUrl` bare into `dir`, or fetch into it when a previous run left a mirror there.
 * Full history (no --filter): the history scan reads every blob. Throws with git's one-line reason.
 */
export async function syncMirror(cloneUrl: string, dir: string, defaultBranch: string | undefined, o: SyncOptions): Promise<'cloned' | 'fetched'> {
  const env = gitEnv(cloneUrl, o);
  let action: 'cloned' | 'fetched';
  if (existsSync(join(dir, 'HEAD')) && existsSync(join(dir, 'objects'))) {
    // The URL may have changed (a renamed repository); the stored one never carries a token.
    await runGit(['-C', dir, 'remote', 'set-url', 'origin', cloneUrl], env, o);
    const r = await runGit(['-C', dir, 'fetch', '--quiet', '--prune', '--no-write-fetch-head', 'origin', ...REFSPECS], env, o);
    if (r.code !== 0) throw cloneError(r.stderr, o);
    action = 'fetched';
  } else {
    mkdirSync(dirname(dir), { recursive: true });
    const tmp = `${dir}.tmp-${process.pid}`;
    rmSync(tmp, { recursive: true, force: true });
    const r = await runGit(['clone', '--bare', '--quiet', '--no-tags', '--', cloneUrl, tmp], env, o);
    if (r.code !== 0) {
      rmSync(tmp, { recursive: true, force: true });
      throw cloneError(r.stderr, o);
    }
    const t = await runGit(['-C', tmp, 'fetch', '--quiet', '--no-write-fetch-head', 'origin', ...REFSPECS], env, o);
    if (t.code !== 0) {
      rmSync(tmp, { recursive: true, force: true });
      throw cloneError(t.stderr, o);
    }
    rmSync(dir, { recursive: true, force: true });
    renameSync(tmp, dir);
    action = 'cloned';
  }
  if (defaultBranch) await runGit(['-C', dir, 'symbolic-ref', 'HEAD', `refs/heads/${defaultBranch}`], env, o);
  return action;
}
