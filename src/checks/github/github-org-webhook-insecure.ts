import type { Check } from '../types.js';
import type { Orgs } from './lib/finding.js';
import { insecureWebhooks } from './lib/webhooks.js';

export const check: Check<Orgs> = {
  id: 'github-org-webhook-insecure',
  run(orgs) {
    return orgs.flatMap((o) => insecureWebhooks(this.id, o.webhooks ?? []));
  },
};
