import type { Check } from '../types.js';
import type { Repos } from './lib/finding.js';
import { tokenWrite } from './lib/actions.js';

export const check: Check<Repos> = {
  id: 'github-actions-token-write',
  run(repos) {
    return repos.flatMap((r) => tokenWrite(this.id, r.repo, 'repository', r.actions));
  },
};
