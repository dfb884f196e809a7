import picomatch from 'picomatch';
import type { Artifact, CoverageGap, Source, SourceContext, TargetRef } from '../../model/artifact.js';
import type {
  GithubActionsSecret,
  GithubDeployKey,
  GithubEnvironment,
  GithubOrgObservation,
  GithubRepoObservation,
  WorkflowEnvironmentUse,
  WorkflowFile,
} from '../../model/github.js';
import type { OwaspId } from '../../model/owasp.js';
import { gitRepoArtifacts } from '../git/artifacts.js';
import { git, splitZ } from '../git/run.js';
import { loadExcludes } from '../fs/ignore.js';
import { createClient, describeError, statusOf, type GithubClient } from './client.js';
import { mirrorDir, syncMirror } from './clone.js';
import {
  credentialAuthorizationRecord,
  deployKeyRecord,
  environmentRecord,
  installationRecord,
  patRecord,
  secretRecord,
  toActions,
  toCredentialAuthorization,
  toDeployKey,
  toEnvironment,
  toInstallation,
  toPat,
  toSecret,
  toWebhook,
  webhookRecord,
} from './inventory.js';
import { parseWorkflow } from './workflow.js';

/**
 * The GitHub source: lists the repositories of organisations, users and named repositories,
 * reads their machine identities and settings through the REST API (inventory records and
 * `github-org` / `github-repo` observations), clones or fetches each repository into the cache and
 * yields its content (history by unique blob + the default branch's tree) as text for the
 * detector, and its workflows as `github-workflow` observations.
 *
 * Targets: one per organisation/user (`{kind: 'github', path: 'acme'}`: its own settings and
 * identities) and one per repository (`acme/api`). `--shard I/N` splits both by name with the same
 * hash as `scan --shard`; the owner's deploy keys are listed for every repository in the owner's
 * shard, so the reuse check sees all of them however the run is split.
 */

export interface GithubSourceOptions {
  orgs: string[];
  users: string[];
  /** owner/name */
  repos: string[];
  apiUrl: string;
  token?: string;
  includeArchived: boolean;
  includeForks: boolean;
  /** Globs over `owner/name` (or `name`); a repository must match one. */
  repoFilter: string[];
  concurrency: number;
  /** Is this shard key (an owner or `owner/name`) in this run's shard? */
  inShard: (key: string) => boolean;
  cacheDir: string;
  history: boolean;
  maxFileSize: number;
  excludes: string[];
  /** Skip cloning (inventory and settings only). */
  clone: boolean;
  requestTimeoutMs: number;
  cloneTimeoutMs: number;
  /** Epoch ms after which no new request or clone starts. */
  deadline?: number;
  maxResponseBytes: number;
  retries: number;
}

export const GITHUB_ASSESSED: OwaspId[] = ['NHI1', 'NHI2', 'NHI3', 'NHI4', 'NHI5', 'NHI6', 'NHI7', 'NHI8', 'NHI9', 'NHI10'];

/** What each endpoint needs, for the coverage gap when the token may not read it (read-only in every case). */
const NEEDS = {
  repos: 'fine-grained: repository "Metadata: read"; classic: repo for private repositories',
  orgSecrets: 'fine-grained: organization "Secrets: read"; classic: admin:org',
  orgActions: 'fine-grained: organization "Administration: read"; classic: admin:org',
  installations: 'fine-grained: organization "Administration: read"; classic: read:org as an organisation owner',
  orgHooks: 'fine-grained: organization "Webhooks: read"; classic: admin:org_hook',
  pats: 'a GitHub App installation token with the organization permission "Personal access tokens: read" (the endpoint does not accept personal tokens)',
  credAuth: 'an organisation owner token with read:org, on a SAML-enforced organisation (GitHub Enterprise Cloud)',
  deployKeys: 'fine-grained: repository "Administration: read"; classic: repo, as a repository admin',
  repoSecrets: 'fine-grained: repository "Secrets: read"; classic: repo, as a repository admin',
  environments: 'fine-grained: repository "Actions: read" or "Environments: read"; classic: repo',
  envSecrets: 'fine-grained: repository "Environments: read" and "Secrets: read"; classic: repo, as a repository admin',
  repoHooks: 'fine-grained: repository "Webhooks: read"; classic: read:repo_hook',
  repoActions: 'fine-grained: repository "Administration: read"; classic: repo, as a repository admin',
} as const;

type Json = Record<string, unknown>;

interface RepoInfo {
  fullName: string;
  cloneUrl?: string;
  defaultBranch?: string;
  archived: boolean;
  fork: boolean;
  private?: boolean;
  size?: number;
}

