import { secretFingerprint } from '../../model/fingerprint.js';
import { isoDate } from '../../util/dates.js';
import type { AwsAccessKey, AwsCredential, AwsInventory, AwsKeyState } from '../../model/aws.js';

/**
 * Access key ids. Neither the credential report nor the authorization details carry them, so they
 * come from ListAccessKeys (live, opt-in with --key-ids: one call per user with keys) or from an
 * `aws iam list-access-keys` export (--access-keys FILE). They let a leaked key id found in code be
 * matched with the live key, and give key findings an id a person can act on.
 */

type Raw = Record<string, unknown>;

/** Normalize ListAccessKeys metadata (SDK objects or CLI JSON). Entries without an id are dropped. */
export function mapAccessKeys(items: unknown[], userArnOf?: (userName: string) => string | undefined): AwsAccessKey[] {
  const out: AwsAccessKey[] = [];
  for (const it of items) {
    const r = (it && typeof it === 'object' ? it : {}) as Raw;
    if (typeof r.AccessKeyId !== 'string' || typeof r.UserName !== 'string') continue;
    const k: AwsAccessKey = { id: r.AccessKeyId, userName: r.UserName, status: r.Status === 'Inactive' ? 'Inactive' : 'Active' };
    const created = isoDate(r.CreateDate);
    if (created) k.created = created;
    const arn = userArnOf?.(r.UserName);
    if (arn) k.userArn = arn;
    out.push(k);
  }
  return out;
}

/**
 * The metadata list inside an export: `{AccessKeyMetadata: [...]}` (one user's output), a list of
 * those (a loop over users), or a bare list of metadata.
 */
export function accessKeyItems(json: unknown): unknown[] | undefined {
  const meta = (v: unknown): unknown[] | undefined => {
    const m = (v as Raw | null)?.AccessKeyMetadata;
    return Array.isArray(m) ? m : undefined;
  };
  if (meta(json)) return meta(json);
  if (Array.isArray(json)) {
    if (json.every((x) => meta(x))) return json.flatMap((x) => meta(x)!);
    if (json.every((x) => x && typeof x === 'object' && 'AccessKeyId' in x)) return json;
  }
  return undefined;
}

const SAME_SECOND = 1000;

/**
 * Put key ids (and the listing's fresher status) on the credential report's key slots, matched by
 * creation time. Keys the report does not know (created after it was generated) are returned so
 * the caller can fetch their last use, and are added without a slot.
 */
export function mergeAccessKeys(credentials: AwsCredential[], keys: AwsAccessKey[]): AwsKeyState[] {
  const byUser = new Map(credentials.map((c) => [c.user, c]));
  const unmatched: AwsKeyState[] = [];
  for (const k of keys) {
    const c = byUser.get(k.userName);
    const slots = c?.keys ?? [];
    const slot = slots.find((s) => s.id === undefined && s.lastRotated && k.created && Math.abs(Date.parse(s.lastRotated) - Date.parse(k.created)) < SAME_SECOND);
    if (slot) {
      slot.id = k.id;
      slot.active = k.status === 'Active';
      continue;
    }
    const extra: AwsKeyState = { active: k.status === 'Active', id: k.id };
    if (k.created) extra.lastRotated = k.created;
    if (c) (c.keys ??= []).push(extra);
    unmatched.push(extra);
  }
  return unmatched;
}

/** What the inventory knows about one access key id. */
