import type { Grant } from './policy.js';
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
  let v: AdminVerdict | undefined;
  const all = p.permissions.allowsEverything();
  if (all) v = { kind: 'full', grants: [all] };
  else {
    const grants = IAM_ADMIN_PROBES.map((a) => p.permissions.allows(a, 'broad'));
    if (grants.every((g) => g !== undefined)) v = { kind: 'iam', grants: dedupe(grants as Grant[]) };
  }
  cache.set(p, v ?? null);
  return v;
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
