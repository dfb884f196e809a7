import { redact } from '../../../model/fingerprint.js';
import { daysSince, latest } from '../../../util/dates.js';
import type { AwsCredential, AwsKeyState } from '../../../model/aws.js';
import type { CheckContext } from '../../types.js';

/**
 * Facts about users and access keys from the credential report, shared by the key and activity
 * checks. One key gets at most one of these verdicts, in this order, because each implies a
 * different fix: an inactive user is offboarded (its keys with it), an unused key is deleted,
 * and only a key in use is rotated.
 */

const DAY_MS = 86_400_000;

export function credentialsOf(inv: { credentials?: AwsCredential[] }): AwsCredential[] {
  return inv.credentials ?? [];
}

export function keysOf(c: AwsCredential): AwsKeyState[] {
  return c.keys ?? [];
}

export function activeKeys(c: AwsCredential): AwsKeyState[] {
  return keysOf(c).filter((k) => k.active);
}

/** A user without a console password: a programmatic (machine) identity. */
export function isServiceUser(c: AwsCredential): boolean {
  return !c.root && c.passwordEnabled === false;
}

export interface Inactivity {
  lastActivity?: string;
  /** Days since the last activity, or since creation when never used. */
  idleDays: number;
}

/**
 * A user (not root) older than the unused threshold that still holds a usable credential (console
 * password or active key) but used none of its credentials within the threshold.
 */
export function userInactivity(c: AwsCredential, ctx: CheckContext): Inactivity | undefined {
  if (c.root || !c.created) return undefined;
  const max = ctx.thresholds.maxUnusedDays;
  if (daysSince(c.created, ctx.now) <= max) return undefined;
  if (c.passwordEnabled !== true && activeKeys(c).length === 0) return undefined;
  const last = latest(c.passwordLastUsed, ...keysOf(c).map((k) => k.lastUsed));
  const idleDays = daysSince(last ?? c.created, ctx.now);
  if (idleDays <= max) return undefined;
  const out: Inactivity = { idleDays };
  if (last) out.lastActivity = last;
  return out;
}

export type KeyVerdict = 'unused' | 'never-rotated' | 'old' | 'ok';

/** The one verdict for an active key of an active, non-root user. */
export function keyVerdict(c: AwsCredential, k: AwsKeyState, ctx: CheckContext): KeyVerdict {
  if (!k.active) return 'ok';
  const { maxUnusedDays, maxKeyAgeDays } = ctx.thresholds;
  if (k.lastUsed ? daysSince(k.lastUsed, ctx.now) > maxUnusedDays : k.lastRotated !== undefined && daysSince(k.lastRotated, ctx.now) > maxUnusedDays) return 'unused';
  if (!k.lastRotated || daysSince(k.lastRotated, ctx.now) <= maxKeyAgeDays) return 'ok';
  if (isServiceUser(c) && c.created && Math.abs(Date.parse(k.lastRotated) - Date.parse(c.created)) <= DAY_MS) return 'never-rotated';
  return 'old';
}

/** Keys of active, non-root users with the given verdict. */
export function keysWithVerdict(creds: AwsCredential[], verdict: KeyVerdict, ctx: CheckContext): Array<{ c: AwsCredential; k: AwsKeyState }> {
  const out: Array<{ c: AwsCredential; k: AwsKeyState }> = [];
  for (const c of creds) {
    if (c.root || userInactivity(c, ctx)) continue;
    for (const k of activeKeys(c)) if (keyVerdict(c, k, ctx) === verdict) out.push({ c, k });
  }
  return out;
}

/** "access key 1 (AKIA…WXYZ)": names the key without printing its whole id. */
export function keyLabel(k: AwsKeyState): string {
  const slot = k.slot ? `access key ${k.slot}` : 'access key';
  return k.id ? `${slot} (${redact(k.id)})` : slot;
}

/** Stable across live and offline runs: the key's creation time identifies it within its user. */
export function keyDiscriminator(k: AwsKeyState): string {
  return `access-key:${k.lastRotated ?? `slot${k.slot ?? '?'}`}`;
}

export function keyEvidence(k: AwsKeyState, now: Date): Record<string, unknown> {
  const e: Record<string, unknown> = {};
  if (k.slot) e.slot = k.slot;
  if (k.id) e.accessKeyId = redact(k.id);
  e.active = k.active;
  if (k.lastRotated) {
    e.created = k.lastRotated;
    e.ageDays = daysSince(k.lastRotated, now);
  }
  e.lastUsed = k.lastUsed ?? 'never';
  if (k.lastUsed) e.lastUsedDaysAgo = daysSince(k.lastUsed, now);
  if (k.lastUsedService) e.lastUsedService = k.lastUsedService;
  if (k.lastUsedRegion) e.lastUsedRegion = k.lastUsedRegion;
  return e;
}
