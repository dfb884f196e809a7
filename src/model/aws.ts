import { identifierFingerprint } from './fingerprint.js';
/**
 * The AWS IAM inventory every check in src/checks/aws/ reads. Plain JSON (dates are ISO 8601
 * strings), so the same shape comes from the live API, from exported files, and from the examples
 * in rules/checks/aws-*.yaml. A part that could not be fetched is absent (undefined), never empty:
 * checks that need it are skipped and reported as a coverage gap.
 */

/** An IAM policy document as AWS stores it (Statement may be one object or a list). */
export interface PolicyDocument {
  Version?: string;
  Id?: string;
  Statement?: unknown;
}

export interface InlinePolicy {
  name: string;
  document?: PolicyDocument;
}

export interface AttachedPolicy {
  name: string;
  arn: string;
}

export interface AwsUser {
  name: string;
  arn: string;
  id?: string;
  path?: string;
  created?: string;
  inlinePolicies?: InlinePolicy[];
  managedPolicies?: AttachedPolicy[];
  /** Names of the groups the user belongs to. */
  groups?: string[];
  /** ARN of the permissions boundary policy, when one is set. */
  permissionsBoundary?: string;
  tags?: Record<string, string>;
}

export interface AwsRole {
  name: string;
  arn: string;
  id?: string;
  path?: string;
  created?: string;
  trustPolicy?: PolicyDocument;
  inlinePolicies?: InlinePolicy[];
  managedPolicies?: AttachedPolicy[];
  permissionsBoundary?: string;
  /** When the role was last assumed (absent: never, or not within IAM's tracking period). */
  lastUsed?: string;
  lastUsedRegion?: string;
  instanceProfiles?: string[];
  tags?: Record<string, string>;
}

export interface AwsGroup {
  name: string;
  arn: string;
  inlinePolicies?: InlinePolicy[];
  managedPolicies?: AttachedPolicy[];
}

export interface AwsManagedPolicy {
  name: string;
  arn: string;
  /** The default version's document. */
  document?: PolicyDocument;
  attachmentCount?: number;
}

/** What `GetAccountAuthorizationDetails` returns: principals, their policies and trust policies. */
export interface AwsAuthorization {
  users: AwsUser[];
  roles: AwsRole[];
  groups: AwsGroup[];
  policies: AwsManagedPolicy[];
}

/** One access key slot of a credential report row (plus its id when keys were listed). */
export interface AwsKeyState {
  /** 1 or 2: the credential report's column pair; absent for a key only the key listing knows. */
  slot?: 1 | 2;
  active: boolean;
  /** Creation (or last rotation) time of the key. */
  lastRotated?: string;
  lastUsed?: string;
  lastUsedRegion?: string;
  lastUsedService?: string;
  /** The access key id, only when the keys were listed (--key-ids or --access-keys). */
  id?: string;
}

/** One row of the credential report (the root account's row has `root: true`). */
export interface AwsCredential {
  user: string;
  arn: string;
  root?: boolean;
  created?: string;
  /** undefined when the report does not say (root: not_supported). */
  passwordEnabled?: boolean;
  passwordLastUsed?: string;
  passwordLastChanged?: string;
  mfaActive?: boolean;
  keys?: AwsKeyState[];
}

/** An access key with its id, from ListAccessKeys or an `aws iam list-access-keys` export. */
export interface AwsAccessKey {
  id: string;
  userName: string;
  userArn?: string;
  status: 'Active' | 'Inactive';
  created?: string;
}

/**
 * An AWS access key id that a code scan found (from its JSON report): only the id's fingerprint
 * and its redacted form travel, never the value, so the match against IAM needs no secret.
 */
export interface LeakedKeyId {
  /** identifierFingerprint(access key id), as in the finding's secret.identifierFingerprint. */
  fingerprint: string;
  redacted: string;
  /** The code finding's id and rule, and up to a few places it was seen (path:line@commit). */
  findingId: string;
  ruleId: string;
  places: string[];
  /** How many places the code report lists in all. */
  occurrences: number;
}

export interface AwsInventory {
  accountId?: string;
  /** aws, aws-cn, aws-us-gov … (from the ARNs). */
  partition?: string;
  authorization?: AwsAuthorization;
  credentials?: AwsCredential[];
  credentialReportGenerated?: string;
  /** ARNs of the account's IAM OIDC identity providers. */
  oidcProviders?: string[];
  accessKeys?: AwsAccessKey[];
  /** Key ids leaked in code, from `aws --leaked-from REPORT` (matched against accessKeys). */
  leakedKeyIds?: LeakedKeyId[];
}

/** The parts of an inventory a check may need. */
export type AwsDataKind = 'authorization-details' | 'credential-report' | 'leaked-key-ids';

export function hasData(inv: AwsInventory, kind: AwsDataKind): boolean {
  if (kind === 'leaked-key-ids') return inv.leakedKeyIds !== undefined;
  return kind === 'authorization-details' ? inv.authorization !== undefined : inv.credentials !== undefined;
}

/** Fill accountId and partition from the inventory's ARNs when no API said them. */
export function inferAccount(inv: AwsInventory): void {
  if (inv.accountId) return;
  const arn = inv.authorization?.users[0]?.arn ?? inv.authorization?.roles[0]?.arn ?? inv.credentials?.find((c) => c.root)?.arn ?? inv.credentials?.[0]?.arn;
  const m = arn ? /^arn:([^:]+):[^:]*:[^:]*:(\d{12}):/.exec(arn) : null;
  if (m) {
    inv.partition ??= m[1];
    inv.accountId = m[2];
  }
}

export interface KnownAccessKey {
  accessKeyId: string;
  status: 'Active' | 'Inactive';
  ownerArn?: string;
  userName: string;
  created?: string;
  lastUsed?: string;
}

/**
 * Access keys present in the inventory, keyed by `identifierFingerprint(accessKeyId)` — the same value
 * secret findings carry in `secret.identifierFingerprint` — so a key id leaked in code can be
 * recognised as a live (or deactivated) IAM key without handling the secret itself.
 */
export function accessKeysByFingerprint(inv: AwsInventory): Map<string, KnownAccessKey> {
  const out = new Map<string, KnownAccessKey>();
  const cred = new Map((inv.credentials ?? []).map((c) => [c.user, c]));
  const userArn = new Map((inv.authorization?.users ?? []).map((u) => [u.name, u.arn]));
  for (const k of inv.accessKeys ?? []) {
    const c = cred.get(k.userName);
    const state = c?.keys?.find((s) => s.id === k.id);
    const e: KnownAccessKey = { accessKeyId: k.id, status: k.status, userName: k.userName };
    const owner = k.userArn ?? c?.arn ?? userArn.get(k.userName);
    if (owner) e.ownerArn = owner;
    if (k.created) e.created = k.created;
    if (state?.lastUsed) e.lastUsed = state.lastUsed;
    out.set(identifierFingerprint(k.id), e);
  }
  return out;
}
