import { daysSince } from '../../util/dates.js';
import type { AwsInventory } from '../../model/aws.js';
import type { Check } from '../types.js';
import { awsFinding } from './lib/finding.js';
import { credentialsOf, keyDiscriminator, keyEvidence, keyLabel, keysWithVerdict } from './lib/keys.js';

const ID = 'aws-unused-access-key';

export const check: Check<AwsInventory> = {
  id: ID,
  run(inv, ctx) {
    return keysWithVerdict(credentialsOf(inv), 'unused', ctx).map(({ c, k }) => {
      const evidence = { user: c.user, ...keyEvidence(k, ctx.now), maxUnusedDays: ctx.thresholds.maxUnusedDays };
      const when = k.lastUsed ? `was last used ${k.lastUsed.slice(0, 10)} (${daysSince(k.lastUsed, ctx.now)} days ago)` : `has never been used since it was created ${k.lastRotated!.slice(0, 10)}`;
      return awsFinding(ID, {
        resource: c.arn,
        discriminator: keyDiscriminator(k),
        message: `The active ${keyLabel(k)} of IAM user ${c.user} ${when}; nothing needs it, but it still works.`,
        evidence,
      });
    });
  },
};
