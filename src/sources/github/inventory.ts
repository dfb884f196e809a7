import { createHash } from 'node:crypto';
import type {
  GithubActionsSecret,
  GithubActionsSettings,
  GithubAppInstallation,
  GithubCredentialAuthorization,
  GithubDeployKey,
  GithubEnvironment,
  GithubFineGrainedPat,
  GithubWebhook,
} from '../../model/github.js';
import type { IdentityRecord, Privilege } from '../../model/identity.js';

/**
 * GitHub API objects → the model (src/model/github.ts) and inventory records. Nothing secret is
 * kept: secret values are never returned by the API; webhook URLs are cut to their origin (a path
 * or query may carry a token); credential authorizations lose `token_last_eight`.
 */

type Json = Record<string, unknown>;
const s = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const sOrNull = (v: unknown): string | null | undefined => (v === null ? null : s(v));

/** `SHA256:<base64>` of an OpenSSH public key line, as ssh-keygen -l prints it. */
export function sshFingerprint(key: string): string {
  const b64 = key.trim().split(/\s+/)[1] ?? key.trim();
  const digest = createHash('sha256').update(Buffer.from(b64, 'base64')).digest('base64');
  return `SHA256:${digest.replace(/=+$/, '')}`;
}

export function toSecret(j: Json, scope: GithubActionsSecret['scope'], environment?: string): GithubActionsSecret {
  const out: GithubActionsSecret = { name: String(j.name), scope, created: s(j.created_at), updated: s(j.updated_at) };
  const vis = s(j.visibility);
  if (vis === 'all' || vis === 'private' || vis === 'selected') out.visibility = vis;
  if (environment !== undefined) out.environment = environment;
  return out;
}

export function toDeployKey(j: Json, repo: string): GithubDeployKey {
  const k: GithubDeployKey = {
    id: Number(j.id),
    title: s(j.title) ?? '',
    fingerprint: sshFingerprint(String(j.key ?? '')),
    readOnly: j.read_only !== false,
    created: s(j.created_at),
    repo,
  };
  if ('last_used' in j) k.lastUsed = sOrNull(j.last_used) ?? null;
  const by = s(j.added_by);
  if (by) k.addedBy = by;
  return k;
}

