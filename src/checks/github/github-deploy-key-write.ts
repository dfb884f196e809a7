import type { Check } from '../types.js';
import { ghResource, githubFinding, type Orgs } from './lib/finding.js';

export const check: Check<Orgs> = {
  id: 'github-deploy-key-write',
  run(orgs) {
    return orgs.flatMap((o) =>
      (o.deployKeys ?? [])
        .filter((k) => !k.readOnly)
        .map((k) =>
          githubFinding(this.id, {
            resource: ghResource(k.repo, 'deploy-key', k.fingerprint),
            message: `Deploy key "${k.title}" on ${k.repo} has write access: whoever holds its private key can push to any unprotected branch and tag.`,
            evidence: { repository: k.repo, title: k.title, fingerprint: k.fingerprint, readOnly: false },
          }),
        ),
    );
  },
};
