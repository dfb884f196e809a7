import { daysSince } from '../../util/dates.js';
import type { AwsInventory } from '../../model/aws.js';
import type { Check } from '../types.js';
import { awsFinding } from './lib/finding.js';
import { isAwsManagedRole } from './lib/principals.js';

const ID = 'aws-unused-role';

export const check: Check<AwsInventory> = {
  id: ID,
  run(inv, ctx) {
    const max = ctx.thresholds.maxUnusedDays;
    return (inv.authorization?.roles ?? [])
      .filter((r) => !isAwsManagedRole(r) && r.created !== undefined && daysSince(r.created, ctx.now) > max)
      .filter((r) => r.lastUsed === undefined || daysSince(r.lastUsed, ctx.now) > max)
      .map((r) => {
        const idle = daysSince(r.lastUsed ?? r.created!, ctx.now);
        return awsFinding(ID, {
          resource: r.arn,
          message: r.lastUsed
            ? `IAM role ${r.name} was last assumed ${r.lastUsed.slice(0, 10)} (${idle} days ago) but can still be assumed with all its permissions.`
            : `IAM role ${r.name}, created ${r.created!.slice(0, 10)}, has never been assumed (no use recorded) but can still be assumed with all its permissions.`,
          evidence: { role: r.name, created: r.created, lastUsed: r.lastUsed ?? 'never', lastUsedRegion: r.lastUsedRegion, idleDays: idle, maxUnusedDays: max },
        });
      });
  },
};
