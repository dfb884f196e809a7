import type { Check } from '../types.js';
import { dateOnly, days, ghResource, githubFinding, type Orgs } from './lib/finding.js';

export const check: Check<Orgs> = {
  id: 'github-deploy-key-unused',
  run(orgs, ctx) {
    const max = ctx.thresholds.maxUnusedDays;
    return orgs.flatMap((o) =>
      (o.deployKeys ?? []).flatMap((k) => {
        // undefined: this server does not report last use (older GHES); nothing to judge.
        if (k.lastUsed === undefined) return [];
        const ref = k.lastUsed ?? k.created;
        if (!ref || days(ref, ctx.now) <= max) return [];
        return [
          githubFinding(this.id, {
            resource: ghResource(k.repo, 'deploy-key', k.fingerprint),
            message: k.lastUsed
              ? `Deploy key "${k.title}" on ${k.repo} was last used ${dateOnly(k.lastUsed)} (${days(k.lastUsed, ctx.now)} days ago) but still grants access.`
              : `Deploy key "${k.title}" on ${k.repo}, added ${dateOnly(k.created)}, has never been used.`,
            evidence: { repository: k.repo, title: k.title, fingerprint: k.fingerprint, lastUsed: k.lastUsed, created: k.created, maxUnusedDays: max },
          }),
        ];
      }),
    );
  },
};
