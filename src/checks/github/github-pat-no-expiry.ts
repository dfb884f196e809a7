import type { Check } from '../types.js';
import { dateOnly, days, ghResource, githubFinding, maxSecretAge, type Orgs } from './lib/finding.js';

export const check: Check<Orgs> = {
  id: 'github-pat-no-expiry',
  run(orgs, ctx) {
    const max = maxSecretAge(ctx);
    return orgs.flatMap((o) =>
      (o.personalAccessTokens ?? []).flatMap((t) => {
        if (t.expired) return [];
        const lifetime = t.expires ? -days(t.expires, ctx.now) : undefined;
        if (lifetime !== undefined && lifetime <= max) return [];
        const label = `Fine-grained token ${t.tokenName ? `"${t.tokenName}" ` : ''}of ${t.owner}`;
        return [
          githubFinding(this.id, {
            resource: ghResource(o.login, 'fine-grained-pat', t.id),
            message: t.expires
              ? `${label} with access to ${o.login} expires ${dateOnly(t.expires)}, ${lifetime} days from now (more than ${max}).`
              : `${label} with access to ${o.login} never expires.`,
            evidence: { owner: t.owner, tokenName: t.tokenName, expires: t.expires ?? null, maxSecretAgeDays: max },
          }),
        ];
      }),
    );
  },
};
