import type { AwsInventory } from '../../model/aws.js';
import type { Check } from '../types.js';
import { awsFinding } from './lib/finding.js';
import { issuerOf } from './lib/oidc.js';
import { isAwsManagedRole } from './lib/principals.js';
import { isPositive, principalValues, trustStatements } from './lib/trust.js';

/** A role trusted by this many distinct workloads is shared (threshold `maxRoleWorkloads`, default 3). */
const DEFAULT_MAX_WORKLOADS = 3;

const ID = 'aws-role-shared-by-workloads';

export const check: Check<AwsInventory> = {
  id: ID,
  run(inv, ctx) {
    const limit = ctx.thresholds.maxRoleWorkloads ?? DEFAULT_MAX_WORKLOADS;
    const out = [];
    for (const role of inv.authorization?.roles ?? []) {
      if (isAwsManagedRole(role)) continue;
      const workloads = new Set<string>();
      for (const st of trustStatements(role, ctx.now)) {
        if (st.effect !== 'Allow') continue;
        for (const s of principalValues(st, 'Service')) workloads.add(`service ${s}`);
        for (const a of principalValues(st, 'AWS')) if (a !== '*') workloads.add(`AWS ${a}`);
        for (const f of principalValues(st, 'Federated')) {
          const issuer = issuerOf(f);
          if (!issuer) continue;
          // Each pinned subject is its own workload (a repository, a namespace/service account).
          const subs = st.conditions.filter((c) => c.key === `${issuer.toLowerCase()}:sub` && isPositive(c)).flatMap((c) => c.values);
          if (subs.length) for (const s of subs) workloads.add(`${issuer} ${s}`);
          else workloads.add(`${issuer} (any subject)`);
        }
      }
      if (workloads.size < limit) continue;
      const list = [...workloads];
      out.push(
        awsFinding(ID, {
          resource: role.arn,
          message: `IAM role ${role.name} is trusted by ${list.length} different workloads (${list.slice(0, 5).join('; ')}${list.length > 5 ? '; …' : ''}): one identity and one set of permissions shared by all of them.`,
          evidence: { role: role.name, workloads: list, threshold: limit, lastUsed: role.lastUsed ?? 'never' },
        }),
      );
    }
    return out;
  },
};