function originOf(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}`;
  } catch {
    return undefined;
  }
}

export function toWebhook(j: Json, on: string): GithubWebhook {
  const cfg = (j.config ?? {}) as Json;
  const insecure = cfg.insecure_ssl;
  return {
    id: Number(j.id),
    name: s(j.name),
    active: j.active !== false,
    url: originOf(s(cfg.url)),
    hasSecret: typeof cfg.secret === 'string' && cfg.secret.length > 0,
    insecureSsl: insecure === '1' || insecure === 1 || insecure === true,
    events: Array.isArray(j.events) ? (j.events as string[]) : undefined,
    created: s(j.created_at),
    on,
  };
}

export function toActions(j: Json): GithubActionsSettings {
  const p = s(j.default_workflow_permissions);
  return {
    defaultWorkflowPermissions: p === 'read' || p === 'write' ? p : undefined,
    canApprovePullRequestReviews: typeof j.can_approve_pull_request_reviews === 'boolean' ? j.can_approve_pull_request_reviews : undefined,
  };
}

export function toEnvironment(j: Json): GithubEnvironment {
  const rules = Array.isArray(j.protection_rules) ? (j.protection_rules as Json[]) : [];
  const reviewers = rules.filter((r) => r.type === 'required_reviewers').reduce((n, r) => n + (Array.isArray(r.reviewers) ? r.reviewers.length : 0), 0);
  const wait = rules.find((r) => r.type === 'wait_timer');
  const policy = j.deployment_branch_policy as Json | null | undefined;
  return {
    name: String(j.name),
    requiredReviewers: reviewers,
    branchPolicy: !!policy && (policy.protected_branches === true || policy.custom_branch_policies === true) || rules.some((r) => r.type === 'branch_policy'),
    waitTimer: wait ? Number(wait.wait_timer) : undefined,
    created: s(j.created_at),
    updated: s(j.updated_at),
  };
}

export function toInstallation(j: Json): GithubAppInstallation {
  return {
    id: Number(j.id),
    appSlug: s(j.app_slug) ?? String(j.app_id ?? j.id),
    appId: typeof j.app_id === 'number' ? j.app_id : undefined,
    repositorySelection: j.repository_selection === 'all' ? 'all' : 'selected',
    permissions: (j.permissions ?? {}) as Record<string, string>,
    created: s(j.created_at),
    updated: s(j.updated_at),
    suspendedAt: sOrNull(j.suspended_at) ?? null,
    suspendedBy: s((j.suspended_by as Json | null)?.login),
  };
}

export function toPat(j: Json): GithubFineGrainedPat {
  const perms: Record<string, string> = {};
  const p = (j.permissions ?? {}) as Record<string, Record<string, string>>;
  for (const [group, m] of Object.entries(p)) for (const [k, v] of Object.entries(m ?? {})) perms[`${group}:${k}`] = v;
  const sel = s(j.repository_selection);
  return {
    id: Number(j.id),
    tokenId: typeof j.token_id === 'number' ? j.token_id : undefined,
    tokenName: s(j.token_name),
    owner: s((j.owner as Json | undefined)?.login) ?? 'unknown',
    repositorySelection: sel === 'all' ? 'all' : sel === 'none' ? 'none' : 'subset',
    permissions: perms,
    accessGranted: s(j.access_granted_at),
    expires: sOrNull(j.token_expires_at) ?? null,
    expired: j.token_expired === true,
    lastUsed: sOrNull(j.token_last_used_at) ?? null,
  };
}

export function toCredentialAuthorization(j: Json): GithubCredentialAuthorization {
  return {
    login: s(j.login) ?? 'unknown',
    credentialId: Number(j.credential_id),
    credentialType: s(j.credential_type) ?? 'credential',
    authorized: s(j.credential_authorized_at),
    accessed: sOrNull(j.credential_accessed_at) ?? null,
    expires: sOrNull(j.authorized_credential_expires_at) ?? null,
    scopes: Array.isArray(j.scopes) ? (j.scopes as string[]) : undefined,
    title: s(j.authorized_credential_title),
  };
}

// ---- inventory records -----------------------------------------------------------------------

function privilegeOf(perms: Record<string, string>): Privilege {
  const v = Object.entries(perms);
  if (v.some(([k, x]) => x === 'admin' || (/administration$/.test(k) && x === 'write'))) return 'admin';
  if (v.some(([, x]) => x === 'write')) return 'write';
  return v.length ? 'read' : 'unknown';
}

export function secretRecord(on: string, sec: GithubActionsSecret, scope: string): IdentityRecord {
  const id = sec.scope === 'environment' ? `github:${on}:environment:${sec.environment}:secret:${sec.name}` : `github:${on}:secret:${sec.name}`;
  const r: IdentityRecord = { id, kind: 'github-actions-secret', name: sec.name, provider: 'github', created: sec.created, lastRotated: sec.updated, where: [sec.environment ? `${on} (environment ${sec.environment})` : on], scope, status: 'unknown' };
  if (sec.visibility) r.permissions = [`visibility:${sec.visibility}`];
  return r;
}

export function deployKeyRecord(k: GithubDeployKey, scope: string): IdentityRecord {
  return {
    id: `github:${k.repo}:deploy-key:${k.fingerprint}`,
    kind: 'github-deploy-key',
    name: k.title || `deploy key ${k.id}`,
    provider: 'github',
    owner: k.addedBy,
    created: k.created,
    lastUsed: k.lastUsed ?? undefined,
    status: 'active',
    privilege: k.readOnly ? 'read' : 'write',
    permissions: [k.readOnly ? 'contents:read' : 'contents:write'],
    where: [k.repo],
    keys: [`ssh:${k.fingerprint}`],
    scope,
  };
}

export function installationRecord(org: string, i: GithubAppInstallation): IdentityRecord {
  return {
    id: `github:${org}:app-installation:${i.id}`,
    kind: 'github-app',
    name: i.appSlug,
    provider: 'github',
    created: i.created,
    status: i.suspendedAt ? 'suspended' : 'active',
    privilege: privilegeOf(i.permissions),
    permissions: [...Object.entries(i.permissions).map(([k, v]) => `${k}:${v}`), `${i.repositorySelection} repositories`],
    where: [org],
    scope: org,
  };
}

export function webhookRecord(h: GithubWebhook, scope: string): IdentityRecord {
  return {
    id: `github:${h.on}:webhook:${h.id}`,
    kind: 'github-webhook',
    name: h.url ?? `webhook ${h.id}`,
    provider: 'github',
    created: h.created,
    status: h.active === false ? 'inactive' : 'active',
    permissions: h.events,
    where: [h.on],
    scope,
  };
}

export function patRecord(org: string, t: GithubFineGrainedPat): IdentityRecord {
  const perms = Object.entries(t.permissions).map(([k, v]) => `${k}:${v}`);
  return {
    id: `github:${org}:fine-grained-pat:${t.id}`,
    kind: 'github-token',
    name: t.tokenName ?? `fine-grained token ${t.tokenId ?? t.id}`,
    provider: 'github',
    owner: t.owner,
    created: t.accessGranted,
    lastUsed: t.lastUsed ?? undefined,
    expires: t.expires ?? undefined,
    status: t.expired ? 'expired' : 'active',
    privilege: privilegeOf(t.permissions),
    permissions: [...perms, `${t.repositorySelection} repositories`],
    where: [org],
    scope: org,
  };
}

export function credentialAuthorizationRecord(org: string, c: GithubCredentialAuthorization): IdentityRecord {
  return {
    id: `github:${org}:credential-authorization:${c.credentialId}`,
    kind: 'github-token',
    name: c.title ?? `${c.credentialType} of ${c.login}`,
    provider: 'github',
    owner: c.login,
    created: c.authorized,
    lastUsed: c.accessed ?? undefined,
    expires: c.expires ?? undefined,
    status: 'active',
    permissions: c.scopes,
    where: [org],
    scope: org,
  };
}

export function environmentRecord(repo: string, e: GithubEnvironment, scope: string): IdentityRecord {
  return {
    id: `github:${repo}:environment:${e.name}`,
    kind: 'github-environment',
    name: e.name,
    provider: 'github',
    created: e.created,
    status: 'active',
    permissions: [`reviewers:${e.requiredReviewers}`, `branch-policy:${e.branchPolicy ? 'yes' : 'no'}`, ...(e.secrets ?? []).map((x) => `secret:${x.name}`)],
    where: [repo],
    scope,
  };
}
