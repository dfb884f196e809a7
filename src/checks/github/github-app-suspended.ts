import type { Check } from '../types.js';
import { dateOnly, ghResource, githubFinding, type Orgs } from './lib/finding.js';

export const check: Check<Orgs> = {
  id: 'github-app-suspended',
  run(orgs) {
    return orgs.flatMap((o) =>
      (o.installations ?? [])
        .filter((i) => !!i.suspendedAt)
        .map((i) =>
          githubFinding(this.id, {
            resource: ghResource(o.login, 'app-installation', i.id),
            message: `GitHub App ${i.appSlug} was suspended on ${o.login} ${dateOnly(i.suspendedAt)}${i.suspendedBy ? ` by ${i.suspendedBy}` : ''} but is still installed with its permissions; unsuspending it restores them at once.`,
            evidence: { app: i.appSlug, suspendedAt: i.suspendedAt, suspendedBy: i.suspendedBy, repositorySelection: i.repositorySelection },
          }),
        ),
    );
  },
};