function repoInfo(j: Json): RepoInfo {
  return {
    fullName: String(j.full_name),
    cloneUrl: typeof j.clone_url === 'string' ? j.clone_url : undefined,
    defaultBranch: typeof j.default_branch === 'string' ? j.default_branch : undefined,
    archived: j.archived === true,
    fork: j.fork === true,
    private: typeof j.private === 'boolean' ? j.private : undefined,
    size: typeof j.size === 'number' ? j.size : undefined,
  };
}

/** Run up to `n` async iterables at once and yield their items as they come (each advances only when consumed). */
export async function* mergeLimited<T>(tasks: Array<() => AsyncIterable<T>>, n: number): AsyncGenerator<T> {
  const its = new Map<number, AsyncIterator<T>>();
  const pending = new Map<number, Promise<{ i: number; r: IteratorResult<T> }>>();
  let next = 0;
  const pull = (i: number): void => {
    pending.set(
      i,
      its
        .get(i)!
        .next()
        .then((r) => ({ i, r })),
    );
  };
  const start = (): void => {
    const i = next++;
    its.set(i, tasks[i]()[Symbol.asyncIterator]());
    pull(i);
  };
  try {
    while (next < tasks.length && pending.size < n) start();
    while (pending.size > 0) {
      const { i, r } = await Promise.race(pending.values());
      if (r.done) {
        pending.delete(i);
        its.delete(i);
        if (next < tasks.length) start();
        continue;
      }
      pull(i);
      yield r.value;
    }
  } finally {
    for (const it of its.values()) await it.return?.().catch(() => undefined);
  }
}

export class GithubSource implements Source {
  readonly id = 'github';
  private client!: GithubClient;

  constructor(private readonly o: GithubSourceOptions) {}

  async *open(ctx: SourceContext): AsyncIterable<Artifact> {
    const o = this.o;
    this.client = createClient({
      token: o.token,
      apiUrl: o.apiUrl,
      requestTimeoutMs: o.requestTimeoutMs,
      deadline: o.deadline,
      maxResponseBytes: o.maxResponseBytes,
      retries: o.retries,
      signal: ctx.signal,
    });
    const filters = o.repoFilter.map((g) => picomatch(g, { nocase: true }));
    const wanted = (r: RepoInfo): boolean =>
      (o.includeArchived || !r.archived) &&
      (o.includeForks || !r.fork) &&
      (filters.length === 0 || filters.some((f) => f(r.fullName) || f(r.fullName.split('/')[1])));

    const units: Array<() => AsyncIterable<Artifact>> = [];
    const owners: Array<{ login: string; type: 'org' | 'user' }> = [
      ...o.orgs.map((login) => ({ login, type: 'org' as const })),
      ...o.users.map((login) => ({ login, type: 'user' as const })),
    ];
    let reposTotal = 0;
    let reposDone = 0;
    const progress = (target: string, phase: string): void => ctx.progress?.update({ target, phase, repos: reposDone, reposTotal });
    const done = (target: string): void => {
      reposDone++;
      progress(target, 'done');
    };
    // The run's API counters go to the first target this shard owns (never one it does not: merge must equal an unsharded run).
    let firstTarget: TargetRef | undefined;
    const own = (t: TargetRef): void => {
      firstTarget ??= t;
    };

    // Owners: list the repositories (every shard needs the list to split it), then the owner's own part.
    const failedOwners: Artifact[] = [];
    const seen = new Set<string>();
    for (const owner of owners) {
      const target: TargetRef = { kind: 'github', path: owner.login };
      const pre: Artifact[] = [];
      let repos: RepoInfo[] = [];
      try {
        const list = (await this.client.octokit.paginate(owner.type === 'org' ? 'GET /orgs/{org}/repos' : 'GET /users/{username}/repos', {
          org: owner.login,
          username: owner.login,
          type: owner.type === 'org' ? 'all' : 'owner',
          per_page: 100,
        })) as Json[];
        repos = list.map(repoInfo).sort((a, b) => a.fullName.localeCompare(b.fullName));
      } catch (e) {
        const st = statusOf(e);
        pre.push(this.gap(target, `cannot list the repositories of ${owner.login}: ${describeError(e, [this.o.token])}${st === 403 || st === 404 ? ` (${owner.type === 'org' ? 'does the organisation exist, and may the token read it? ' : ''}needs ${NEEDS.repos})` : ''}`, true));
        if (o.inShard(owner.login)) {
          own(target);
          failedOwners.push(...pre);
        }
        continue;
      }
      const kept = repos.filter(wanted);
      const skipped = { archived: repos.filter((r) => r.archived && !o.includeArchived).length, forks: repos.filter((r) => r.fork && !o.includeForks && !(r.archived && !o.includeArchived)).length };
      const mine = kept.filter((r) => o.inShard(r.fullName));
      reposTotal += mine.length;
      if (o.inShard(owner.login)) {
        own(target);
        pre.push({ kind: 'stats', target, stats: { repositoriesListed: repos.length, repositoriesSelected: kept.length, skippedArchived: skipped.archived, skippedForks: skipped.forks, skippedFiltered: repos.length - kept.length - skipped.archived - skipped.forks } });
        units.push(() => this.ownerUnit(owner, target, kept, pre));
      }
      for (const r of kept) seen.add(r.fullName.toLowerCase());
      for (const r of mine) own({ kind: 'github', path: r.fullName });
      for (const r of mine) units.push(() => this.repoUnit(r, { kind: 'github', path: r.fullName }, () => progress(r.fullName, 'clone'), () => done(r.fullName)));
    }
    const listed = new Set<string>();
    for (const full of o.repos) {
      // A repository named twice, or also in a listed organisation, is read once.
      const key = full.toLowerCase();
      if (listed.has(key) || seen.has(key) || !o.inShard(full)) continue;
      listed.add(key);
      reposTotal++;
      const target: TargetRef = { kind: 'github', path: full };
      own(target);
      units.push(() => this.namedRepoUnit(full, target, () => progress(full, 'clone'), () => done(full)));
    }
    yield* failedOwners;
    progress('', 'github');
    yield* mergeLimited(units, Math.max(1, o.concurrency));
    if (firstTarget) {
      const s = this.client.stats;
      yield { kind: 'stats', target: firstTarget, stats: { apiRequests: s.apiRequests, apiErrors: s.apiErrors, apiRetries: s.apiRetries, rateLimitWaits: s.rateLimitWaits } };
    }
  }

