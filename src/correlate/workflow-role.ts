import type { Finding } from '../model/finding.js';
import { correlationFinding } from './make.js';

/** What correlation reads of a parsed workflow (src/model/github.ts WorkflowFile has more). */
export interface WorkflowFacts {
  path: string;
  repo?: string;
  target?: number;
  roleAssumptions?: Array<{ roleArn: string; line: number; job?: string }>;
  staticCloudKeys?: Array<{ provider: string; secretNames: string[]; line: number; job?: string }>;
}

const CI_USER = /github|actions|\bci\b|ci[-_]|[-_]ci|deploy|pipeline|cicd|build/i;

/**
 * Workflow ↔ role: a workflow that assumes a role whose OIDC trust has no `sub` restriction (the
 * IAM check found it) gets a finding on the workflow's line, so code scanning shows it where the
 * role is used. A workflow that passes static AWS keys while the account has old active keys on a
 * CI-looking user links both.
 */
export function joinWorkflowsAndRoles(findings: Finding[], workflows: WorkflowFacts[]): Finding[] {
  const out: Finding[] = [];
  const unrestricted = new Map(findings.filter((f) => f.ruleId === 'aws-oidc-trust-unrestricted' && f.location.resource).map((f) => [f.location.resource!, f]));
  const oldKeys = findings.filter((f) => (f.ruleId === 'aws-access-key-age' || f.ruleId === 'aws-service-user-key-never-rotated') && f.location.resource);
  for (const w of workflows) {
    const where = (line: number) => ({ path: w.path, line, ...(w.target !== undefined ? { target: w.target } : {}) });
    for (const r of w.roleAssumptions ?? []) {
      const iam = unrestricted.get(r.roleArn);
      if (!iam) continue;
      out.push(
        correlationFinding('workflow-assumes-unrestricted-role', {
          subject: `${w.repo ?? ''}:${w.path}:${r.roleArn}`,
          location: { ...where(r.line), resource: r.roleArn },
          source: 'github-workflow',
          message: `${w.path}:${r.line}${r.job ? ` (job ${r.job})` : ''} assumes ${r.roleArn}, whose trust policy accepts GitHub OIDC tokens without a sub restriction: any repository's workflow can assume it.`,
          related: [iam.id],
          evidence: { role: r.roleArn, workflow: w.path, ...(r.job ? { job: r.job } : {}), iamFinding: iam.id, ...(w.repo ? { repository: w.repo } : {}) },
        }),
      );
    }
    for (const k of w.staticCloudKeys ?? []) {
      if (k.provider !== 'aws') continue;
      const candidates = oldKeys.filter((f) => CI_USER.test(f.location.resource!) || (w.repo !== undefined && f.location.resource!.toLowerCase().includes(w.repo.split('/').pop()!.toLowerCase())));
      if (!candidates.length) continue;
      out.push(
        correlationFinding('workflow-static-aws-keys-live', {
          subject: `${w.repo ?? ''}:${w.path}:${k.line}`,
          location: where(k.line),
          source: 'github-workflow',
          message: `${w.path}:${k.line} passes static AWS keys (${k.secretNames.join(', ')}), and IAM shows long-lived active keys on ${[...new Set(candidates.map((c) => c.location.resource!.split('/').pop()))].slice(0, 5).join(', ')}.`,
          related: candidates.map((c) => c.id),
          evidence: { secrets: k.secretNames, iamUsers: [...new Set(candidates.map((c) => c.location.resource))].slice(0, 5) },
        }),
      );
    }
  }
  return out;
}
