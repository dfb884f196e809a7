import { join } from 'node:path';
import { parseRulesYaml } from '../../../rules/yaml-cache.js';
import type { AwsInventory } from '../../../model/aws.js';
import { RULES_DIR } from '../../../util/paths.js';
import type { Grant, Permissions } from './policy.js';
import { adminOf, dedupe } from './admin.js';
import { groupsOf, type Principal } from './principals.js';

/**
 * Known IAM privilege-escalation methods — data in rules/checks/aws-privilege-escalation.yaml
 * (`methods:`), each with the published catalogues it comes from. A method is either a set of
 * actions held on every resource of their kind (`every`) plus actions one resource of which is
 * enough (`one`), or a set of actions on one of the principal's own resources (`on`): a policy
 * attached to it, its own user or role, a group it is in, an administrators' group.
 */

export type OwnResource = 'own-user' | 'own-role' | 'own-group' | 'attached-policy' | 'boundary-policy' | 'admin-group';
const OWN: OwnResource[] = ['own-user', 'own-role', 'own-group', 'attached-policy', 'boundary-policy', 'admin-group'];

export interface EscalationMethod {
  id: string;
  title: string;
  /** Actions that must reach every resource of their kind. */
  every: string[];
  /** Actions for which one resource is enough. */
  one: string[];
  /** For a method on the principal's own resources: which ones, and the actions it needs there. */
  on?: OwnResource;
  actions: string[];
  /** Only for a principal that has a permissions boundary. */
  boundary?: boolean;
  sources: string[];
}

const FILE = join(RULES_DIR, 'checks', 'aws-privilege-escalation.yaml');

function list(v: unknown, where: string): string[] {
  if (v === undefined) return [];
  if (!Array.isArray(v) || !v.every((x) => typeof x === 'string' && x.length > 0)) throw new Error(`${FILE}: ${where} must be a list of strings`);
  return v as string[];
}

/** Parse and validate the `methods:` list (a malformed entry names itself and stops the run). */
export function parseMethods(doc: unknown): EscalationMethod[] {
  const raw = (doc as { methods?: unknown } | undefined)?.methods;
  if (!Array.isArray(raw) || raw.length === 0) throw new Error(`${FILE}: methods must be a non-empty list`);
  const seen = new Set<string>();
  return raw.map((r: Record<string, unknown>, i) => {
    const id = typeof r?.id === 'string' ? r.id : '';
    const where = `methods[${i}] (${id || 'no id'})`;
    if (!/^[a-z0-9-]+$/.test(id) || seen.has(id)) throw new Error(`${FILE}: ${where}: id must be unique kebab-case`);
    seen.add(id);
    if (typeof r.title !== 'string' || !r.title) throw new Error(`${FILE}: ${where}: title is required`);
    const m: EscalationMethod = { id, title: r.title, every: list(r.every, `${where} every`), one: list(r.one, `${where} one`), actions: list(r.actions, `${where} actions`), sources: list(r.sources, `${where} sources`) };
    if (!m.sources.length) throw new Error(`${FILE}: ${where}: sources are required`);
    if (r.on !== undefined) {
      if (!OWN.includes(r.on as OwnResource)) throw new Error(`${FILE}: ${where}: on must be one of ${OWN.join(', ')}`);
      if (!m.actions.length || m.every.length || m.one.length) throw new Error(`${FILE}: ${where}: a method on own resources lists actions (not every/one)`);
      m.on = r.on as OwnResource;
      if (r.boundary === true) m.boundary = true;
    } else if (!m.every.length || m.actions.length) throw new Error(`${FILE}: ${where}: every is required (actions only with on)`);
    return m;
  });
}

let loaded: EscalationMethod[] | undefined;

/** The methods of rules/checks/aws-privilege-escalation.yaml, read once. */
export function escalationMethods(): EscalationMethod[] {
  loaded ??= parseMethods(parseRulesYaml(FILE));
  return loaded;
}

export interface EscalationHit {
  method: EscalationMethod;
  grants: Grant[];
  /** For a method on its own resources: the resources (ARNs) it can act on. */
  resources?: string[];
}

const adminCache = new WeakMap<Permissions, boolean>();

function isAdminGroup(perms: Permissions): boolean {
  let v = adminCache.get(perms);
  if (v === undefined) adminCache.set(perms, (v = adminOf(perms) !== undefined));
  return v;
}

/** Customer-managed (not `arn:aws:iam::aws:policy/…`, which nobody can edit). */
const customerManaged = (arn: string): boolean => !/^arn:[^:]+:iam::aws:policy\//.test(arn);

/** The principal's own resources a method acts on. */
function ownResources(p: Principal, on: OwnResource, inv: AwsInventory, now: Date | undefined): string[] {
  switch (on) {
    case 'own-user':
      return p.kind === 'user' ? [p.arn] : [];
    case 'own-role':
      return p.kind === 'role' ? [p.arn] : [];
    case 'own-group':
      return p.groups.map((g) => g.arn);
    case 'attached-policy':
      return p.attachedPolicies.filter(customerManaged);
    case 'boundary-policy':
      return p.boundary && customerManaged(p.boundary) ? [p.boundary] : [];
    case 'admin-group': {
      if (p.kind !== 'user') return [];
      const mine = new Set(p.groups.map((g) => g.arn));
      return groupsOf(inv, now)
        .filter((g) => !mine.has(g.arn) && isAdminGroup(g.permissions))
        .map((g) => g.arn);
    }
  }
}

/** Every escalation method the principal's permissions complete. */
export function escalationPaths(p: Principal, inv: AwsInventory = {}, now?: Date): EscalationHit[] {
  const out: EscalationHit[] = [];
  const broad = new Set<string>();
  for (const m of escalationMethods()) {
    if (m.on) continue;
    const grants = [...m.every.map((a) => p.permissions.allows(a, 'broad')), ...m.one.map((a) => p.permissions.allows(a, 'any'))];
    if (!grants.every((g) => g !== undefined)) continue;
    out.push({ method: m, grants: dedupe(grants as Grant[]) });
    for (const a of m.every) if (!m.one.length) broad.add(a.toLowerCase());
  }
  for (const m of escalationMethods()) {
    if (!m.on || (m.boundary && !p.boundary)) continue;
    // Already reported on every resource of its kind: the own-resource case adds nothing.
    if (m.actions.every((a) => broad.has(a.toLowerCase()))) continue;
    const resources: string[] = [];
    const grants: Grant[] = [];
    for (const arn of ownResources(p, m.on, inv, now)) {
      const gs = m.actions.map((a) => p.permissions.allowsOn(a, arn, p.variables));
      if (!gs.every((g) => g !== undefined)) continue;
      resources.push(arn);
      grants.push(...(gs as Grant[]));
    }
    if (resources.length) out.push({ method: m, grants: dedupe(grants), resources });
  }
  return out;
}