  private gap(target: TargetRef, reason: string, fatal = false, informational = false): Artifact {
    const gap: CoverageGap = { reason };
    if (fatal) gap.fatal = true;
    if (informational) gap.informational = true;
    return { kind: 'coverage', target, gap };
  }

  /**
   * One API read: the value, or a coverage gap naming what the token needs (403/404) or what went
   * wrong (anything else). Never throws.
   */
  private async read<T>(target: TargetRef, what: string, need: string, fn: () => Promise<T>, out: Artifact[], opts: { notFoundIsInformational?: boolean } = {}): Promise<T | undefined> {
    try {
      return await fn();
    } catch (e) {
      const st = statusOf(e);
      if (st === 403 || st === 404 || st === 401) {
        const info = st === 404 && opts.notFoundIsInformational === true;
        out.push(this.gap(target, `cannot read ${what} (HTTP ${st}): the token needs ${need}`, false, info));
      } else out.push(this.gap(target, `cannot read ${what}: ${describeError(e, [this.o.token])}`));
      return undefined;
    }
  }

  private list(route: string, params: Json): Promise<Json[]> {
    return this.client.octokit.paginate(route, { per_page: 100, ...params }) as Promise<Json[]>;
  }

  private async getJson(route: string, params: Json): Promise<Json> {
    return (await this.client.octokit.request(route, params)).data as Json;
  }

  private async deployKeys(full: string, target: TargetRef, out: Artifact[]): Promise<GithubDeployKey[] | undefined> {
    const [owner, repo] = full.split('/');
    const keys = await this.read(target, `the deploy keys of ${full}`, NEEDS.deployKeys, () => this.list('GET /repos/{owner}/{repo}/keys', { owner, repo }), out);
    return keys?.map((k) => toDeployKey(k, full));
  }

