import type { AwsInventory } from '../../model/aws.js';
import type { Check } from '../types.js';
import { awsFinding } from './lib/finding.js';
import { explainVerdict, oidcVerdicts } from './lib/oidc.js';
import { conditionEvidence, statementRef, trustStatements } from './lib/trust.js';

const ID = 'aws-oidc-trust-unrestricted';

export const check: Check<AwsInventory> = {
  id: ID,
  run(inv, ctx) {
    const out = [];
    for (const role of inv.authorization?.roles ?? []) {
      for (const st of trustStatements(role, ctx.now)) {
        for (const v of oidcVerdicts(st)) {
          if (v.ok) continue;
          out.push(
            awsFinding(ID, {
              resource: role.arn,
              discriminator: `statement:${st.index}:${v.issuer}`,
              severity: v.scope === 'owner' ? 'high' : undefined,
              message: `IAM role ${role.name} trusts ${v.profile.name} tokens from ${v.issuer} (trust statement ${st.index}) but ${explainVerdict(v)}.`,
              evidence: { role: role.name, provider: v.provider, issuer: v.issuer, ...statementRef(st), subjectScope: v.scope, condition: conditionEvidence(st) ?? 'none', lastUsed: role.lastUsed ?? 'never' },
            }),
          );
        }
      }
    }
    return out;
  },
};
