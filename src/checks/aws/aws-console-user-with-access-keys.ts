import type { AwsInventory } from '../../model/aws.js';
import type { Check } from '../types.js';
import { awsFinding } from './lib/finding.js';
import { activeKeys, credentialsOf, keyEvidence } from './lib/keys.js';

const ID = 'aws-console-user-with-access-keys';

export const check: Check<AwsInventory> = {
  id: ID,
  run(inv, ctx) {
    return credentialsOf(inv)
      .filter((c) => !c.root && c.passwordEnabled === true && activeKeys(c).length > 0)
      .map((c) =>
        awsFinding(ID, {
          resource: c.arn,
          message: `IAM user ${c.user} has a console password (last used ${c.passwordLastUsed?.slice(0, 10) ?? 'never'}) and ${activeKeys(c).length} active access key${activeKeys(c).length > 1 ? 's' : ''}: one identity serves both a person and a program.`,
          evidence: { user: c.user, consolePassword: true, passwordLastUsed: c.passwordLastUsed ?? 'never', mfaActive: c.mfaActive, activeKeys: activeKeys(c).map((k) => keyEvidence(k, ctx.now)) },
        }),
      );
  },
};
