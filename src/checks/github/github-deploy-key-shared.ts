import type { GithubDeployKey } from '../../model/github.js';
import type { Check } from '../types.js';
import { githubFinding, type Orgs } from './lib/finding.js';

export const check: Check<Orgs> = {
  id: 'github-deploy-key-shared',
  run(orgs) {
    const byFp = new Map<string, GithubDeployKey[]>();
    for (const o of orgs) for (const k of o.deployKeys ?? []) byFp.set(k.fingerprint, [...(byFp.get(k.fingerprint) ?? []), k]);
    return [...byFp].flatMap(([fp, keys]) => {
      const repos = [...new Set(keys.map((k) => k.repo))].sort();
      if (repos.length < 2) return [];
      return [
        githubFinding(this.id, {
          resource: `github:deploy-key:${fp}`,
          message: `One SSH key (${fp}) is a deploy key on ${repos.length} repositories (${repos.join(', ')}): whoever holds it reaches all of them${keys.some((k) => !k.readOnly) ? ', with write access on some' : ''}, and it cannot be revoked for one without the others.`,
          evidence: { fingerprint: fp, repositories: repos, titles: [...new Set(keys.map((k) => k.title))], writable: keys.filter((k) => !k.readOnly).map((k) => k.repo) },
        }),
      ];
    });
  },
};
