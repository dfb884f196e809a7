import type { Check } from '../types.js';
import type { Orgs } from './lib/finding.js';
import { tokenWrite } from './lib/actions.js';

export const check: Check<Orgs> = {
  id: 'github-org-actions-token-write',
  run(orgs) {
    return orgs.flatMap((o) => tokenWrite(this.id, o.login, 'organisation', o.actions));
  },
};
