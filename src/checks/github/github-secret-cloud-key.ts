import type { Check } from '../types.js';
import type { Repos } from './lib/finding.js';
import { cloudKeySecrets } from './lib/secrets.js';

export const check: Check<Repos> = {
  id: 'github-secret-cloud-key',
  run(repos) {
    return repos.flatMap((r) => [
      ...cloudKeySecrets(this.id, r.repo, r.secrets ?? []),
      ...(r.environments ?? []).flatMap((e) => cloudKeySecrets(this.id, r.repo, e.secrets ?? [])),
    ]);
  },
};
