/**
 * What the GitHub source observes, as the checks in src/checks/github/ read it. Plain JSON (dates are
 * ISO 8601 strings), so the same shapes come from the live API and from the examples in
 * rules/checks/github-*.yaml. A part the token could not read is absent (undefined), never empty: the
 * source reports it as a coverage gap and the checks that need it stay quiet.
 *
 * Observation types (ObservationArtifact.type):
 * - `github-org`: GithubOrgObservation, one per organisation or user (or per owner of `--repo` targets).
 * - `github-repo`: GithubRepoObservation, one per repository.
 * - `github-workflow`: WorkflowFile, one per `.github/workflows/*.yml|yaml` file (GitHub or a local scan).
 */

export interface GithubActionsSecret {
  name: string;
  created?: string;
  updated?: string;
  /** Organisation secrets: which repositories may use it. */
  visibility?: 'all' | 'private' | 'selected';
  /** Where it lives: `repo`, `environment` or `org`. */
  scope: 'repo' | 'environment' | 'org';
  /** The environment, for environment secrets. */
  environment?: string;
}

export interface GithubDeployKey {
  id: number;
  title: string;
  /** `SHA256:<base64>` of the public key, as `ssh-keygen -lf` prints it. */
  fingerprint: string;
  readOnly: boolean;
  created?: string;
  /** null: never used (GitHub reports it); undefined: not reported by this server. */
  lastUsed?: string | null;
  addedBy?: string;
  /** `owner/name` of the repository it is on. */
  repo: string;
}

export interface GithubWebhook {
  id: number;
  name?: string;
  active?: boolean;
  url?: string;
  /** GitHub masks the secret; true when one is set. */
  hasSecret: boolean;
  insecureSsl: boolean;
  events?: string[];
  created?: string;
  /** `org` or `owner/name`. */
  on: string;
}

export interface GithubActionsSettings {
  /** Default permission of GITHUB_TOKEN. */
  defaultWorkflowPermissions?: 'read' | 'write';
  /** Whether GitHub Actions may approve pull requests. */
  canApprovePullRequestReviews?: boolean;
}

export interface GithubEnvironment {
  name: string;
  /** Users or teams that must approve a deployment (0: none). */
  requiredReviewers: number;
  /** A deployment branch policy (protected branches or custom branch rules) is set. */
  branchPolicy: boolean;
  waitTimer?: number;
  /** Names of the environment's secrets (absent when they could not be read). */
  secrets?: GithubActionsSecret[];
  created?: string;
  updated?: string;
}

export interface GithubAppInstallation {
  id: number;
  appSlug: string;
  appId?: number;
  /** `all` or `selected` repositories. */
  repositorySelection: 'all' | 'selected';
  /** GitHub's permission map: `{ contents: 'write', administration: 'read', … }`. */
  permissions: Record<string, string>;
  created?: string;
  updated?: string;
  suspendedAt?: string | null;
  suspendedBy?: string;
}

export interface GithubFineGrainedPat {
  /** The grant's id (`/orgs/{org}/personal-access-tokens/{id}`). */
  id: number;
  tokenId?: number;
  tokenName?: string;
  owner: string;
  repositorySelection: 'all' | 'subset' | 'none';
  /** Flattened: `{ 'repository:contents': 'write', 'organization:members': 'read', … }`. */
  permissions: Record<string, string>;
  accessGranted?: string;
  expires?: string | null;
  expired?: boolean;
  lastUsed?: string | null;
}

export interface GithubCredentialAuthorization {
  login: string;
  credentialId: number;
  /** personal access token | SSH key | GitHub App token … */
  credentialType: string;
  authorized?: string;
  accessed?: string | null;
  expires?: string | null;
  scopes?: string[];
  title?: string;
}

