import type { Check } from '../types.js';
import { dateOnly, days, ghResource, githubFinding, type Orgs } from './lib/finding.js';

export const check: Check<Orgs> = {
  id: 'github-credential-authorization-unused',
  run(orgs, ctx) {
    const max = ctx.thresholds.maxUnusedDays;
    return orgs.flatMap((o) =>
      (o.credentialAuthorizations ?? []).flatMap((c) => {
        const ref = c.accessed ?? c.authorized;
        if (!ref || days(ref, ctx.now) <= max) return [];
        return [
          githubFinding(this.id, {
            resource: ghResource(o.login, 'credential-authorization', c.credentialId),
            message: c.accessed
              ? `The ${c.credentialType} of ${c.login} authorized for SAML single sign-on to ${o.login} was last used ${dateOnly(c.accessed)} (${days(c.accessed, ctx.now)} days ago) and is still authorized.`
              : `The ${c.credentialType} of ${c.login} authorized for SAML single sign-on to ${o.login} on ${dateOnly(c.authorized)} has never been used.`,
            evidence: { login: c.login, credentialType: c.credentialType, accessed: c.accessed ?? null, authorized: c.authorized, scopes: c.scopes, maxUnusedDays: max },
          }),
        ];
      }),
    );
  },
};
