import type { PolicyDocument } from '../../../model/aws.js';
import { neverTrue } from './conditions.js';
import { globRegExp } from './glob.js';

/**
 * A small IAM policy evaluator, enough to answer "can this principal do X on (nearly) every
 * resource?" across several policies: Allow and Deny, Action/NotAction, Resource/NotResource,
 * wildcards, conditions and permission boundaries. It is deliberately conservative in the
 * direction a security audit needs: when it cannot be sure a Deny applies (a condition, a partial
 * resource list) the Deny does not cancel a grant, and an Allow with NotResource counts as broad.
 * What it cannot see (SCPs, resource policies, session policies) is documented, not guessed.
 * A statement whose condition can never be true (conditions.ts) grants and denies nothing.
 */

export type PrincipalSpec = '*' | Record<string, string[]>;

export interface Condition {
  /** The operator as written, e.g. `ForAllValues:StringLike`. */
  operator: string;
  /** Without set prefix and IfExists suffix, lower-case: `stringlike`. */
  base: string;
  set?: 'forallvalues' | 'foranyvalue';
  ifExists: boolean;
  /** Condition key, lower-case (IAM keys are case-insensitive). */
  key: string;
  /** The key as written. */
  keyAsWritten: string;
  values: string[];
}

export interface Statement {
  /** Position in the document's Statement list (a stable discriminator for findings). */
  index: number;
  sid?: string;
  effect: 'Allow' | 'Deny';
  actions?: string[];
  notActions?: string[];
  resources?: string[];
  notResources?: string[];
  principal?: PrincipalSpec;
  notPrincipal?: PrincipalSpec;
  conditions: Condition[];
  /** Why the statement's condition can never be true: such a statement has no effect. */
  never?: string;
}

function strings(v: unknown): string[] | undefined {
  if (typeof v === 'string') return [v];
  if (Array.isArray(v)) return v.map((x) => String(x));
  return undefined;
}

function principal(v: unknown): PrincipalSpec | undefined {
  if (v === undefined || v === null) return undefined;
  if (v === '*') return '*';
  if (typeof v !== 'object' || Array.isArray(v)) return undefined;
  const out: Record<string, string[]> = {};
  for (const [k, val] of Object.entries(v as Record<string, unknown>)) out[k] = strings(val) ?? [];
  return out;
}

function conditions(v: unknown): Condition[] {
  if (!v || typeof v !== 'object') return [];
  const out: Condition[] = [];
  for (const [operator, block] of Object.entries(v as Record<string, unknown>)) {
    if (!block || typeof block !== 'object') continue;
    let base = operator.toLowerCase();
    let set: Condition['set'];
    const m = /^(forallvalues|foranyvalue):(.*)$/.exec(base);
    if (m) {
      set = m[1] as Condition['set'];
      base = m[2];
    }
    const ifExists = base.endsWith('ifexists');
    if (ifExists) base = base.slice(0, -'ifexists'.length);
    for (const [key, val] of Object.entries(block as Record<string, unknown>)) {
      const c: Condition = { operator, base, ifExists, key: key.toLowerCase(), keyAsWritten: key, values: strings(val) ?? (val === undefined ? [] : [String(val)]) };
      if (set) c.set = set;
      out.push(c);
    }
  }
  return out;
}

/**
 * The statements of a document, normalized. Malformed statements are skipped. `now` is the audit's
 * clock, used to tell a condition that has expired (see neverTrue).
 */
export function statements(doc: PolicyDocument | undefined, now?: Date): Statement[] {
  if (!doc) return [];
  const raw = Array.isArray(doc.Statement) ? doc.Statement : doc.Statement ? [doc.Statement] : [];
  const out: Statement[] = [];
  raw.forEach((s: unknown, index: number) => {
    if (!s || typeof s !== 'object') return;
    const r = s as Record<string, unknown>;
    const effect = r.Effect === 'Allow' || r.Effect === 'Deny' ? r.Effect : undefined;
    if (!effect) return;
    const st: Statement = { index, effect, conditions: conditions(r.Condition) };
    if (typeof r.Sid === 'string' && r.Sid) st.sid = r.Sid;
    const set = <K extends keyof Statement>(k: K, v: Statement[K] | undefined): void => {
      if (v !== undefined) st[k] = v;
    };
    set('actions', strings(r.Action));
    set('notActions', strings(r.NotAction));
    set('resources', strings(r.Resource));
    set('notResources', strings(r.NotResource));
    set('principal', principal(r.Principal));
    set('notPrincipal', principal(r.NotPrincipal));
    set('never', neverTrue(st.conditions, now));
    out.push(st);
  });
  return out;
}

/** IAM wildcard match (`*` any run, `?` one character), case-insensitive. */
export function wildcardMatch(pattern: string, value: string): boolean {
  return globRegExp(pattern).test(value);
}

export function isWildcardOnly(s: string): boolean {
  return /^[*?]+$/.test(s) || s === '*:*';
}

