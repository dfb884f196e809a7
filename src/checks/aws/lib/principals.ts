import type { AttachedPolicy, AwsAuthorization, AwsInventory, AwsRole, AwsUser, InlinePolicy } from '../../../model/aws.js';
import { Permissions, type PolicySource } from './policy.js';
import { knownAwsManagedDocument } from './aws-managed.js';

/**
 * Principals and the policies that reach them, shared by the permission checks. Results are
 * cached per inventory object so several checks over one scan resolve policies once.
 */

export type PrincipalKind = 'user' | 'role';

export interface Principal {
  kind: PrincipalKind;
  name: string;
  arn: string;
  permissions: Permissions;
  /** Managed policies attached but whose document is not in the data (evaluated as unknown). */
  unresolved: string[];
  boundary?: string;
}

/**
 * Roles AWS owns (service-linked) or that IAM Identity Center manages for people: their policies
 * are not the account owner's to fix, and SSO roles are human access, not machine identities.
 */
export function isAwsManagedRole(r: Pick<AwsRole, 'path' | 'arn'>): boolean {
  const path = r.path ?? /:role(\/.*\/)[^/]+$/.exec(r.arn)?.[1] ?? '/';
  return path.startsWith('/aws-service-role/') || path.startsWith('/aws-reserved/');
}

class Resolver {
  private readonly managed: Map<string, AwsAuthorization['policies'][number]>;
  readonly unresolved = new Set<string>();

  constructor(private readonly auth: AwsAuthorization) {
    this.managed = new Map(auth.policies.map((p) => [p.arn, p]));
  }

  inline(list: InlinePolicy[] | undefined, via?: string): PolicySource[] {
    return (list ?? []).map((p) => ({ kind: 'inline', name: p.name, document: p.document, ...(via ? { via } : {}) }));
  }

  attached(list: AttachedPolicy[] | undefined, missing: string[], via?: string): PolicySource[] {
    return (list ?? []).map((a) => {
      const document = this.managed.get(a.arn)?.document ?? knownAwsManagedDocument(a.arn);
      if (!document) missing.push(a.arn);
      return { kind: 'managed', name: a.name, arn: a.arn, document, ...(via ? { via } : {}) };
    });
  }

  boundary(arn: string | undefined, missing: string[]): PolicySource | undefined {
    if (!arn) return undefined;
    const document = this.managed.get(arn)?.document ?? knownAwsManagedDocument(arn);
    if (!document) missing.push(arn);
    return { kind: 'managed', name: arn.split('/').pop()!, arn, document };
  }

  user(u: AwsUser): Principal {
    const missing: string[] = [];
    const groups = new Map(this.auth.groups.map((g) => [g.name, g]));
    const sources = [...this.inline(u.inlinePolicies), ...this.attached(u.managedPolicies, missing)];
    for (const gname of u.groups ?? []) {
      const g = groups.get(gname);
      if (g) sources.push(...this.inline(g.inlinePolicies, gname), ...this.attached(g.managedPolicies, missing, gname));
    }
    const p: Principal = { kind: 'user', name: u.name, arn: u.arn, permissions: new Permissions(sources, this.boundary(u.permissionsBoundary, missing)), unresolved: missing };
    if (u.permissionsBoundary) p.boundary = u.permissionsBoundary;
    return p;
  }

  role(r: AwsRole): Principal {
    const missing: string[] = [];
    const sources = [...this.inline(r.inlinePolicies), ...this.attached(r.managedPolicies, missing)];
    const p: Principal = { kind: 'role', name: r.name, arn: r.arn, permissions: new Permissions(sources, this.boundary(r.permissionsBoundary, missing)), unresolved: missing };
    if (r.permissionsBoundary) p.boundary = r.permissionsBoundary;
    return p;
  }
}

const cache = new WeakMap<AwsAuthorization, Principal[]>();

/** Users and customer roles of the inventory with their effective identity permissions. */
export function principalsOf(inv: AwsInventory): Principal[] {
  const auth = inv.authorization;
  if (!auth) return [];
  let out = cache.get(auth);
  if (!out) {
    const r = new Resolver({ users: auth.users ?? [], roles: auth.roles ?? [], groups: auth.groups ?? [], policies: auth.policies ?? [] });
    out = [...(auth.users ?? []).map((u) => r.user(u)), ...(auth.roles ?? []).filter((x) => !isAwsManagedRole(x)).map((x) => r.role(x))];
    cache.set(auth, out);
  }
  return out;
}

export function describePrincipal(p: Pick<Principal, 'kind' | 'name'>): string {
  return `IAM ${p.kind} ${p.name}`;
}
