import type { Check } from '../types.js';
import { dateOnly, days, ghResource, githubFinding, type Orgs } from './lib/finding.js';

export const check: Check<Orgs> = {
  id: 'github-pat-unused',
  run(orgs, ctx) {
    const max = ctx.thresholds.maxUnusedDays;
    return orgs.flatMap((o) =>
      (o.personalAccessTokens ?? []).flatMap((t) => {
        if (t.expired || t.lastUsed === undefined) return [];
        const ref = t.lastUsed ?? t.accessGranted;
        if (!ref || days(ref, ctx.now) <= max) return [];
        const label = `Fine-grained token ${t.tokenName ? `"${t.tokenName}" ` : ''}of ${t.owner}`;
        return [
          githubFinding(this.id, {
            resource: ghResource(o.login, 'fine-grained-pat', t.id),
            message: t.lastUsed
              ? `${label} was last used on ${o.login} ${dateOnly(t.lastUsed)} (${days(t.lastUsed, ctx.now)} days ago) but still has access.`
              : `${label} was granted access to ${o.login} ${dateOnly(t.accessGranted)} and has never been used.`,
            evidence: { owner: t.owner, tokenName: t.tokenName, lastUsed: t.lastUsed, accessGranted: t.accessGranted, maxUnusedDays: max },
          }),
        ];
      }),
    );
  },
};
