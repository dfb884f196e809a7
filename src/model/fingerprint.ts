import { createHash, createHmac } from 'node:crypto';

export function sha256Hex(s: string): string {
  return createHash('sha256').update(s).digest('hex');
}

/**
 * Secret fingerprints are keyed hashes, so that a weak secret (`Winter2025!`) cannot be recovered
 * from a report or a committed baseline by hashing guesses:
 *
 *   fingerprint = "hmac-sha256:" + HMAC-SHA256(key, value)
 *   key         = HMAC-SHA256(NHI_AUDIT_FINGERPRINT_KEY or "", salt)
 *
 * The salt is the baseline's own (random, stored in the baseline file) when the run uses a
 * baseline, else the public DEFAULT_SALT. So one baseline's fingerprints and ids are stable across
 * every run that uses it, and baseline matching compares like with like; without a baseline they
 * are stable across runs too (the same public salt). A salt stored beside the hashes defeats
 * precomputed tables and links nothing across baselines, but whoever reads the baseline still has
 * it: set NHI_AUDIT_FINGERPRINT_KEY (a CI secret) to make guessing impossible without the key.
 * Finding ids are derived from fingerprints, so they are keyed too. Version 1 baselines (plain
 * sha256) are matched in legacy mode until they are re-created.
 */
export const DEFAULT_SALT = 'nhi-audit/fingerprint/v2';

let fingerprintKey: Buffer | undefined;
let legacy = false;
let currentSalt = DEFAULT_SALT;

function keyFor(salt: string): Buffer {
  return createHmac('sha256', process.env.NHI_AUDIT_FINGERPRINT_KEY ?? '').update(salt).digest();
}

/** Key the fingerprints of this run with a baseline's salt (or the default), or legacy plain sha256. */
export function setFingerprintSalt(salt: string | undefined, opts: { legacy?: boolean } = {}): void {
  legacy = opts.legacy === true;
  currentSalt = salt ?? DEFAULT_SALT;
  fingerprintKey = keyFor(currentSalt);
}

/** The salt this run's fingerprints are keyed with. */
export function fingerprintSalt(): string {
  return currentSalt;
}

/** A secret's fingerprint with an explicit salt (the default one: what a config's allowlist was copied from). */
export function saltedFingerprint(value: string, salt: string): string {
  return `hmac-sha256:${createHmac('sha256', keyFor(salt)).update(value).digest('hex')}`;
}

/**
 * The fingerprint of a public identifier (an AWS access key id): plain sha256, unkeyed, so a code
 * scan's report and a later `aws --leaked-from` run match it whatever salt each used. An identifier
 * is not a secret; the secret paired with it is fingerprinted with the key.
 */
export function identifierFingerprint(value: string): string {
  return `sha256:${sha256Hex(value)}`;
}

/** The fingerprint of a secret value — what reports carry instead of the value (keyed; see above). */
export function secretFingerprint(value: string): string {
  if (legacy) return `sha256:${sha256Hex(value)}`;
  fingerprintKey ??= keyFor(currentSalt);
  return `hmac-sha256:${createHmac('sha256', fingerprintKey).update(value).digest('hex')}`;
}

/**
 * Stable finding id: the rule plus what the finding is about (a secret's fingerprint, or a
 * resource such as an ARN plus a discriminator). No path or line, so it survives moves and renames.
 */
export function findingId(ruleId: string, subject: string): string {
  return sha256Hex(`${ruleId}\0${subject}`).slice(0, 32);
}

/**
 * A redacted form safe to print: never more than a third of the value, at most 4 characters at
 * each end, nothing at all for short values. Multi-line values (keys) show their first line only.
 */
export function redact(value: string): string {
  const firstLine = value.split(/\r?\n|\\n/)[0];
  if (firstLine.startsWith('-----BEGIN')) return `${firstLine}…`;
  const n = value.length;
  if (n < 10) return '****';
  const k = Math.min(4, Math.floor(n / 6));
  return `${value.slice(0, k)}…${value.slice(n - k)}`;
}
