import type { Check } from '../types.js';
import { ghResource, githubFinding, type Repos } from './lib/finding.js';

const PROD = /prod/i;

export const check: Check<Repos> = {
  id: 'github-environment-no-approval',
  run(repos) {
    return repos.flatMap((r) =>
      (r.environments ?? []).flatMap((e) => {
        if (e.requiredReviewers > 0 || e.branchPolicy) return [];
        const secrets = (e.secrets ?? []).map((s) => s.name);
        const deploys = (r.workflowEnvironments ?? []).filter((u) => u.environment === e.name);
        const production = PROD.test(e.name) && deploys.length > 0;
        if (secrets.length === 0 && !production) return [];
        const why = [
          secrets.length > 0 ? `holds ${secrets.length} secret${secrets.length === 1 ? '' : 's'} (${secrets.join(', ')})` : undefined,
          deploys.length > 0 ? `is deployed to by ${[...new Set(deploys.map((d) => d.path))].join(', ')}` : undefined,
        ].filter(Boolean);
        const first = deploys[0];
        return [
          githubFinding(this.id, {
            resource: ghResource(r.repo, 'environment', e.name),
            ...(first ? { path: first.path, line: first.line } : {}),
            message: `Environment ${e.name} of ${r.repo} ${why.join(' and ')}, but has no required reviewers and no deployment branch policy: any workflow run on any branch, or an agent driving one, can use it without a human approving.`,
            evidence: { environment: e.name, secrets, workflows: deploys.map((d) => `${d.path}:${d.line}`), requiredReviewers: 0, branchPolicy: false },
          }),
        ];
      }),
    );
  },
};
