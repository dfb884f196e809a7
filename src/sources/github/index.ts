import type { Source } from '../../model/artifact.js';
import { defaultCacheDir } from './clone.js';
import { GithubSource, type GithubSourceOptions } from './source.js';

export { parseWorkflow } from './workflow.js';
export { GithubSource, type GithubSourceOptions } from './source.js';
export { defaultCacheDir } from './clone.js';

/** What a command (github, audit) asks of the GitHub source; everything but the targets has a default. */
export interface GithubTargets {
  orgs?: string[];
  users?: string[];
  repos?: string[];
  /** Default: $GITHUB_API_URL, else https://api.github.com */
  apiUrl?: string;
  /** The token itself (read from the environment by the command; never from a flag value). */
  token?: string;
  includeArchived?: boolean;
  includeForks?: boolean;
  repoFilter?: string[];
  concurrency?: number;
  /** Is this shard key (`owner` or `owner/name`) in this run's shard? Default: everything. */
  inShard?: (key: string) => boolean;
  cacheDir?: string;
  history?: boolean;
  maxFileSize?: number;
  excludes?: string[];
  clone?: boolean;
  requestTimeoutMs?: number;
  cloneTimeoutMs?: number;
  deadline?: number;
  maxResponseBytes?: number;
  retries?: number;
}

export const DEFAULT_API_URL = 'https://api.github.com';

/** Fill the defaults. */
export function githubSourceOptions(t: GithubTargets): GithubSourceOptions {
  return {
    orgs: t.orgs ?? [],
    users: t.users ?? [],
    repos: t.repos ?? [],
    apiUrl: t.apiUrl ?? process.env.GITHUB_API_URL ?? DEFAULT_API_URL,
    token: t.token,
    includeArchived: t.includeArchived ?? true,
    includeForks: t.includeForks ?? false,
    repoFilter: t.repoFilter ?? [],
    concurrency: t.concurrency ?? 4,
    inShard: t.inShard ?? (() => true),
    cacheDir: t.cacheDir ?? defaultCacheDir(),
    history: t.history ?? true,
    maxFileSize: t.maxFileSize ?? 10 * 1024 * 1024,
    excludes: t.excludes ?? [],
    clone: t.clone ?? true,
    requestTimeoutMs: t.requestTimeoutMs ?? 30_000,
    cloneTimeoutMs: t.cloneTimeoutMs ?? 30 * 60_000,
    deadline: t.deadline,
    maxResponseBytes: t.maxResponseBytes ?? 32 * 1024 * 1024,
    retries: t.retries ?? 3,
  };
}

/**
 * The sources for GitHub targets (`nhi-audit github`, and `audit --github-org/--github-repo`):
 * one source that crawls every organisation, user and repository given, or none when none is.
 */
export function githubSources(t: GithubTargets): Source[] {
  const o = githubSourceOptions(t);
  if (o.orgs.length + o.users.length + o.repos.length === 0) return [];
  return [new GithubSource(o)];
}

/** The token from GITHUB_TOKEN / GH_TOKEN, or from the variable `--token-env VAR` names. */
export function githubTokenFromEnv(varName?: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const v = varName ? env[varName] : (env.GITHUB_TOKEN ?? env.GH_TOKEN);
  return v && v.trim() !== '' ? v.trim() : undefined;
}
