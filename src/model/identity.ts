/**
 * A non-human identity or credential as any source sees it: an AWS user, role or access key, a
 * GitHub deploy key, app, Actions secret, webhook or token, an MCP server, a credential leaked in
 * code. One record per identity per source; the pipeline merges records with the same `id`
 * (several sources seeing one identity) and joins findings to them.
 */

export type IdentityKind =
  | 'aws-user'
  | 'aws-role'
  | 'aws-access-key'
  | 'aws-root'
  | 'github-deploy-key'
  | 'github-app'
  | 'github-actions-secret'
  | 'github-webhook'
  | 'github-token'
  | 'github-environment'
  | 'mcp-server'
  | 'leaked-credential';

export type IdentityStatus = 'active' | 'inactive' | 'suspended' | 'expired' | 'unknown';

/** How much the identity can do, coarsely: what scoring and the inventory need. */
export type Privilege = 'admin' | 'escalation' | 'write' | 'read' | 'unknown';

export interface IdentityRecord {
  /**
   * Stable key: an ARN; `aws-access-key:<sha256 of the key id>`; `github:org/repo:deploy-key:<fp>`;
   * an MCP server URL; `secret:<fingerprint>` for a leaked credential. Never a secret value.
   */
  id: string;
  kind: IdentityKind;
  /** What a person calls it (user name, key name, server name, redacted token). Never a secret value. */
  name: string;
  /** aws | github | mcp | code */
  provider: string;
  /** IAM tag, git author of the introducing commit, app installer … */
  owner?: string;
  created?: string;
  lastUsed?: string;
  lastRotated?: string;
  expires?: string;
  status?: IdentityStatus;
  privilege?: Privilege;
  /** Short permission facts: `AdministratorAccess`, `iam:PassRole`, `contents:write`, `all repositories`. */
  permissions?: string[];
  /** Where the identity or its credential lives: ARN, repository, config file path, URL. */
  where?: string[];
  /** Join keys other than `id`: secret fingerprints, identifier fingerprints (an access key id), ARNs. */
  keys?: string[];
  /** The account, organisation or host it belongs to. */
  scope?: string;
}

/** A row of the report's inventory: a record plus what the run found about it. */
export interface InventoryRow extends IdentityRecord {
  /** Whole days since `created`, at the run's clock. */
  ageDays?: number;
  /** Ids of the findings about this identity. */
  findings: string[];
  /** The highest score among them (0 with none). */
  highestScore: number;
  /** Index into Report.targets of the targets that saw it. */
  targets: number[];
}
