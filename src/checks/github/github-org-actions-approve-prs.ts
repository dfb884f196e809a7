import type { Check } from '../types.js';
import type { Orgs } from './lib/finding.js';
import { approvePrs } from './lib/actions.js';

export const check: Check<Orgs> = {
  id: 'github-org-actions-approve-prs',
  run(orgs) {
    return orgs.flatMap((o) => approvePrs(this.id, o.login, 'organisation', o.actions));
  },
};
