import type { Check } from '../types.js';
import type { Orgs } from './lib/finding.js';
import { githubFinding } from './lib/finding.js';
import { secretResource } from './lib/secrets.js';

export const check: Check<Orgs> = {
  id: 'github-org-secret-all-repositories',
  run(orgs) {
    return orgs.flatMap((o) =>
      (o.secrets ?? [])
        .filter((s) => s.visibility === 'all')
        .map((s) =>
          githubFinding(this.id, {
            resource: secretResource(o.login, s),
            message: `The organisation secret ${s.name} of ${o.login} is visible to all repositories: every current and future repository's workflows (test and production alike) can read it.`,
            evidence: { secret: s.name, visibility: s.visibility },
          }),
        ),
    );
  },
};
