import type { AwsInventory } from '../../model/aws.js';
import type { Check } from '../types.js';
import { awsFinding } from './lib/finding.js';
import { activeKeys, credentialsOf, keyDiscriminator, keyEvidence, keyLabel } from './lib/keys.js';

const ID = 'aws-root-access-key';

export const check: Check<AwsInventory> = {
  id: ID,
  run(inv, ctx) {
    return credentialsOf(inv)
      .filter((c) => c.root)
      .flatMap((c) =>
        activeKeys(c).map((k) =>
          awsFinding(ID, {
            resource: c.arn,
            discriminator: keyDiscriminator(k),
            message: `The root account has an active ${keyLabel(k)}${k.lastUsed ? `, last used ${k.lastUsed.slice(0, 10)}` : ', never used'}: whoever holds it controls the whole account and no policy can limit it.`,
            evidence: { user: c.user, ...keyEvidence(k, ctx.now) },
          }),
        ),
      );
  },
};
