import { execFileSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { FakeGithub, type GithubFixture, type Json } from './helpers/github-server.js';
import { TempRepo } from './helpers/git-repo.js';
import { fake } from './helpers/tokens.js';

/**
 * The organisation `acme` for the GitHub tests: bare repositories on disk (file:// clone URLs)
 * and the REST answers about them, with every inventory problem the checks know exactly once,
 * and clean repositories and settings that must produce nothing.
 */

const DAY = 86_400_000;
export const daysAgo = (n: number): string => new Date(Date.now() - n * DAY).toISOString().replace(/\.\d+Z$/, 'Z');
export const daysAhead = (n: number): string => daysAgo(-n);

function sshKey(): string {
  const { publicKey } = generateKeyPairSync('ed25519');
  const der = publicKey.export({ format: 'der', type: 'spki' });
  const raw = der.subarray(der.length - 32);
  const name = Buffer.from('ssh-ed25519');
  const len = (b: Buffer): Buffer => {
    const l = Buffer.alloc(4);
    l.writeUInt32BE(b.length);
    return l;
  };
  return `ssh-ed25519 ${Buffer.concat([len(name), name, len(raw), raw]).toString('base64')}`;
}

export const WORKFLOWS = {
  deploy: `name: deploy
on:
  push:
    branches: [main]
jobs:
  deploy:
    runs-on: ubuntu-latest
    environment: production
    steps:
      - uses: actions/checkout@v4
      - uses: aws-actions/configure-aws-credentials@v4
        with:
          aws-access-key-id: \${{ secrets.AWS_ACCESS_KEY_ID }}
          aws-secret-access-key: \${{ secrets.AWS_SECRET_ACCESS_KEY }}
          aws-region: eu-west-1
      - run: ./deploy.sh
`,
  pr: `on: pull_request_target
permissions:
  contents: read
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          ref: \${{ github.event.pull_request.head.sha }}
          persist-credentials: false
      - run: npm test
`,
  release: `on:
  push:
    tags: ['v*']
permissions: write-all
jobs:
  release:
    runs-on: ubuntu-latest
    steps:
      - run: |
          echo "publishing with \${{ secrets.NPM_TOKEN }}"
`,
  lint: `on: pull_request
permissions:
  contents: read
jobs:
  lint:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: npm ci && npm run lint
`,
  clean: `on: [push, pull_request]
permissions:
  contents: read
  id-token: write
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          persist-credentials: false
      - run: npm ci && npm test
      - uses: aws-actions/configure-aws-credentials@v4
        with:
          role-to-assume: arn:aws:iam::111122223333:role/ci-readonly
          aws-region: eu-west-1
`,
};

export interface AcmeFixture {
  server: FakeGithub;
  token: string;
  /** Secrets planted: in a file at HEAD, and only in history. */
  headSecret: string;
  historySecret: string;
  sharedKeyRepos: string[];
  root: string;
  cleanup(): Promise<void>;
}

function bare(root: string, name: string, build: (r: TempRepo) => void): string {
  const r = new TempRepo();
  build(r);
  const dir = join(root, `${name}.git`);
  execFileSync('git', ['clone', '-q', '--bare', r.dir, dir]);
  r.remove();
  return pathToFileURL(dir).href;
}

function repoJson(full: string, cloneUrl: string, extra: Json = {}): Json {
  return { id: full.length, name: full.split('/')[1], full_name: full, private: true, archived: false, fork: false, default_branch: 'main', clone_url: cloneUrl, size: 10, ...extra };
}

export async function acmeFixture(opts: { faults?: boolean } = {}): Promise<AcmeFixture> {
  const root = mkdtempSync(join(tmpdir(), 'nhi-audit-gh-'));
  const token = fake.githubPat();
  // The server starts first: acme/leaky is cloned over smart HTTP from it (so the token must reach git), the rest by file://.
  const routes: Record<string, unknown> = {};
  const fixture: GithubFixture = { orgs: ['acme'], routes, token, pageSize: 2, gitRoot: root };
  const server = new FakeGithub(fixture);
  await server.start();
  const headSecret = fake.stripeLive();
  const historySecret = fake.slackBot();

  const urls = {
    leaky: bare(root, 'leaky', (r) => {
      r.commit('app', { 'README.md': '# leaky\n', 'config/payments.js': `module.exports = { stripeKey: '${headSecret}' };\n` });
    }),
    history: bare(root, 'history', (r) => {
      r.commit('oops', { 'notify.sh': `curl -H "Authorization: Bearer ${historySecret}" https://slack.com/api/chat.postMessage\n` });
      r.commit('use the env', { 'notify.sh': 'curl -H "Authorization: Bearer $SLACK_TOKEN" https://slack.com/api/chat.postMessage\n' });
    }),
    ci: bare(root, 'ci', (r) => {
      r.commit('workflows', {
        '.github/workflows/deploy.yml': WORKFLOWS.deploy,
        '.github/workflows/pr.yml': WORKFLOWS.pr,
        '.github/workflows/release.yml': WORKFLOWS.release,
        '.github/workflows/lint.yaml': WORKFLOWS.lint,
        'deploy.sh': '#!/bin/sh\necho deploying\n',
      });
    }),
    clean: bare(root, 'clean', (r) => {
      r.commit('clean', { 'src/index.js': 'export const answer = 42;\n', '.github/workflows/ci.yml': WORKFLOWS.clean });
    }),
    old: bare(root, 'old', (r) => {
      r.commit('old', { 'NOTES.md': 'archived project\n' });
    }),
  };

  const shared = sshKey();
  const key = (id: number, title: string, k: string, o: Json = {}): Json => ({ id, key: k, title, read_only: true, verified: true, created_at: daysAgo(30), last_used: daysAgo(2), added_by: 'octocat', ...o });
  const secret = (name: string, updatedDaysAgo: number, o: Json = {}): Json => ({ name, created_at: daysAgo(updatedDaysAgo + 10), updated_at: daysAgo(updatedDaysAgo), ...o });
  const hook = (id: number, url: string, o: Json = {}, cfg: Json = {}): Json => ({ id, name: 'web', active: true, events: ['push'], created_at: daysAgo(100), config: { url, content_type: 'json', insecure_ssl: '0', secret: '********', ...cfg }, ...o });
  const readActions = { default_workflow_permissions: 'read', can_approve_pull_request_reviews: false };
  const noEnvs = { total_count: 0, environments: [] };
  const noSecrets = { total_count: 0, secrets: [] };

  const repos = [
    repoJson('acme/ci', urls.ci),
    repoJson('acme/clean', urls.clean),
    repoJson('acme/history', urls.history),
    repoJson('acme/leaky', `${server.url}/git/leaky.git`),
    repoJson('acme/old', urls.old, { archived: true }),
    repoJson('acme/fork-of-something', pathToFileURL(join(root, 'missing.git')).href, { fork: true }),
  ];

  Object.assign(routes, {
    '/orgs/acme/repos': repos,
    ...Object.fromEntries(repos.map((r) => [`/repos/${r.full_name}`, r])),
    // Organisation settings and identities.
    '/orgs/acme/actions/secrets': {
      total_count: 4,
      secrets: [
        secret('ORG_NPM_TOKEN', 20, { visibility: 'all' }), // visible to all repositories
        secret('ORG_SLACK_WEBHOOK', 900, { visibility: 'selected' }), // not rotated
        secret('AZURE_CREDENTIALS', 20, { visibility: 'selected' }), // static cloud key
        secret('ORG_SONAR_TOKEN', 20, { visibility: 'private' }),
      ],
    },
    '/orgs/acme/actions/permissions/workflow': { default_workflow_permissions: 'read', can_approve_pull_request_reviews: true },
    '/orgs/acme/installations': {
      total_count: 3,
      installations: [
        { id: 101, app_id: 1, app_slug: 'ci-robot', repository_selection: 'all', permissions: { contents: 'write', metadata: 'read' }, created_at: daysAgo(400), updated_at: daysAgo(40), suspended_at: null },
        { id: 102, app_id: 2, app_slug: 'old-dashboard', repository_selection: 'selected', permissions: { issues: 'read' }, created_at: daysAgo(800), suspended_at: daysAgo(300), suspended_by: { login: 'octocat' } },
        { id: 103, app_id: 3, app_slug: 'linter', repository_selection: 'selected', permissions: { checks: 'write', contents: 'read' }, created_at: daysAgo(100), suspended_at: null },
      ],
    },
    '/orgs/acme/hooks': [hook(201, 'http://chat.acme.test/hooks/T0/B0/abc123'), hook(202, 'https://audit.acme.test/gh')],
    '/orgs/acme/personal-access-tokens': [
      { id: 301, owner: { login: 'alice' }, repository_selection: 'subset', permissions: { repository: { contents: 'read' } }, access_granted_at: daysAgo(50), token_expired: false, token_expires_at: null, token_last_used_at: daysAgo(1), token_id: 1, token_name: 'forever' },
      { id: 302, owner: { login: 'bob' }, repository_selection: 'subset', permissions: { repository: { contents: 'read' } }, access_granted_at: daysAgo(300), token_expired: false, token_expires_at: daysAhead(30), token_last_used_at: daysAgo(200), token_id: 2, token_name: 'forgotten' },
      { id: 303, owner: { login: 'carol' }, repository_selection: 'all', permissions: { repository: { contents: 'write', metadata: 'read' } }, access_granted_at: daysAgo(10), token_expired: false, token_expires_at: daysAhead(60), token_last_used_at: daysAgo(1), token_id: 3, token_name: 'mass-edit' },
      { id: 304, owner: { login: 'dave' }, repository_selection: 'subset', permissions: { repository: { contents: 'read' } }, access_granted_at: daysAgo(10), token_expired: false, token_expires_at: daysAhead(60), token_last_used_at: daysAgo(1), token_id: 4, token_name: 'fine' },
    ],
    '/orgs/acme/credential-authorizations': [
      { login: 'erin', credential_id: 401, credential_type: 'personal access token', token_last_eight: 'abcd1234', credential_authorized_at: daysAgo(500), credential_accessed_at: daysAgo(200), scopes: ['repo'] },
      { login: 'frank', credential_id: 402, credential_type: 'SSH key', credential_authorized_at: daysAgo(500), credential_accessed_at: daysAgo(3) },
    ],
    // acme/leaky: a write deploy key (shared with acme/history), a repository cloud key secret, an old secret, a hook without a secret.
    '/repos/acme/leaky/keys': [key(501, 'deploy-shared', shared, { read_only: false })],
    '/repos/acme/leaky/actions/secrets': { total_count: 2, secrets: [secret('AWS_ACCESS_KEY_ID', 10), secret('LEGACY_API_TOKEN', 800)] },
    '/repos/acme/leaky/environments': noEnvs,
    '/repos/acme/leaky/hooks': [hook(601, 'https://ci.acme.test/hook', {}, { secret: undefined })],
    '/repos/acme/leaky/actions/permissions/workflow': readActions,
    // acme/history: the shared key again.
    '/repos/acme/history/keys': [key(502, 'deploy-shared', shared)],
    '/repos/acme/history/actions/secrets': noSecrets,
    '/repos/acme/history/environments': noEnvs,
    '/repos/acme/history/hooks': [],
    '/repos/acme/history/actions/permissions/workflow': readActions,
    // acme/ci: an old deploy key, default token write, a production environment without reviewers that deploy.yml uses.
    '/repos/acme/ci/keys': [key(503, 'ci-old', sshKey(), { created_at: daysAgo(1500) })],
    '/repos/acme/ci/actions/secrets': noSecrets,
    '/repos/acme/ci/environments': { total_count: 1, environments: [{ id: 1, name: 'production', protection_rules: [], deployment_branch_policy: null, created_at: daysAgo(60), updated_at: daysAgo(60) }] },
    '/repos/acme/ci/environments/production/secrets': { total_count: 1, secrets: [secret('DEPLOY_TOKEN', 10)] },
    '/repos/acme/ci/hooks': [],
    '/repos/acme/ci/actions/permissions/workflow': { default_workflow_permissions: 'write', can_approve_pull_request_reviews: false },
    // acme/old (archived): a deploy key never used; its secrets endpoint is forbidden.
    '/repos/acme/old/keys': [key(504, 'old-backup', sshKey(), { created_at: daysAgo(200), last_used: null })],
    '/repos/acme/old/environments': noEnvs,
    '/repos/acme/old/hooks': [],
    '/repos/acme/old/actions/permissions/workflow': readActions,
    // acme/clean: everything right.
    '/repos/acme/clean/keys': [key(505, 'clean-deploy', sshKey())],
    '/repos/acme/clean/actions/secrets': { total_count: 1, secrets: [secret('NPM_TOKEN', 30)] },
    '/repos/acme/clean/environments': {
      total_count: 1,
      environments: [{ id: 2, name: 'production', protection_rules: [{ id: 1, type: 'required_reviewers', reviewers: [{ type: 'Team', reviewer: { slug: 'ops' } }] }], deployment_branch_policy: { protected_branches: true, custom_branch_policies: false } }],
    },
    '/repos/acme/clean/environments/production/secrets': { total_count: 1, secrets: [secret('PROD_DB_PASSWORD', 30)] },
    '/repos/acme/clean/hooks': [hook(602, 'https://ci.acme.test/hook')],
    '/repos/acme/clean/actions/permissions/workflow': readActions,
  });
  fixture.faults = {
    '/repos/acme/old/actions/secrets': '403',
    ...(opts.faults !== false ? { '/orgs/acme/hooks': 'secondary' as const, '/repos/acme/clean/hooks': '502' as const, '/orgs/acme/installations': 'primary' as const } : {}),
  };
  return {
    server,
    token,
    headSecret,
    historySecret,
    sharedKeyRepos: ['acme/history', 'acme/leaky'],
    root,
    async cleanup() {
      await server.stop();
      rmSync(root, { recursive: true, force: true });
    },
  };
}

/** The checks the fixture must fire: each once, but github-workflow-write-all twice (write-all, and no permissions with a write default). */
export const EXPECTED_CHECKS = [
  'github-workflow-write-all',
  'github-workflow-write-all',
  'github-org-secret-all-repositories',
  'github-org-secret-not-rotated',
  'github-org-secret-cloud-key',
  'github-org-actions-approve-prs',
  'github-app-broad-permissions',
  'github-app-suspended',
  'github-org-webhook-insecure',
  'github-pat-no-expiry',
  'github-pat-unused',
  'github-pat-all-repositories-write',
  'github-credential-authorization-unused',
  'github-deploy-key-write',
  'github-deploy-key-shared',
  'github-deploy-key-old',
  'github-deploy-key-unused',
  'github-secret-cloud-key',
  'github-secret-not-rotated',
  'github-webhook-insecure',
  'github-actions-token-write',
  'github-environment-no-approval',
  'github-workflow-static-cloud-credentials',
  'github-workflow-untrusted-checkout',
  'github-workflow-persist-credentials',
  'github-workflow-secrets-exposed',
];
