import type { Check } from '../types.js';
import type { Repos } from './lib/finding.js';
import { staleSecrets } from './lib/secrets.js';

export const check: Check<Repos> = {
  id: 'github-secret-not-rotated',
  run(repos, ctx) {
    return repos.flatMap((r) => [
      ...staleSecrets(this.id, r.repo, r.secrets ?? [], ctx),
      ...(r.environments ?? []).flatMap((e) => staleSecrets(this.id, r.repo, e.secrets ?? [], ctx)),
    ]);
  },
};