/** Does the statement's Action (or NotAction) cover `action` (e.g. `iam:PassRole`)? */
export function matchesAction(st: Statement, action: string): boolean {
  if (st.actions) return st.actions.some((p) => wildcardMatch(p, action));
  if (st.notActions) return !st.notActions.some((p) => wildcardMatch(p, action));
  return false;
}

/** Does the statement name every action (`*`, `*:*`)? NotAction never does. */
export function namesAllActions(st: Statement): boolean {
  return st.actions?.some(isWildcardOnly) === true;
}

interface ArnParts {
  service: string;
  resource: string;
}

function arnParts(p: string): ArnParts | undefined {
  const parts = p.split(':');
  if (parts[0].toLowerCase() !== 'arn' || parts.length < 6) return undefined;
  return { service: parts[2], resource: parts.slice(5).join(':') };
}

/** `*`, or an ARN for `service` whose resource part is a bare wildcard (optionally after a type: `role/*`). */
function broadPattern(p: string, service: string): boolean {
  if (isWildcardOnly(p) || p === 'arn:*') return true;
  const a = arnParts(p);
  if (!a || !wildcardMatch(a.service || '*', service)) return false;
  return isWildcardOnly(a.resource) || /^[A-Za-z0-9_-]+[/:]\*$/.test(a.resource);
}

/** `*`, or an ARN whose service and resource are both wildcards. */
function allPattern(p: string): boolean {
  if (isWildcardOnly(p) || p === 'arn:*') return true;
  const a = arnParts(p);
  return a !== undefined && isWildcardOnly(a.service) && isWildcardOnly(a.resource);
}

export type ResourceScope = 'all' | 'broad' | 'any';

/**
 * Does an Allow statement reach the resources `scope` asks about? `all`: every resource of every
 * service; `broad`: every resource of `service`'s kind; `any`: at least one resource. Allow with
 * NotResource is taken as broad (it grants all but a few named resources).
 */
export function allowReaches(st: Statement, scope: ResourceScope, service: string): boolean {
  if (st.notResources) return true;
  const rs = st.resources ?? [];
  if (scope === 'any') return rs.length > 0;
  if (scope === 'all') return rs.some(allPattern);
  return rs.some((p) => broadPattern(p, service));
}

/**
 * Does a Deny statement certainly cover every resource of `service`? Resource `*` (or the
 * service's ARN wildcard) does; NotResource does only when none of its exceptions could be a
 * resource of that service.
 */
export function denyCovers(st: Statement, service: string): boolean {
  if (st.resources) {
    return st.resources.some((p) => {
      if (isWildcardOnly(p) || p === 'arn:*') return true;
      const a = arnParts(p);
      return a !== undefined && wildcardMatch(a.service || '*', service) && isWildcardOnly(a.resource);
    });
  }
  if (st.notResources) {
    return st.notResources.every((p) => {
      const a = arnParts(p);
      return a !== undefined && !isWildcardOnly(a.service) && !wildcardMatch(a.service, service);
    });
  }
  return false;
}

export function serviceOf(action: string): string {
  const i = action.indexOf(':');
  return i < 0 ? action.toLowerCase() : action.slice(0, i).toLowerCase();
}

/** Where a statement came from: which policy, attached how. */
export interface PolicySource {
  kind: 'inline' | 'managed';
  name: string;
  arn?: string;
  /** The group the policy reaches the principal through. */
  via?: string;
  /** Undefined when the managed policy's document was not in the data. */
  document?: PolicyDocument;
}

export interface Grant {
  source: PolicySource;
  statement: Statement;
}

export function describeSource(s: PolicySource): string {
  const what = s.kind === 'inline' ? `inline policy ${s.name}` : `managed policy ${s.name}`;
  return s.via ? `group ${s.via} → ${what}` : what;
}

/** A grant as evidence: the policy and the statement, never more than a reader needs. */
export function grantEvidence(g: Grant): Record<string, unknown> {
  const e: Record<string, unknown> = { policy: describeSource(g.source), statement: g.statement.index };
  if (g.source.arn) e.policyArn = g.source.arn;
  if (g.statement.sid) e.sid = g.statement.sid;
  if (g.statement.actions) e.action = g.statement.actions;
  if (g.statement.notActions) e.notAction = g.statement.notActions;
  if (g.statement.resources) e.resource = g.statement.resources;
  if (g.statement.notResources) e.notResource = g.statement.notResources;
  if (g.statement.conditions.length) e.conditional = true;
  return e;
}

/**
 * Policy variables a principal's own requests resolve (`${aws:username}` for a user); matching is
 * case-insensitive on the variable name as IAM's is.
 */
export type PolicyVariables = Record<string, string>;

/**
 * A Resource pattern resolved for one principal: known variables substituted, the escapes `${*}`,
 * `${?}`, `${$}` kept literal (marked with NUL). An unknown variable (`${aws:PrincipalTag/x}`)
 * either matches anything (`lean` true) or makes the pattern match nothing (undefined).
 */
