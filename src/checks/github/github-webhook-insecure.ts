import type { Check } from '../types.js';
import type { Repos } from './lib/finding.js';
import { insecureWebhooks } from './lib/webhooks.js';

export const check: Check<Repos> = {
  id: 'github-webhook-insecure',
  run(repos) {
    return repos.flatMap((r) => insecureWebhooks(this.id, r.webhooks ?? []));
  },
};