/** One organisation, user, or the owner of `--repo` targets. */
export interface GithubOrgObservation {
  login: string;
  /** `org` (the organisation's own settings were read) or `user`/`owner` (only the repositories' data). */
  type: 'org' | 'user' | 'owner';
  secrets?: GithubActionsSecret[];
  actions?: GithubActionsSettings;
  installations?: GithubAppInstallation[];
  webhooks?: GithubWebhook[];
  personalAccessTokens?: GithubFineGrainedPat[];
  credentialAuthorizations?: GithubCredentialAuthorization[];
  /** Deploy keys of every repository the run listed for this owner (all shards: the reuse check needs them all). */
  deployKeys?: GithubDeployKey[];
}

/** Where a workflow deploys to an environment. */
export interface WorkflowEnvironmentUse {
  environment: string;
  path: string;
  line: number;
  job?: string;
}

export interface GithubRepoObservation {
  /** `owner/name`. */
  repo: string;
  private?: boolean;
  archived?: boolean;
  fork?: boolean;
  defaultBranch?: string;
  secrets?: GithubActionsSecret[];
  environments?: GithubEnvironment[];
  webhooks?: GithubWebhook[];
  actions?: GithubActionsSettings;
  /** The environments the repository's workflows deploy with (from its default branch). */
  workflowEnvironments?: WorkflowEnvironmentUse[];
}

// ---- Workflows -------------------------------------------------------------------------------

export interface WorkflowValue {
  value: string;
  line: number;
}

export interface WorkflowPermissions {
  line: number;
  /** `write-all`, `read-all`, `{}` or a scope map. */
  all?: 'write-all' | 'read-all' | 'none';
  scopes: Record<string, string>;
}

export interface WorkflowStep {
  line: number;
  name?: string;
  /** `actions/checkout@v4`, `./.github/actions/x`, `docker://…`. */
  uses?: WorkflowValue;
  with: Record<string, WorkflowValue>;
  env: Record<string, WorkflowValue>;
  run?: WorkflowValue;
}

export interface WorkflowJob {
  id: string;
  line: number;
  permissions?: WorkflowPermissions;
  environment?: WorkflowValue;
  env: Record<string, WorkflowValue>;
  /** A reusable workflow call: `org/repo/.github/workflows/x.yml@ref`. */
  uses?: WorkflowValue;
  /** `secrets: inherit` (line) on a reusable workflow call. */
  secretsInherit?: number;
  steps: WorkflowStep[];
}

export interface RoleAssumption {
  roleArn: string;
  line: number;
  job?: string;
}

export interface StaticCloudKey {
  provider: 'aws' | 'gcp' | 'azure';
  /** Names of the secrets passed (`AWS_SECRET_ACCESS_KEY`), or the expression when it names none. */
  secretNames: string[];
  line: number;
  job?: string;
  /** The action or env var that receives them (`aws-actions/configure-aws-credentials`, `env AWS_ACCESS_KEY_ID`). */
  via: string;
}

/** A `${{ … }}` expression that reads secrets, with its line. */
export interface SecretExpression {
  expression: string;
  line: number;
  job?: string;
  /** Inside a `run:` script. */
  inRun: boolean;
  /** Printed by `echo`/`printf` on that line of a script (not into $GITHUB_ENV/$GITHUB_OUTPUT or ::add-mask::). */
  echoed: boolean;
}

export interface WorkflowFile {
  /** Path in its repository (`.github/workflows/ci.yml`), or relative to the scanned directory. */
  path: string;
  /** `owner/name` when read from GitHub. */
  repo?: string;
  /** The repository's default GITHUB_TOKEN permission, when the source knows it. */
  defaultWorkflowPermissions?: 'read' | 'write';
  name?: string;
  /** Set when the file is not a YAML mapping; the other fields are then empty. */
  parseError?: string;
  /** Event names under `on:`. */
  triggers: string[];
  /** Line of `on:`. */
  onLine: number;
  permissions?: WorkflowPermissions;
  env: Record<string, WorkflowValue>;
  jobs: WorkflowJob[];
  /** aws-actions/configure-aws-credentials with role-to-assume. */
  roleAssumptions: RoleAssumption[];
  /** Cloud credentials passed as static secrets (keys, credentials_json, creds). */
  staticCloudKeys: StaticCloudKey[];
  /** Every `${{ … secrets … }}` expression. */
  secretExpressions: SecretExpression[];
}
