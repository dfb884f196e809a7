import type { AwsInventory } from '../../model/aws.js';
import { grantEvidence } from './lib/policy.js';
import type { Check } from '../types.js';
import { adminVerdict } from './lib/admin.js';
import { escalationPaths } from './lib/escalation.js';
import { awsFinding } from './lib/finding.js';
import { describePrincipal, principalsOf } from './lib/principals.js';

const ID = 'aws-privilege-escalation';

export const check: Check<AwsInventory> = {
  id: ID,
  run(inv) {
    const out = [];
    for (const p of principalsOf(inv)) {
      // An administrator has nothing to escalate to: aws-admin-access reports it.
      if (adminVerdict(p)) continue;
      const hits = escalationPaths(p);
      if (!hits.length) continue;
      out.push(
        awsFinding(ID, {
          resource: p.arn,
          message: `${describePrincipal(p)} can escalate its own privileges: it can ${hits.map((h) => h.path.title).join('; ')}.`,
          evidence: {
            principal: p.arn,
            paths: hits.map((h) => ({ id: h.path.id, actions: h.path.actions.map((a) => a.action), grants: h.grants.map(grantEvidence) })),
            ...(p.unresolved.length ? { unresolvedPolicies: p.unresolved } : {}),
          },
        }),
      );
    }
    return out;
  },
};
