import type { AwsInventory, LeakedKeyId } from '../model/aws.js';
import type { Finding } from '../model/finding.js';
import type { Observation } from './checks.js';

const MAX_PLACES = 5;

/**
 * The AWS key ids among secret findings (the key-id rules set `secret.identifierFingerprint`), one
 * entry per key id. Only fingerprints and redacted forms travel, never a value: the same join serves
 * `audit` (this run's findings) and `aws --leaked-from` (findings of earlier JSON reports).
 */
export function leakedKeyIds(findings: Finding[]): LeakedKeyId[] {
  const byFp = new Map<string, LeakedKeyId>();
  for (const f of findings) {
    const fp = f.secret?.identifierFingerprint;
    if (!fp) continue;
    const places = f.occurrences.filter((o) => o.path).map((o) => `${o.path}:${o.line ?? 1}${o.commit ? `@${o.commit.slice(0, 12)}` : ''}`);
    const seen = byFp.get(fp);
    if (seen) {
      seen.places = [...new Set([...seen.places, ...places])].slice(0, MAX_PLACES);
      seen.occurrences += f.occurrences.length;
      continue;
    }
    byFp.set(fp, { fingerprint: fp, redacted: f.secret!.redacted, findingId: f.id, ruleId: f.ruleId, places: [...new Set(places)].slice(0, MAX_PLACES), occurrences: f.occurrences.length });
  }
  return [...byFp.values()];
}

/** Give every AWS account observed in this run the key ids this run found in text (added to any from --leaked-from). */
export function joinLeakedKeys(secretFindings: Finding[], observations: Observation[]): void {
  const accounts = observations.filter((o) => o.type === 'aws-account');
  if (accounts.length === 0) return;
  const found = leakedKeyIds(secretFindings);
  if (found.length === 0) return;
  for (const a of accounts) {
    const inv = a.data as AwsInventory;
    const known = new Set((inv.leakedKeyIds ?? []).map((k) => k.fingerprint));
    inv.leakedKeyIds = [...(inv.leakedKeyIds ?? []), ...found.filter((k) => !known.has(k.fingerprint))];
  }
}
