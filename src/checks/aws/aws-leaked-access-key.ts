import { accessKeysByFingerprint } from '../../model/aws.js';
import type { AwsInventory } from '../../model/aws.js';
import type { Check } from '../types.js';
import { awsFinding } from './lib/finding.js';

const ID = 'aws-leaked-access-key';

/**
 * Joins a code scan with the IAM inventory: an access key id found in code (matched by fingerprint,
 * never by value) that belongs to this account. Active: the leak is live. Inactive: one
 * `update-access-key` away from live, so it should be deleted.
 */
export const check: Check<AwsInventory> = {
  id: ID,
  run(inv) {
    if (!inv.leakedKeyIds?.length || !inv.accessKeys) return [];
    const known = accessKeysByFingerprint(inv);
    return inv.leakedKeyIds.flatMap((leak) => {
      const key = known.get(leak.fingerprint);
      if (!key) return [];
      const active = key.status === 'Active';
      const where = leak.places.length ? `${leak.places.join(', ')}${leak.occurrences > leak.places.length ? ` and ${leak.occurrences - leak.places.length} more` : ''}` : 'a scanned report';
      const resource = key.ownerArn ?? `iam-user:${key.userName}`;
      return [
        awsFinding(ID, {
          resource,
          discriminator: `key:${leak.fingerprint}`,
          severity: active ? undefined : 'medium',
          message: active
            ? `Access key ${leak.redacted} of IAM user ${key.userName}, found in code (${where}), is still active${key.lastUsed ? ` (last used ${key.lastUsed.slice(0, 10)})` : ''}.`
            : `Access key ${leak.redacted} of IAM user ${key.userName}, found in code (${where}), is inactive but not deleted: reactivating it would revive the leak.`,
          evidence: { user: key.userName, accessKey: leak.redacted, status: key.status, created: key.created ?? 'unknown', lastUsed: key.lastUsed ?? 'never or unknown', leakedIn: leak.places, occurrences: leak.occurrences, codeFinding: leak.findingId, codeRule: leak.ruleId },
        }),
      ];
    });
  },
};
