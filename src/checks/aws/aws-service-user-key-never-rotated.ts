import { daysSince } from '../../util/dates.js';
import type { AwsInventory } from '../../model/aws.js';
import type { Check } from '../types.js';
import { awsFinding } from './lib/finding.js';
import { credentialsOf, keyDiscriminator, keyEvidence, keyLabel, keysWithVerdict } from './lib/keys.js';

const ID = 'aws-service-user-key-never-rotated';

export const check: Check<AwsInventory> = {
  id: ID,
  run(inv, ctx) {
    return keysWithVerdict(credentialsOf(inv), 'never-rotated', ctx).map(({ c, k }) => {
      const evidence = { user: c.user, userCreated: c.created, consolePassword: false, ...keyEvidence(k, ctx.now), maxKeyAgeDays: ctx.thresholds.maxKeyAgeDays };
      return awsFinding(ID, {
        resource: c.arn,
        discriminator: keyDiscriminator(k),
        message: `Service user ${c.user} still uses the ${keyLabel(k)} it was created with on ${k.lastRotated!.slice(0, 10)}: ${daysSince(k.lastRotated!, ctx.now)} days without a rotation.`,
        evidence,
      });
    });
  },
};
