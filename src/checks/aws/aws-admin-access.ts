import type { AwsInventory } from '../../model/aws.js';
import { describeSource, grantEvidence } from './lib/policy.js';
import type { Check } from '../types.js';
import { adminVerdict, IAM_ADMIN_PROBES } from './lib/admin.js';
import { awsFinding } from './lib/finding.js';
import { activeKeys, credentialsOf } from './lib/keys.js';
import { describePrincipal, principalsOf } from './lib/principals.js';

const ID = 'aws-admin-access';

export const check: Check<AwsInventory> = {
  id: ID,
  run(inv, ctx) {
    const withKeys = new Set(credentialsOf(inv).filter((c) => activeKeys(c).length > 0).map((c) => c.arn));
    const out = [];
    for (const p of principalsOf(inv, ctx.now)) {
      const v = adminVerdict(p);
      if (!v) continue;
      const staticKeys = withKeys.has(p.arn);
      const what = v.kind === 'full' ? 'full administrator access (every action on every resource)' : 'full control of IAM (iam:* on every resource), which lets it grant itself anything';
      const conditionalDenies = [...new Set(p.permissions.conditionalDenies(IAM_ADMIN_PROBES).map((g) => `${describeSource(g.source)} (statement ${g.statement.index})`))];
      out.push(
        awsFinding(ID, {
          resource: p.arn,
          severity: staticKeys ? 'critical' : undefined,
          message: `${describePrincipal(p)} has ${what} through ${v.grants.map((g) => `${describeSource(g.source)} (statement ${g.statement.index})`).join(', ')}${staticKeys ? ', and long-lived access keys that carry it' : ''}.`,
          evidence: {
            principal: p.arn,
            kind: v.kind,
            grants: v.grants.map(grantEvidence),
            ...(p.boundary ? { permissionsBoundary: p.boundary } : {}),
            ...(staticKeys ? { activeAccessKeys: true } : {}),
            ...(conditionalDenies.length ? { conditionalDeniesNotCounted: conditionalDenies } : {}),
            ...(p.permissions.ignored.length ? { ignoredStatements: p.permissions.ignored.map((g) => ({ ...grantEvidence(g), never: g.statement.never })) } : {}),
            ...(p.unresolved.length ? { unresolvedPolicies: p.unresolved } : {}),
          },
        }),
      );
    }
    return out;
  },
};