function resolvePattern(p: string, vars: PolicyVariables, lean: boolean): string | undefined {
  let unknown = false;
  const out = p.replace(/\$\{([^}]*)\}/g, (_, name: string) => {
    if (name === '*' || name === '?') return `\u0000${name}`;
    if (name === '$') return '$';
    const v = vars[name.toLowerCase()];
    if (v === undefined) unknown = true;
    return v ?? '*';
  });
  return unknown && !lean ? undefined : out;
}

/** IAM wildcard match of a resolved pattern against one ARN (NUL-marked `*`/`?` are literal). */
function arnMatch(pattern: string | undefined, arn: string): boolean {
  return pattern !== undefined && globRegExp(pattern).test(arn);
}

/**
 * Does the statement reach the one resource `arn`? Where a variable is unknown it leans towards
 * the grant: an Allow may match, a Deny (or an Allow's NotResource exception) may not.
 */
function reachesArn(st: Statement, arn: string, vars: PolicyVariables): boolean {
  const allow = st.effect === 'Allow';
  if (st.resources) return st.resources.some((p) => arnMatch(resolvePattern(p, vars, allow), arn));
  if (st.notResources) return !st.notResources.some((p) => arnMatch(resolvePattern(p, vars, !allow), arn));
  return false;
}

/** Actions a real "everything" grant must still allow after Denies: one per sensitive service. */
const EVERYTHING_PROBES = [
  'iam:PutRolePolicy',
  'iam:CreateAccessKey',
  'iam:PassRole',
  'sts:AssumeRole',
  's3:GetObject',
  'ec2:RunInstances',
  'kms:Decrypt',
  'secretsmanager:GetSecretValue',
  'lambda:UpdateFunctionCode',
  'organizations:LeaveOrganization',
];

/**
 * The effective identity permissions of one principal: its policies (direct and through groups)
 * and, when set, its permissions boundary (an identity grant counts only if the boundary allows
 * it too). An unresolved boundary (document not in the data) is treated as not limiting.
 */
export class Permissions {
  private readonly stmts: Array<{ source: PolicySource; st: Statement }>;
  private readonly boundary?: Permissions;

  /** Statements whose condition can never be true: they grant nothing (evidence only). */
  readonly ignored: Grant[];

  constructor(
    readonly sources: PolicySource[],
    boundary?: PolicySource,
    now?: Date,
  ) {
    const all = sources.flatMap((source) => statements(source.document, now).map((st) => ({ source, st })));
    this.stmts = all.filter(({ st }) => !st.never);
    this.ignored = all.filter(({ st }) => st.never).map(({ source, st }) => ({ source, statement: st }));
    if (boundary?.document) this.boundary = new Permissions([boundary], undefined, now);
  }

  /** Denies of any of `actions` that may apply but were not counted (they carry conditions): shown as evidence. */
  conditionalDenies(actions: string[]): Grant[] {
    return this.stmts.filter(({ st }) => st.effect === 'Deny' && st.conditions.length > 0 && actions.some((a) => matchesAction(st, a))).map(({ source, st }) => ({ source, statement: st }));
  }

  /**
   * The first Allow that grants `action` on the one resource `arn` (variables such as
   * `${aws:username}` resolved from `vars`), unless an unconditional Deny of it or the boundary
   * takes it away.
   */
  allowsOn(action: string, arn: string, vars: PolicyVariables = {}): Grant | undefined {
    const hit = this.stmts.find(({ st }) => st.effect === 'Allow' && matchesAction(st, action) && reachesArn(st, arn, vars));
    if (!hit) return undefined;
    if (this.stmts.some(({ st }) => st.effect === 'Deny' && st.conditions.length === 0 && matchesAction(st, action) && reachesArn(st, arn, vars))) return undefined;
    if (this.boundary && !this.boundary.allowsOn(action, arn, vars)) return undefined;
    return { source: hit.source, statement: hit.st };
  }

  private denied(action: string): boolean {
    const service = serviceOf(action);
    return this.stmts.some(({ st }) => st.effect === 'Deny' && st.conditions.length === 0 && matchesAction(st, action) && denyCovers(st, service));
  }

  /** The first Allow that grants `action` at `scope`, if no unconditional Deny or the boundary takes it away. */
  allows(action: string, scope: ResourceScope = 'broad'): Grant | undefined {
    const service = serviceOf(action);
    const hit = this.stmts.find(({ st }) => st.effect === 'Allow' && matchesAction(st, action) && allowReaches(st, scope, service));
    if (!hit || this.denied(action)) return undefined;
    if (this.boundary && !this.boundary.allows(action, scope)) return undefined;
    return { source: hit.source, statement: hit.st };
  }

  /** An Allow of every action on every resource that no certain Deny narrows (and the boundary allows). */
  allowsEverything(): Grant | undefined {
    const hit = this.stmts.find(({ st }) => st.effect === 'Allow' && namesAllActions(st) && allowReaches(st, 'all', '*'));
    if (!hit) return undefined;
    if (EVERYTHING_PROBES.some((a) => this.denied(a))) return undefined;
    if (this.boundary && !this.boundary.allowsEverything()) return undefined;
    return { source: hit.source, statement: hit.st };
  }
}
