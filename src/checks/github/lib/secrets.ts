import type { Finding } from '../../../model/finding.js';
import type { GithubActionsSecret } from '../../../model/github.js';
import type { CheckContext } from '../../types.js';
import { dateOnly, days, ghResource, githubFinding, maxSecretAge } from './finding.js';

/** Where a secret lives, as a person reads it. */
export function secretLabel(on: string, s: GithubActionsSecret): string {
  if (s.scope === 'org') return `organisation secret ${s.name} of ${on}`;
  if (s.scope === 'environment') return `secret ${s.name} of environment ${s.environment} in ${on}`;
  return `repository secret ${s.name} of ${on}`;
}

export function secretResource(on: string, s: GithubActionsSecret): string {
  return ghResource(on, s.scope === 'environment' ? `environment:${s.environment}:secret` : 'secret', s.name);
}

/** Secrets not updated for longer than the rotation threshold. */
export function staleSecrets(checkId: string, on: string, secrets: GithubActionsSecret[], ctx: CheckContext): Finding[] {
  const max = maxSecretAge(ctx);
  return secrets.flatMap((s) => {
    const last = s.updated ?? s.created;
    if (!last) return [];
    const age = days(last, ctx.now);
    if (age <= max) return [];
    return [
      githubFinding(checkId, {
        resource: secretResource(on, s),
        message: `The ${secretLabel(on, s)} was last set ${dateOnly(last)} (${age} days ago), longer than the ${max}-day rotation threshold; whatever credential it holds has not been rotated since.`,
        evidence: { secret: s.name, scope: s.scope, environment: s.environment, updated: last, ageDays: age, maxSecretAgeDays: max },
      }),
    ];
  });
}

/** Secret names that say they hold a static cloud credential, and the OIDC alternative. */
const CLOUD_NAMES: Array<{ provider: 'aws' | 'gcp' | 'azure'; re: RegExp }> = [
  { provider: 'aws', re: /^AWS_(ACCESS_KEY_ID|SECRET_ACCESS_KEY|SECRET_KEY|ACCESS_KEY)$|AWS.*(SECRET_ACCESS_KEY|ACCESS_KEY_ID)$/ },
  { provider: 'gcp', re: /^(GCP|GCLOUD|GOOGLE|GKE)_.*(SA_KEY|SERVICE_ACCOUNT_KEY|CREDENTIALS|CREDENTIALS_JSON|KEY_JSON)$|^GOOGLE_APPLICATION_CREDENTIALS/ },
  { provider: 'azure', re: /^AZURE_(CREDENTIALS|CLIENT_SECRET)$|^ARM_CLIENT_SECRET$/ },
];

export function cloudProviderOf(name: string): 'aws' | 'gcp' | 'azure' | undefined {
  const n = name.toUpperCase();
  return CLOUD_NAMES.find((c) => c.re.test(n))?.provider;
}

const OIDC_FIX: Record<string, string> = {
  aws: 'aws-actions/configure-aws-credentials with role-to-assume and `permissions: id-token: write`',
  gcp: 'google-github-actions/auth with workload_identity_provider',
  azure: 'azure/login with client-id, tenant-id and subscription-id (federated credential)',
};

export function cloudKeySecrets(checkId: string, on: string, secrets: GithubActionsSecret[]): Finding[] {
  return secrets.flatMap((s) => {
    const provider = cloudProviderOf(s.name);
    if (!provider) return [];
    return [
      githubFinding(checkId, {
        resource: secretResource(on, s),
        message: `The ${secretLabel(on, s)} is named like a static ${provider.toUpperCase()} credential. GitHub Actions can get short-lived cloud credentials through OIDC instead (${OIDC_FIX[provider]}), so no long-lived key needs to be stored.`,
        evidence: { secret: s.name, scope: s.scope, environment: s.environment, provider },
      }),
    ];
  });
}