  private async *ownerUnit(owner: { login: string; type: 'org' | 'user' }, target: TargetRef, repos: RepoInfo[], pre: Artifact[]): AsyncIterable<Artifact> {
    yield* pre;
    const out: Artifact[] = [];
    const org = owner.login;
    const obs: GithubOrgObservation = { login: org, type: owner.type };
    if (owner.type === 'org') {
      const secrets = await this.read(target, `the Actions secrets of ${org}`, NEEDS.orgSecrets, () => this.list('GET /orgs/{org}/actions/secrets', { org }), out);
      if (secrets) obs.secrets = secrets.map((s) => toSecret(s, 'org'));
      const actions = await this.read(target, `the Actions settings of ${org}`, NEEDS.orgActions, () => this.getJson('GET /orgs/{org}/actions/permissions/workflow', { org }), out);
      if (actions) obs.actions = toActions(actions);
      const inst = await this.read(target, `the GitHub App installations of ${org}`, NEEDS.installations, () => this.list('GET /orgs/{org}/installations', { org }), out);
      if (inst) obs.installations = inst.map(toInstallation);
      const hooks = await this.read(target, `the webhooks of ${org}`, NEEDS.orgHooks, () => this.list('GET /orgs/{org}/hooks', { org }), out);
      if (hooks) obs.webhooks = hooks.map((h) => toWebhook(h, org));
      const pats = await this.read(target, `the fine-grained personal access tokens with access to ${org}`, NEEDS.pats, () => this.list('GET /orgs/{org}/personal-access-tokens', { org }), out);
      if (pats) obs.personalAccessTokens = pats.map(toPat);
      const auth = await this.read(target, `the SAML credential authorizations of ${org}`, NEEDS.credAuth, () => this.list('GET /orgs/{org}/credential-authorizations', { org }), out, { notFoundIsInformational: true });
      if (auth) obs.credentialAuthorizations = auth.map(toCredentialAuthorization);
    }
    const keys: GithubDeployKey[] = [];
    let keysComplete = true;
    for (const r of repos) {
      const k = await this.deployKeys(r.fullName, target, out);
      if (k) keys.push(...k);
      else keysComplete = false;
    }
    if (repos.length === 0 || keys.length > 0 || keysComplete) obs.deployKeys = keys;

    yield* out;
    yield { kind: 'observation', target, type: 'github-org', data: obs };
    for (const s of obs.secrets ?? []) yield { kind: 'inventory', target, record: secretRecord(org, s, org) };
    for (const i of obs.installations ?? []) yield { kind: 'inventory', target, record: installationRecord(org, i) };
    for (const h of obs.webhooks ?? []) yield { kind: 'inventory', target, record: webhookRecord(h, org) };
    for (const t of obs.personalAccessTokens ?? []) yield { kind: 'inventory', target, record: patRecord(org, t) };
    for (const c of obs.credentialAuthorizations ?? []) yield { kind: 'inventory', target, record: credentialAuthorizationRecord(org, c) };
    for (const k of obs.deployKeys ?? []) yield { kind: 'inventory', target, record: deployKeyRecord(k, org) };
    yield { kind: 'stats', target, assessed: GITHUB_ASSESSED };
  }

  /** A `--repo owner/name` target: read the repository, its deploy keys (as an owner observation), then as any repository. */
  private async *namedRepoUnit(full: string, target: TargetRef, onStart: () => void, onDone: () => void): AsyncIterable<Artifact> {
    const [owner, repo] = full.split('/');
    let info: RepoInfo;
    try {
      info = repoInfo(await this.getJson('GET /repos/{owner}/{repo}', { owner, repo }));
    } catch (e) {
      const st = statusOf(e);
      yield this.gap(target, `cannot read repository ${full}: ${describeError(e, [this.o.token])}${st === 404 || st === 403 ? ` (does it exist, and may the token read it? needs ${NEEDS.repos})` : ''}`, true);
      onDone();
      return;
    }
    const out: Artifact[] = [];
    const keys = await this.deployKeys(full, target, out);
    yield* out;
    if (keys) {
      yield { kind: 'observation', target, type: 'github-org', data: { login: owner, type: 'owner', deployKeys: keys } satisfies GithubOrgObservation };
      for (const k of keys) yield { kind: 'inventory', target, record: deployKeyRecord(k, owner) };
    }
    yield* this.repoUnit(info, target, onStart, onDone);
  }

