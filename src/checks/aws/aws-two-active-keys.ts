import type { AwsInventory } from '../../model/aws.js';
import type { Check } from '../types.js';
import { awsFinding } from './lib/finding.js';
import { activeKeys, credentialsOf, keyEvidence } from './lib/keys.js';

const ID = 'aws-two-active-keys';

export const check: Check<AwsInventory> = {
  id: ID,
  run(inv, ctx) {
    return credentialsOf(inv)
      .filter((c) => !c.root && activeKeys(c).length >= 2)
      .map((c) => {
        const keys = activeKeys(c);
        const places = new Set(keys.map((k) => `${k.lastUsedService ?? ''}/${k.lastUsedRegion ?? ''}`).filter((p) => p !== '/'));
        const spread = places.size > 1 ? ' The keys were last used from different services or regions, a sign that separate workloads share this user.' : '';
        return awsFinding(ID, {
          resource: c.arn,
          message: `IAM user ${c.user} has ${keys.length} active access keys at once.${spread}`,
          evidence: { user: c.user, activeKeys: keys.map((k) => keyEvidence(k, ctx.now)), differentWorkloads: places.size > 1 },
        });
      });
  },
};
