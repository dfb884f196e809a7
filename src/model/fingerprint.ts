import { createHash } from 'node:crypto';

export function sha256Hex(s: string): string {
  return createHash('sha256').update(s).digest('hex');
}

/** `sha256:<hex>` of a secret value — what reports carry instead of the value. */
export function secretFingerprint(value: string): string {
  return `sha256:${sha256Hex(value)}`;
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
