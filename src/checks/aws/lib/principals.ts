import type { AttachedPolicy, AwsAuthorization, AwsGroup, AwsInventory, AwsRole, AwsUser, InlinePolicy } from '../../../model/aws.js';
import { Permissions, type PolicySource, type PolicyVariables } from './policy.js';
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
  /** The groups a user belongs to (name and ARN); empty for roles. */
  groups: Array<{ name: string; arn: string }>;
  /** ARNs of the managed policies that reach the principal, directly or through its groups. */
  attachedPolicies: string[];
  /** Policy variables its own requests carry (`aws:username` for a user). */
  variables: PolicyVariables;
}

/** An IAM group with the effective permissions of its own policies. */
export interface GroupPermissions {
  name: string;
  arn: string;
  permissions: Permissions;
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

  constructor(
    private readonly auth: AwsAuthorization,
    private readonly now?: Date,
  ) {
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
    const memberOf = (u.groups ?? []).flatMap((n) => (groups.has(n) ? [{ name: n, arn: groups.get(n)!.arn }] : []));
    return this.make('user', u, sources, missing, memberOf, { 'aws:username': u.name });
  }

  role(r: AwsRole): Principal {
    const missing: string[] = [];
    const sources = [...this.inline(r.inlinePolicies), ...this.attached(r.managedPolicies, missing)];
    return this.make('role', r, sources, missing, [], {});
  }

  private make(kind: PrincipalKind, x: AwsUser | AwsRole, sources: PolicySource[], missing: string[], groups: Principal['groups'], variables: PolicyVariables): Principal {
    const p: Principal = {
      kind,
      name: x.name,
      arn: x.arn,
      permissions: new Permissions(sources, this.boundary(x.permissionsBoundary, missing), this.now),
      unresolved: missing,
      groups,
      attachedPolicies: attachedArns(sources),
      variables: { ...variables, ...accountVar(x.arn) },
    };
    if (x.permissionsBoundary) p.boundary = x.permissionsBoundary;
    return p;
  }

  group(g: AwsGroup): GroupPermissions {
    return { name: g.name, arn: g.arn, permissions: new Permissions([...this.inline(g.inlinePolicies), ...this.attached(g.managedPolicies, [])], undefined, this.now) };
  }
}

function attachedArns(sources: PolicySource[]): string[] {
  return [...new Set(sources.flatMap((s) => (s.kind === 'managed' && s.arn ? [s.arn] : [])))];
}

function accountVar(arn: string): PolicyVariables {
  const account = /^arn:[^:]+:iam::(\d{12}):/.exec(arn)?.[1];
  return account ? { 'aws:principalaccount': account } : {};
}

interface Resolved {
  now: number | undefined;
  principals: Principal[];
  groups: GroupPermissions[];
}

const cache = new WeakMap<AwsAuthorization, Resolved>();

function resolve(auth: AwsAuthorization, now?: Date): Resolved {
  const hit = cache.get(auth);
  if (hit && hit.now === now?.getTime()) return hit;
  const r = new Resolver({ users: auth.users ?? [], roles: auth.roles ?? [], groups: auth.groups ?? [], policies: auth.policies ?? [] }, now);
  const out: Resolved = {
    now: now?.getTime(),
    principals: [...(auth.users ?? []).map((u) => r.user(u)), ...(auth.roles ?? []).filter((x) => !isAwsManagedRole(x)).map((x) => r.role(x))],
    groups: (auth.groups ?? []).map((g) => r.group(g)),
  };
  cache.set(auth, out);
  return out;
}

/**
 * Users and customer roles of the inventory with their effective identity permissions. `now` (the
 * check context's clock) decides which time conditions have expired.
 */
export function principalsOf(inv: AwsInventory, now?: Date): Principal[] {
  return inv.authorization ? resolve(inv.authorization, now).principals : [];
}

/** The account's groups with the permissions of their own policies (who joins one gets them). */
export function groupsOf(inv: AwsInventory, now?: Date): GroupPermissions[] {
  return inv.authorization ? resolve(inv.authorization, now).groups : [];
}

export function describePrincipal(p: Pick<Principal, 'kind' | 'name'>): string {
  return `IAM ${p.kind} ${p.name}`;
}
