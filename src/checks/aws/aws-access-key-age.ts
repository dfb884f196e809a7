import { daysSince } from '../../util/dates.js';
import type { AwsInventory } from '../../model/aws.js';
import type { Check } from '../types.js';
import { awsFinding } from './lib/finding.js';
import { credentialsOf, keyDiscriminator, keyEvidence, keyLabel, keysWithVerdict } from './lib/keys.js';

const ID = 'aws-access-key-age';

export const check: Check<AwsInventory> = {
  id: ID,
  run(inv, ctx) {
    return keysWithVerdict(credentialsOf(inv), 'old', ctx).map(({ c, k }) => {
      const evidence = { user: c.user, ...keyEvidence(k, ctx.now), maxKeyAgeDays: ctx.thresholds.maxKeyAgeDays };
      return awsFinding(ID, {
        resource: c.arn,
        discriminator: keyDiscriminator(k),
        message: `IAM user ${c.user} has an active ${keyLabel(k)} created ${k.lastRotated!.slice(0, 10)} (${daysSince(k.lastRotated!, ctx.now)} days ago), older than the ${ctx.thresholds.maxKeyAgeDays}-day rotation limit.`,
        evidence,
      });
    });
  },
};
