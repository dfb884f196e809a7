import type { Grant, Permissions } from './policy.js';
import type { Principal } from './principals.js';

/**
 * IAM write actions that together amount to full control of IAM: whoever holds all of them on
 * every resource can grant themselves anything, so they are administrators in effect (`iam:*`).
 */
export const IAM_ADMIN_PROBES = [
  'iam:CreateUser',
  'iam:CreateAccessKey',
  'iam:AttachUserPolicy',
  'iam:AttachRolePolicy',
  'iam:PutUserPolicy',
  'iam:PutRolePolicy',
  'iam:CreatePolicyVersion',
  'iam:UpdateAssumeRolePolicy',
  'iam:PassRole',
];

export interface AdminVerdict {
  /** `full`: every action on every resource; `iam`: full control of IAM (admin by escalation). */
  kind: 'full' | 'iam';
  grants: Grant[];
}

const cache = new WeakMap<Principal, AdminVerdict | null>();

/** Whether the principal is an administrator in effect, with the statements that make it one. */
export function adminVerdict(p: Principal): AdminVerdict | undefined {
  const hit = cache.get(p);
  if (hit !== undefined) return hit ?? undefined;
  const v = adminOf(p.permissions);
  cache.set(p, v ?? null);
  return v;
}

/** Whether a set of permissions (a principal's, a group's) amounts to administrator access. */
export function adminOf(perms: Permissions): AdminVerdict | undefined {
  const all = perms.allowsEverything();
  if (all) return { kind: 'full', grants: [all] };
  const grants = IAM_ADMIN_PROBES.map((a) => perms.allows(a, 'broad'));
  return grants.every((g) => g !== undefined) ? { kind: 'iam', grants: dedupe(grants as Grant[]) } : undefined;
}

/** One entry per (policy, statement). */
export function dedupe(grants: Grant[]): Grant[] {
  const seen = new Set<string>();
  return grants.filter((g) => {
    const k = `${g.source.via ?? ''}\0${g.source.arn ?? g.source.name}\0${g.statement.index}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
