import type { Finding } from '../../../model/finding.js';
import type { GithubActionsSettings } from '../../../model/github.js';
import { ghResource, githubFinding } from './finding.js';

export function tokenWrite(checkId: string, on: string, kind: string, a: GithubActionsSettings | undefined): Finding[] {
  if (a?.defaultWorkflowPermissions !== 'write') return [];
  return [
    githubFinding(checkId, {
      resource: ghResource(on, 'actions', 'default-workflow-permissions'),
      message: `The default GITHUB_TOKEN permission of ${kind} ${on} is read and write: every workflow that does not declare \`permissions:\` gets a token that can push code, publish releases and change issues.`,
      evidence: { on, defaultWorkflowPermissions: 'write' },
    }),
  ];
}

export function approvePrs(checkId: string, on: string, kind: string, a: GithubActionsSettings | undefined): Finding[] {
  if (a?.canApprovePullRequestReviews !== true) return [];
  return [
    githubFinding(checkId, {
      resource: ghResource(on, 'actions', 'can-approve-pull-request-reviews'),
      message: `GitHub Actions may approve pull requests in ${kind} ${on}: a workflow (or code it runs) can open a pull request and approve it, getting around required reviews.`,
      evidence: { on, canApprovePullRequestReviews: true },
    }),
  ];
}
