import type { Finding } from '../../../model/finding.js';
import type { GithubWebhook } from '../../../model/github.js';
import { ghResource, githubFinding } from './finding.js';

/** Webhooks without a secret, to plain http:// or with TLS verification off: one finding per hook. */
export function insecureWebhooks(checkId: string, hooks: GithubWebhook[]): Finding[] {
  return hooks.flatMap((h) => {
    const problems: string[] = [];
    const plain = h.url !== undefined && /^http:\/\//i.test(h.url);
    if (!h.hasSecret) problems.push('has no secret, so the receiver cannot verify that deliveries come from GitHub');
    if (plain) problems.push('delivers over plain http://, readable and forgeable on the network path');
    if (h.insecureSsl) problems.push('has TLS certificate verification turned off (insecure_ssl)');
    if (problems.length === 0) return [];
    let host: string | undefined;
    try {
      host = h.url ? new URL(h.url).host : undefined;
    } catch {
      host = undefined;
    }
    return [
      githubFinding(checkId, {
        resource: ghResource(h.on, 'webhook', h.id),
        severity: plain || h.insecureSsl ? 'high' : undefined,
        message: `Webhook ${h.id}${host ? ` to ${host}` : ''} on ${h.on} ${problems.join('; ')}.`,
        evidence: { webhook: h.id, host, hasSecret: h.hasSecret, plainHttp: plain, insecureSsl: h.insecureSsl, events: h.events },
      }),
    ];
  });
}