  private async *repoUnit(r: RepoInfo, target: TargetRef, onStart: () => void, onDone: () => void): AsyncIterable<Artifact> {
    const o = this.o;
    const full = r.fullName;
    const [owner, repo] = full.split('/');
    const out: Artifact[] = [];
    try {
      onStart();
      const obs: GithubRepoObservation = { repo: full, private: r.private, archived: r.archived, fork: r.fork, defaultBranch: r.defaultBranch };
      const secrets = await this.read(target, `the Actions secrets of ${full}`, NEEDS.repoSecrets, () => this.list('GET /repos/{owner}/{repo}/actions/secrets', { owner, repo }), out);
      if (secrets) obs.secrets = secrets.map((s) => toSecret(s, 'repo'));
      const envs = await this.read(target, `the environments of ${full}`, NEEDS.environments, () => this.list('GET /repos/{owner}/{repo}/environments', { owner, repo }), out);
      if (envs) {
        obs.environments = [];
        for (const ej of envs) {
          const env: GithubEnvironment = toEnvironment(ej);
          const es = await this.read(target, `the secrets of environment ${env.name} in ${full}`, NEEDS.envSecrets, () => this.list('GET /repos/{owner}/{repo}/environments/{environment_name}/secrets', { owner, repo, environment_name: env.name }), out);
          if (es) env.secrets = es.map((s): GithubActionsSecret => toSecret(s, 'environment', env.name));
          obs.environments.push(env);
        }
      }
      const hooks = await this.read(target, `the webhooks of ${full}`, NEEDS.repoHooks, () => this.list('GET /repos/{owner}/{repo}/hooks', { owner, repo }), out);
      if (hooks) obs.webhooks = hooks.map((h) => toWebhook(h, full));
      const actions = await this.read(target, `the Actions settings of ${full}`, NEEDS.repoActions, () => this.getJson('GET /repos/{owner}/{repo}/actions/permissions/workflow', { owner, repo }), out);
      if (actions) obs.actions = toActions(actions);
      yield* out.splice(0);

      // Content: clone or fetch, then history + default branch tree to the detector, workflows to the checks.
      let workflows: WorkflowFile[] = [];
      if (o.clone && r.cloneUrl && r.size !== 0) {
        if (o.deadline !== undefined && Date.now() > o.deadline) {
          yield this.gap(target, `${full} was not cloned: the crawl deadline (--timeout) had passed`, true);
        } else {
          const dir = mirrorDir(o.cacheDir, this.client.apiOrigin, full);
          let action: 'cloned' | 'fetched' | undefined;
          try {
            action = await syncMirror(r.cloneUrl, dir, r.defaultBranch, { token: o.token, apiOrigin: this.client.apiOrigin, timeoutMs: o.cloneTimeoutMs });
          } catch (e) {
            yield this.gap(target, `cannot clone ${full}: ${(e as Error).message}`, true);
          }
          if (action) {
            yield { kind: 'stats', target, stats: { [action]: 1 } };
            workflows = await readWorkflows(dir, o.maxFileSize);
            yield* gitRepoArtifacts(dir, target, { history: o.history, maxFileSize: o.maxFileSize, excludes: loadExcludes(undefined, o.excludes), source: 'github', resourcePrefix: `github:${full}` });
          }
        }
      }
      const def = obs.actions?.defaultWorkflowPermissions;
      const uses: WorkflowEnvironmentUse[] = [];
      for (const wf of workflows) {
        wf.repo = full;
        if (def) wf.defaultWorkflowPermissions = def;
        for (const j of wf.jobs) if (j.environment && !j.environment.value.includes('${{')) uses.push({ environment: j.environment.value, path: wf.path, line: j.environment.line, job: j.id });
        yield { kind: 'observation', target, type: 'github-workflow', data: wf };
      }
      if (o.clone) obs.workflowEnvironments = uses;
      yield { kind: 'observation', target, type: 'github-repo', data: obs };
      for (const s of obs.secrets ?? []) yield { kind: 'inventory', target, record: secretRecord(full, s, owner) };
      for (const e of obs.environments ?? []) {
        yield { kind: 'inventory', target, record: environmentRecord(full, e, owner) };
        for (const s of e.secrets ?? []) yield { kind: 'inventory', target, record: secretRecord(full, s, owner) };
      }
      for (const h of obs.webhooks ?? []) yield { kind: 'inventory', target, record: webhookRecord(h, owner) };
      yield { kind: 'stats', target, stats: { workflows: workflows.length }, assessed: GITHUB_ASSESSED };
    } catch (e) {
      yield* out;
      yield this.gap(target, `${full}: ${describeError(e, [this.o.token])}`, true);
    } finally {
      onDone();
    }
  }
}

/** The workflow files of the mirror's default branch (HEAD), parsed. */
export async function readWorkflows(dir: string, maxSize: number): Promise<WorkflowFile[]> {
  const ls = await git(dir, ['ls-tree', '-z', '-l', 'HEAD', '.github/workflows/']);
  if (ls.code !== 0) return [];
  const out: WorkflowFile[] = [];
  for (const entry of splitZ(ls.stdout)) {
    const m = /^\d+ blob ([0-9a-f]+)\s+(\d+|-)\t(.+)$/.exec(entry);
    if (!m || !/\.ya?ml$/i.test(m[3]) || Number(m[2]) > maxSize) continue;
    const blob = await git(dir, ['cat-file', 'blob', m[1]]);
    if (blob.code !== 0) continue;
    out.push(parseWorkflow(m[3], blob.stdout.toString('utf8')));
  }
  return out;
}
