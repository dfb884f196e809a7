import type { Command } from 'commander';
import type { Source } from '../model/artifact.js';
import { warnUnknownDisabled } from '../config/apply.js';
import { githubSources, githubTokenFromEnv, type GithubTargets } from '../sources/github/index.js';
import { info as logInfo, setQuiet, warn } from '../util/log.js';
import { addOutputOptions, checkGateOptions, configFor, finishRun, repeatable, type OutputOptions } from './common.js';
import { UsageError } from './errors.js';
import { nowOf } from './aws.js';
import { pipelineOptions, runWithProgress } from './scan.js';
import { inShard, parseShard } from './shard.js';
import { parseSize } from './size.js';


export interface GithubCliOptions extends OutputOptions {
  org: string[];
  user: string[];
  repo: string[];
  apiUrl?: string;
  tokenEnv?: string;
  archived: boolean;
  includeArchived?: boolean;
  includeForks?: boolean;
  repoFilter: string[];
  concurrency: string;
  shard?: string;
  cacheDir?: string;
  history: boolean;
  clone: boolean;
  exclude: string[];
  maxFileSize: string;
  threads?: string;
  requestTimeout: string;
  cloneTimeout: string;
  timeout?: string;
  allowPartial?: boolean;
  now?: string;
}

function int(v: string, flag: string, min: number, max: number): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < min || n > max) throw new UsageError(`${flag} expects a number from ${min} to ${max}, got '${v}'`);
  return n;
}

/** Check the target flags and turn the command's options into the source's. Usage errors throw. */
export function githubTargetsFrom(o: GithubCliOptions, startedAt: Date): GithubTargets {
  for (const r of o.repo) if (!/^[^/\s]+\/[^/\s]+$/.test(r)) throw new UsageError(`--repo expects OWNER/NAME, got '${r}'`);
  if (o.org.length + o.user.length + o.repo.length === 0) throw new UsageError('nothing to audit: give --org ORG, --user USER or --repo OWNER/NAME');
  if (o.apiUrl !== undefined) {
    try {
      const u = new URL(o.apiUrl);
      if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new Error();
    } catch {
      throw new UsageError(`--api-url expects an http(s) URL, got '${o.apiUrl}'`);
    }
  }
  if (o.tokenEnv !== undefined && !/^[A-Za-z_][A-Za-z0-9_]*$/.test(o.tokenEnv)) throw new UsageError(`--token-env expects an environment variable name, got '${o.tokenEnv}'`);
  const token = githubTokenFromEnv(o.tokenEnv);
  if (o.tokenEnv !== undefined && token === undefined) throw new UsageError(`--token-env ${o.tokenEnv}: the variable is not set`);
  if (token === undefined) warn('no GitHub token (GITHUB_TOKEN, GH_TOKEN or --token-env VAR): public data only, and at most 60 API requests an hour');
  const shard = parseShard(o.shard);
  if (shard) logInfo(`shard ${shard.index}/${shard.count}: the repositories (and owners) whose name falls in it`);
  const timeoutS = o.timeout !== undefined ? int(o.timeout, '--timeout', 1, 7 * 86400) : undefined;
  return {
    orgs: o.org,
    users: o.user,
    repos: o.repo,
    apiUrl: o.apiUrl,
    token,
    includeArchived: o.archived,
    includeForks: o.includeForks === true,
    repoFilter: o.repoFilter,
    concurrency: int(o.concurrency, '--concurrency', 1, 64),
    inShard: (key) => inShard(key, shard),
    cacheDir: o.cacheDir,
    history: o.history,
    clone: o.clone,
    maxFileSize: parseSize(o.maxFileSize, '--max-file-size'),
    excludes: o.exclude,
    requestTimeoutMs: int(o.requestTimeout, '--request-timeout', 1, 3600) * 1000,
    cloneTimeoutMs: int(o.cloneTimeout, '--clone-timeout', 1, 86400) * 1000,
    deadline: timeoutS !== undefined ? startedAt.getTime() + timeoutS * 1000 : undefined,
  };
}

/**
 * The GitHub sources for `audit --github-org/--github-user/--github-repo` (and the config file's
 * `targets.github`): token from GITHUB_TOKEN/GH_TOKEN or `tokenEnv`, defaults for the rest.
 */
