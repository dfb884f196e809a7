import { globRegExp } from './glob.js';
import type { Condition } from './policy.js';

/**
 * Conditions that can never be true. IAM ANDs the operators of a Condition block and the keys
 * inside one operator, and ORs the values of one key; a key missing from the request makes every
 * operator false except the negated ones (`...Not...`), `...IfExists` and `ForAllValues:` (true)
 * and `Null` (which tests presence). A statement whose condition can never hold grants nothing.
 *
 * The evaluator is conservative: it says "never" only when that follows from the documented
 * semantics alone, and anything it does not understand (an unknown operator, a policy variable,
 * a multivalued key, a date it cannot parse) is taken as satisfiable.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
 */

/** Keys every request carries (AWS global condition keys documented as "always included"). */
const ALWAYS_PRESENT = new Set(['aws:currenttime', 'aws:epochtime', 'aws:principalarn', 'aws:principalaccount', 'aws:principaltype', 'aws:userid']);

/** Numeric keys that cannot be negative (an age in seconds, a time since the epoch). */
const NON_NEGATIVE = new Set(['aws:multifactorauthage', 'aws:epochtime', 's3:signatureage', 's3:max-keys']);

/** Keys whose value is the time of the request: a "before T" test with T already past stays false. */
const REQUEST_TIME = new Set(['aws:currenttime', 'aws:epochtime']);

/** Global keys that can carry several values in one request (single-valued reasoning does not apply). */
const MULTIVALUED = new Set(['aws:tagkeys', 'aws:calledvia', 'aws:principalorgpaths', 'aws:resourceorgpaths', 'aws:sourceorgpaths', 'aws:principalservicenameslist']);

/** The documented operators that are true only when the key is present and one of the values matches. */
const POSITIVE = new Set([
  'stringequals',
  'stringequalsignorecase',
  'stringlike',
  'numericequals',
  'numericlessthan',
  'numericlessthanequals',
  'numericgreaterthan',
  'numericgreaterthanequals',
  'dateequals',
  'datelessthan',
  'datelessthanequals',
  'dategreaterthan',
  'dategreaterthanequals',
  'bool',
  'binaryequals',
  'ipaddress',
  'arnequals',
  'arnlike',
]);

/** Does the condition require the key to be present and match (a positive operator, not IfExists, not ForAllValues)? */
function requiresMatch(c: Condition): boolean {
  return POSITIVE.has(c.base) && !c.ifExists && c.set !== 'forallvalues';
}

const hasVariable = (c: Condition): boolean => c.values.some((v) => v.includes('${'));

function num(v: string): number | undefined {
  return /^\s*-?\d+(\.\d+)?\s*$/.test(v) ? Number(v) : undefined;
}

/** A date condition value as milliseconds: an ISO 8601 date or epoch seconds. */
function dateValue(v: string): number | undefined {
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  if (!/^\d{4}-\d{2}-\d{2}/.test(v)) return undefined;
  const t = Date.parse(v);
  return Number.isNaN(t) ? undefined : t;
}

/** Case-sensitive IAM wildcard match for StringLike (`*` any run, `?` one character). */
function likeMatch(pattern: string, value: string): boolean {
  return globRegExp(pattern, true).test(value);
}

