import type { AwsRole } from '../../../model/aws.js';
import { matchesAction, statements, type Condition, type Statement } from './policy.js';

/** Reading role trust policies: who may assume the role, and what narrows it. */

/**
 * The statements of a role's trust policy that can take effect: one whose condition can never be
 * true (an empty value list, an expired date …) lets nobody in and is left out. `now` is the
 * check context's clock.
 */
export function trustStatements(role: AwsRole, now?: Date): Statement[] {
  return statements(role.trustPolicy, now).filter((st) => !st.never);
}

/** Allow statements that let someone call `action` (sts:AssumeRole, sts:AssumeRoleWithWebIdentity …). */
export function assumeStatements(role: AwsRole, action: string, now?: Date): Statement[] {
  return trustStatements(role, now).filter((st) => st.effect === 'Allow' && matchesAction(st, action));
}

/** Principal values of one type (`AWS`, `Service`, `Federated`), matching the key case-insensitively. */
export function principalValues(st: Statement, type: string): string[] {
  if (!st.principal || st.principal === '*') return [];
  const t = type.toLowerCase();
  return Object.entries(st.principal).flatMap(([k, v]) => (k.toLowerCase() === t ? v : []));
}

/** `"Principal": "*"`, `{"AWS": "*"}`, or an Allow with NotPrincipal (everyone but a few). */
export function trustsEveryone(st: Statement): boolean {
  if (st.effect !== 'Allow') return false;
  if (st.principal === '*' || st.notPrincipal !== undefined) return true;
  return principalValues(st, 'AWS').some((p) => p === '*');
}

/** The account a principal value names: a bare account id or an ARN's account field. */
export function accountOfPrincipal(p: string): string | undefined {
  if (/^\d{12}$/.test(p)) return p;
  const m = /^arn:[^:]+:(?:iam|sts)::(\d{12}):/.exec(p);
  return m?.[1];
}

/** The account a role ARN lives in. */
export function accountOfArn(arn: string): string | undefined {
  return /^arn:[^:]+:[^:]*:[^:]*:(\d{12}):/.exec(arn)?.[1];
}

/** A condition that must match for the statement to apply (not a negation, not vacuous). */
export function isPositive(c: Condition): boolean {
  if (c.set === 'forallvalues' || c.base === 'null' || c.base.includes('not')) return false;
  return c.values.length > 0;
}

/** Keys that narrow WHO the caller is (organization, account, ARN, source). */
const PRINCIPAL_KEYS = new Set([
  'aws:principalorgid',
  'aws:principalorgpaths',
  'aws:principalaccount',
  'aws:principalarn',
  'aws:sourceaccount',
  'aws:sourcearn',
  'aws:sourceowner',
  'aws:sourceorgid',
  'aws:sourceorgpaths',
  'aws:userid',
  'aws:principalservicename',
]);

/** Conditions of the statement that narrow the caller's identity. */
export function principalRestrictions(st: Statement): Condition[] {
  return st.conditions.filter((c) => PRINCIPAL_KEYS.has(c.key) && isPositive(c) && !c.values.every((v) => /^[*?]+$/.test(v) && c.base.includes('like')));
}

/** Keys that keep a role inside the caller's own organization (so no third party is involved). */
export function restrictsToOrganization(st: Statement): boolean {
  return st.conditions.some((c) => (c.key === 'aws:principalorgid' || c.key === 'aws:principalorgpaths') && isPositive(c));
}

/** A positive sts:ExternalId condition. */
export function requiresExternalId(st: Statement): boolean {
  return st.conditions.some((c) => c.key === 'sts:externalid' && isPositive(c) && !c.values.every((v) => /^[*?]*$/.test(v)));
}

/** The condition object as written, for evidence. */
export function conditionEvidence(st: Statement): Record<string, Record<string, string[]>> | undefined {
  if (!st.conditions.length) return undefined;
  const out: Record<string, Record<string, string[]>> = {};
  for (const c of st.conditions) (out[c.operator] ??= {})[c.keyAsWritten] = c.values;
  return out;
}

export function statementRef(st: Statement): Record<string, unknown> {
  const e: Record<string, unknown> = { statement: st.index };
  if (st.sid) e.sid = st.sid;
  return e;
}
