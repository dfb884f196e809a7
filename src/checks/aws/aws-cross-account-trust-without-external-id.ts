import type { AwsInventory } from '../../model/aws.js';
import type { Check } from '../types.js';
import { awsFinding } from './lib/finding.js';
import { accountOfArn, accountOfPrincipal, assumeStatements, conditionEvidence, principalValues, requiresExternalId, restrictsToOrganization, statementRef } from './lib/trust.js';

const ID = 'aws-cross-account-trust-without-external-id';

export const check: Check<AwsInventory> = {
  id: ID,
  run(inv, ctx) {
    const out = [];
    for (const role of inv.authorization?.roles ?? []) {
      const own = accountOfArn(role.arn) ?? inv.accountId;
      for (const st of assumeStatements(role, 'sts:AssumeRole', ctx.now)) {
        if (requiresExternalId(st) || restrictsToOrganization(st)) continue;
        const foreign = principalValues(st, 'AWS').filter((p) => {
          const acct = accountOfPrincipal(p);
          return acct !== undefined && acct !== own;
        });
        if (!foreign.length) continue;
        const accounts = [...new Set(foreign.map((p) => accountOfPrincipal(p)!))];
        out.push(
          awsFinding(ID, {
            resource: role.arn,
            discriminator: `statement:${st.index}`,
            message: `IAM role ${role.name} can be assumed from account${accounts.length > 1 ? 's' : ''} ${accounts.join(', ')} (trust statement ${st.index}) without an sts:ExternalId condition: a third party acting for several customers can be tricked into using it (confused deputy).`,
            evidence: { role: role.name, ...statementRef(st), trustedPrincipals: foreign, accounts, condition: conditionEvidence(st) ?? 'none' },
          }),
        );
      }
    }
    return out;
  },
};