/** Why one condition alone can never be true, or undefined. */
function aloneNever(c: Condition, now: Date | undefined): string | undefined {
  const what = `${c.operator} ${c.keyAsWritten}`;
  if (c.base === 'null') {
    if (!c.set && c.values.length > 0 && c.values.every((v) => v.toLowerCase() === 'true') && ALWAYS_PRESENT.has(c.key)) return `${what}: the key is in every request`;
    return undefined;
  }
  if (!requiresMatch(c) || c.set === 'forallvalues') return undefined;
  if (c.values.length === 0) return `${what}: an empty value list matches nothing`;
  if (hasVariable(c)) return undefined;
  // Reasons name the operator and key, not the values (a condition value is the policy owner's data).
  if (c.base === 'bool' && !c.values.some((v) => v.toLowerCase() === 'true' || v.toLowerCase() === 'false')) return `${what}: the value is not true or false`;
  if (c.base.startsWith('numeric')) {
    const ns = c.values.map(num);
    if (ns.every((n) => n === undefined)) return `${what}: the value is not a number`;
    if (NON_NEGATIVE.has(c.key)) {
      const ok = ns.some((n) => n !== undefined && (c.base === 'numericlessthan' ? n > 0 : c.base === 'numericlessthanequals' || c.base === 'numericequals' ? n >= 0 : true));
      if (!ok) return `${what}: the key is never negative`;
    }
  }
  if (REQUEST_TIME.has(c.key) && (c.base === 'datelessthan' || c.base === 'datelessthanequals' || (c.key === 'aws:epochtime' && (c.base === 'numericlessthan' || c.base === 'numericlessthanequals')))) {
    const ts = c.values.map((v) => (c.base.startsWith('numeric') ? (num(v) ?? NaN) * 1000 : dateValue(v)));
    // Time only moves forward: "before T" with every T already past is false now and for ever
    // (without the audit's clock, only a T at or before the epoch is certainly past).
    const past = now?.getTime() ?? 0;
    const orEqual = c.base.endsWith('equals');
    if (ts.every((t) => t !== undefined && !Number.isNaN(t) && (orEqual ? t < past : t <= past))) return `${what}: the date is in the past`;
  }
  return undefined;
}

/** String tests a candidate value must pass (one key, single-valued, no variables). */
function passes(c: Condition, v: string): boolean | undefined {
  const lower = v.toLowerCase();
  switch (c.base) {
    case 'stringequals':
      return c.values.includes(v);
    case 'stringequalsignorecase':
      return c.values.some((x) => x.toLowerCase() === lower);
    case 'stringnotequals':
      return !c.values.includes(v);
    case 'stringnotequalsignorecase':
      return !c.values.some((x) => x.toLowerCase() === lower);
    case 'stringlike':
      return c.values.some((p) => likeMatch(p, v));
    case 'stringnotlike':
      return !c.values.some((p) => likeMatch(p, v));
    default:
      return undefined; // not a string test: assumed satisfiable
  }
}

function singleValued(key: string): boolean {
  if (MULTIVALUED.has(key)) return false;
  return key.startsWith('aws:') || /(^|:)(resourcetag|requesttag|principaltag)\//.test(key);
}

/** Why conditions on one key contradict each other, or undefined. */
function keyNever(key: string, cs: Condition[]): string | undefined {
  if (cs.some((c) => c.set)) return undefined;
  const absent = cs.find((c) => c.base === 'null' && c.values.length > 0 && c.values.every((v) => v.toLowerCase() === 'true'));
  const present = cs.find(requiresMatch);
  if (absent && present) return `${absent.operator} ${absent.keyAsWritten} requires the key to be absent, ${present.operator} requires it to be present`;
  if (!singleValued(key) || cs.some(hasVariable)) return undefined;
  // A StringEquals gives the only values the key can have; each must pass every other string test.
  const eq = cs.find((c) => c.base === 'stringequals' && requiresMatch(c));
  if (!eq) return undefined;
  const others = cs.filter((c) => c !== eq);
  if (!others.length) return undefined;
  const survivor = eq.values.some((v) => others.every((c) => passes(c, v) !== false));
  if (!survivor) return `no value of ${eq.keyAsWritten} passes ${cs.map((c) => c.operator).join(' and ')}`;
  return undefined;
}

/**
 * Why the conditions of one statement can never all be true, or undefined when they may be.
 * `now` (the audit's clock) lets an expired `DateLessThan aws:CurrentTime` count as never.
 */
export function neverTrue(conditions: Condition[], now?: Date): string | undefined {
  for (const c of conditions) {
    const why = aloneNever(c, now);
    if (why) return why;
  }
  const byKey = new Map<string, Condition[]>();
  for (const c of conditions) byKey.set(c.key, [...(byKey.get(c.key) ?? []), c]);
  for (const [key, cs] of byKey) {
    if (cs.length < 2) continue;
    const why = keyNever(key, cs);
    if (why) return why;
  }
  return undefined;
}
