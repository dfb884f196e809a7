import type { Check } from '../types.js';
import type { Repos } from './lib/finding.js';
import { approvePrs } from './lib/actions.js';

export const check: Check<Repos> = {
  id: 'github-actions-approve-prs',
  run(repos) {
    return repos.flatMap((r) => approvePrs(this.id, r.repo, 'repository', r.actions));
  },
};
