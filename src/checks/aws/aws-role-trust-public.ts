import type { AwsInventory } from '../../model/aws.js';
import type { Check } from '../types.js';
import { awsFinding } from './lib/finding.js';
import { conditionEvidence, principalRestrictions, statementRef, trustStatements, trustsEveryone } from './lib/trust.js';

const ID = 'aws-role-trust-public';

export const check: Check<AwsInventory> = {
  id: ID,
  run(inv, ctx) {
    const out = [];
    for (const role of inv.authorization?.roles ?? []) {
      for (const st of trustStatements(role, ctx.now)) {
        if (!trustsEveryone(st) || principalRestrictions(st).length > 0) continue;
        const who = st.notPrincipal ? 'everyone except the NotPrincipal list' : 'any AWS principal in any account ("*")';
        out.push(
          awsFinding(ID, {
            resource: role.arn,
            discriminator: `statement:${st.index}`,
            message: `IAM role ${role.name} trusts ${who} (trust statement ${st.index}) with no condition on the caller's organization, account or ARN.`,
            evidence: { role: role.name, ...statementRef(st), principal: st.notPrincipal ? { NotPrincipal: st.notPrincipal } : st.principal, action: st.actions ?? { NotAction: st.notActions }, condition: conditionEvidence(st) ?? 'none' },
          }),
        );
      }
    }
    return out;
  },
};