export async function auditGithubSources(o: { orgs: string[]; users: string[]; repos: string[]; apiUrl?: string; tokenEnv?: string; history: boolean; maxFileSize: string; now: Date }): Promise<Source[]> {
  const targets = githubTargetsFrom(
    {
      org: o.orgs,
      user: o.users,
      repo: o.repos,
      apiUrl: o.apiUrl,
      tokenEnv: o.tokenEnv,
      archived: true,
      repoFilter: [],
      concurrency: '4',
      history: o.history,
      clone: true,
      exclude: [],
      maxFileSize: o.maxFileSize,
      requestTimeout: '30',
      cloneTimeout: '1800',
      format: 'json',
    },
    o.now,
  );
  return githubSources(targets);
}

export function registerGithub(program: Command): void {
  const cmd = program
    .command('github')
    .description("audit GitHub organisations, users and repositories: secrets in every repository's history, and the machine identities and settings around them");
  cmd
    .option('--org <org>', 'an organisation (repeatable)', repeatable, [])
    .option('--user <user>', "a user's repositories (repeatable)", repeatable, [])
    .option('--repo <owner/name>', 'one repository (repeatable)', repeatable, [])
    .option('--api-url <url>', 'REST API root: GitHub Enterprise Server is https://HOST/api/v3 (default: $GITHUB_API_URL or https://api.github.com)')
    .option('--token-env <var>', 'read the token from this environment variable (default: GITHUB_TOKEN, then GH_TOKEN)')
    .option('--include-archived', 'scan archived repositories (the default)')
    .option('--no-archived', 'skip archived repositories')
    .option('--include-forks', 'scan forks too (skipped by default)')
    .option('--repo-filter <glob>', 'only repositories whose name or owner/name matches (repeatable)', repeatable, [])
    .option('--concurrency <n>', 'repositories cloned and read at once', '4')
    .option('--shard <i/n>', 'only shard I of N of the repositories (a CI matrix; join the JSON reports with `nhi-audit merge`)')
    .option('--cache-dir <dir>', 'where bare clones are kept and fetched incrementally (default: $XDG_CACHE_HOME/nhi-audit or ~/.cache/nhi-audit)')
    .option('--no-history', "scan only each default branch's tree, not the history")
    .option('--no-clone', 'do not clone: identities, settings and coverage only')
    .option('--exclude <glob>', 'exclude paths inside repositories (gitignore syntax; repeatable)', repeatable, [])
    .option('--max-file-size <size>', 'skip files and blobs larger than this', '10MB')
    .option('--threads <n>', 'worker threads for detection (default: one per core)')
    .option('--request-timeout <seconds>', 'timeout of each API request', '30')
    .option('--clone-timeout <seconds>', 'timeout of each clone or fetch', '1800')
    .option('--timeout <seconds>', 'stop starting API requests and clones after this long (a deadline for the whole crawl)')
    .option('--now <date>', 'evaluate ages and inactivity as of this date (reproducible reports)');
  addOutputOptions(cmd);
  cmd.addHelpText(
    'after',
    `
Examples:
  $ GITHUB_TOKEN=… nhi-audit github --org acme                  every repository, identity and setting of acme
  $ nhi-audit github --repo acme/api --repo acme/web --no-history
  $ nhi-audit github --org acme --no-clone -f json -o acme.json      identities and settings only
  $ nhi-audit github --org acme --shard 3/8 -f json -o shard-3.json  one job of an 8-job matrix (then nhi-audit merge)
  $ nhi-audit github --org acme --api-url https://ghe.acme.test/api/v3 --token-env GHE_TOKEN

The token needs read access only; see the README's GitHub section for the scopes and fine-grained permissions.`,
  );
  cmd.action(async (o: GithubCliOptions) => {
    setQuiet(o.quiet === true);
    const config = configFor(o);
    checkGateOptions(o, config);
    warnUnknownDisabled(config);
    const startedAt = new Date();
    const now = o.now !== undefined ? nowOf(o.now) : startedAt;
    const targets = githubTargetsFrom(o, startedAt);
    const run = await runWithProgress(githubSources(targets), pipelineOptions(o, config, now), o);
    if (o.allowPartial) run.targets = run.targets.map((t) => (t.status === 'error' ? { ...t, status: 'partial' } : t));
    process.exitCode = finishRun(run, o, config);
  });
}
