import type { Check } from '../types.js';
import { dateOnly, days, ghResource, githubFinding, maxSecretAge, type Orgs } from './lib/finding.js';

export const check: Check<Orgs> = {
  id: 'github-deploy-key-old',
  run(orgs, ctx) {
    const max = maxSecretAge(ctx);
    return orgs.flatMap((o) =>
      (o.deployKeys ?? []).flatMap((k) => {
        if (!k.created || days(k.created, ctx.now) <= max) return [];
        return [
          githubFinding(this.id, {
            resource: ghResource(k.repo, 'deploy-key', k.fingerprint),
            message: `Deploy key "${k.title}" on ${k.repo} was added ${dateOnly(k.created)} (${days(k.created, ctx.now)} days ago) and never replaced; SSH keys do not expire.`,
            evidence: { repository: k.repo, title: k.title, fingerprint: k.fingerprint, created: k.created, maxSecretAgeDays: max },
          }),
        ];
      }),
    );
  },
};
