import type { AwsInventory } from '../../model/aws.js';
import type { Check } from '../types.js';
import { awsFinding } from './lib/finding.js';
import { activeKeys, credentialsOf, keyEvidence, userInactivity } from './lib/keys.js';

const ID = 'aws-inactive-user';

export const check: Check<AwsInventory> = {
  id: ID,
  run(inv, ctx) {
    const out = [];
    for (const c of credentialsOf(inv)) {
      const idle = userInactivity(c, ctx);
      if (!idle) continue;
      const doors = [c.passwordEnabled ? 'a console password' : '', activeKeys(c).length ? `${activeKeys(c).length} active access key${activeKeys(c).length > 1 ? 's' : ''}` : ''].filter(Boolean).join(' and ');
      out.push(
        awsFinding(ID, {
          resource: c.arn,
          message: `IAM user ${c.user} has had no activity for ${idle.idleDays} days (${idle.lastActivity ? `last ${idle.lastActivity.slice(0, 10)}` : 'never used'}) but still holds ${doors}.`,
          evidence: {
            user: c.user,
            created: c.created,
            lastActivity: idle.lastActivity ?? 'never',
            idleDays: idle.idleDays,
            consolePassword: c.passwordEnabled === true,
            passwordLastUsed: c.passwordLastUsed ?? (c.passwordEnabled ? 'never' : undefined),
            activeKeys: activeKeys(c).map((k) => keyEvidence(k, ctx.now)),
            maxUnusedDays: ctx.thresholds.maxUnusedDays,
          },
        }),
      );
    }
    return out;
  },
};
