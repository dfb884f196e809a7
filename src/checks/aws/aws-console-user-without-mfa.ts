import type { AwsInventory } from '../../model/aws.js';
import type { Check } from '../types.js';
import { awsFinding } from './lib/finding.js';
import { credentialsOf } from './lib/keys.js';

const ID = 'aws-console-user-without-mfa';

export const check: Check<AwsInventory> = {
  id: ID,
  run(inv) {
    return credentialsOf(inv)
      .filter((c) => c.mfaActive === false && (c.root || c.passwordEnabled === true))
      .map((c) =>
        awsFinding(ID, {
          resource: c.arn,
          severity: c.root ? 'critical' : undefined,
          message: c.root
            ? 'The root account can sign in to the console without MFA: a phished or reused password is enough to take over the account.'
            : `IAM user ${c.user} can sign in to the console with a password alone (no MFA device; password last used ${c.passwordLastUsed?.slice(0, 10) ?? 'never'}).`,
          evidence: { user: c.user, consolePassword: c.root ? 'root' : true, mfaActive: false, passwordLastUsed: c.passwordLastUsed ?? 'never', passwordLastChanged: c.passwordLastChanged },
        }),
      );
  },
};
