import type { Check } from '../types.js';
import type { Orgs } from './lib/finding.js';
import { staleSecrets } from './lib/secrets.js';

export const check: Check<Orgs> = {
  id: 'github-org-secret-not-rotated',
  run(orgs, ctx) {
    return orgs.flatMap((o) => staleSecrets(this.id, o.login, o.secrets ?? [], ctx));
  },
};
