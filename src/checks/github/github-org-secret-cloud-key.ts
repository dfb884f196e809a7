import type { Check } from '../types.js';
import type { Orgs } from './lib/finding.js';
import { cloudKeySecrets } from './lib/secrets.js';

export const check: Check<Orgs> = {
  id: 'github-org-secret-cloud-key',
  run(orgs) {
    return orgs.flatMap((o) => cloudKeySecrets(this.id, o.login, o.secrets ?? []));
  },
};
