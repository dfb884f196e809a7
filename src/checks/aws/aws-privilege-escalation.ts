import type { AwsInventory } from '../../model/aws.js';
import { grantEvidence } from './lib/policy.js';
import type { Check } from '../types.js';
import { adminVerdict } from './lib/admin.js';
import { escalationPaths, type EscalationHit } from './lib/escalation.js';
import { awsFinding } from './lib/finding.js';
import { describePrincipal, principalsOf } from './lib/principals.js';

const ID = 'aws-privilege-escalation';

/** "create access keys for any user", or for an own-resource method the method and its resources. */
function phrase(h: EscalationHit): string {
  if (!h.resources) return h.method.title;
  return `${h.method.title} (${h.method.actions.join(', ')} on ${h.resources.join(', ')})`;
}

export const check: Check<AwsInventory> = {
  id: ID,
  run(inv, ctx) {
    const out = [];
    for (const p of principalsOf(inv, ctx.now)) {
      // An administrator has nothing to escalate to: aws-admin-access reports it.
      if (adminVerdict(p)) continue;
      const hits = escalationPaths(p, inv, ctx.now);
      if (!hits.length) continue;
      const ignored = p.permissions.ignored;
      out.push(
        awsFinding(ID, {
          resource: p.arn,
          message: `${describePrincipal(p)} can escalate its own privileges: it can ${hits.map(phrase).join('; ')}.`,
          evidence: {
            principal: p.arn,
            paths: hits.map((h) => ({
              id: h.method.id,
              actions: h.resources ? h.method.actions : [...h.method.every, ...h.method.one],
              ...(h.resources ? { resources: h.resources } : {}),
              grants: h.grants.map(grantEvidence),
            })),
            ...(ignored.length ? { ignoredStatements: ignored.map((g) => ({ ...grantEvidence(g), never: g.statement.never })) } : {}),
            ...(p.unresolved.length ? { unresolvedPolicies: p.unresolved } : {}),
          },
        }),
      );
    }
    return out;
  },
};
