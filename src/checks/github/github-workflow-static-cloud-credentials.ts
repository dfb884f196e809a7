import type { Check } from '../types.js';
import { workflowFinding, type Workflows } from './lib/finding.js';

const FIX: Record<string, string> = {
  aws: 'role-to-assume with `permissions: id-token: write`',
  gcp: 'workload_identity_provider and service_account',
  azure: 'client-id, tenant-id and subscription-id with a federated credential',
};

export const check: Check<Workflows> = {
  id: 'github-workflow-static-cloud-credentials',
  run(wfs) {
    return wfs.flatMap((wf) =>
      wf.staticCloudKeys.map((k) =>
        workflowFinding(this.id, wf, {
          line: k.line,
          discriminator: `${k.job ?? ''}:${k.provider}:${k.line}`,
          message: `${wf.path}${k.job ? ` (job ${k.job})` : ''} passes a static ${k.provider.toUpperCase()} credential${k.secretNames.length ? ` from ${k.secretNames.map((n) => `secrets.${n}`).join(', ')}` : ''} to ${k.via}; use OIDC (${FIX[k.provider]}) so no long-lived key is stored in GitHub.`,
          evidence: { provider: k.provider, secrets: k.secretNames, via: k.via, job: k.job },
        }),
      ),
    );
  },
};
