import type { Check } from '../types.js';
import { ghResource, githubFinding, type Orgs } from './lib/finding.js';

export const check: Check<Orgs> = {
  id: 'github-pat-all-repositories-write',
  run(orgs) {
    return orgs.flatMap((o) =>
      (o.personalAccessTokens ?? []).flatMap((t) => {
        if (t.expired || t.repositorySelection !== 'all') return [];
        const writes = Object.entries(t.permissions)
          .filter(([k, v]) => k.startsWith('repository:') && (v === 'write' || v === 'admin'))
          .map(([k, v]) => `${k.slice('repository:'.length)}:${v}`);
        if (writes.length === 0) return [];
        return [
          githubFinding(this.id, {
            resource: ghResource(o.login, 'fine-grained-pat', t.id),
            message: `Fine-grained token ${t.tokenName ? `"${t.tokenName}" ` : ''}of ${t.owner} can write to all repositories of ${o.login} (${writes.join(', ')}).`,
            evidence: { owner: t.owner, tokenName: t.tokenName, repositorySelection: 'all', writePermissions: writes },
          }),
        ];
      }),
    );
  },
};
