import type { Finding } from '../../../model/finding.js';
import type { GithubOrgObservation, GithubRepoObservation, WorkflowFile } from '../../../model/github.js';
import { makePostureFinding, type PostureFindingInput } from '../../../model/make-finding.js';
import type { CheckContext } from '../../types.js';

/** A finding about a GitHub organisation, repository or identity (source `github`). */
export function githubFinding(checkId: string, i: Omit<PostureFindingInput, 'source'> & { source?: string }): Finding {
  return makePostureFinding(checkId, { source: 'github', ...i });
}

/** `github:org` or `github:org/repo`, plus `:kind:id` for an object in it. */
export function ghResource(on: string, kind?: string, id?: string | number): string {
  return kind === undefined ? `github:${on}` : `github:${on}:${kind}:${id}`;
}

/** Where a workflow finding is about: `github:org/repo:workflow:.github/workflows/x.yml`, or the local path. */
export function workflowResource(wf: WorkflowFile): string {
  return wf.repo ? ghResource(wf.repo, 'workflow', wf.path) : `workflow:${wf.path}`;
}

/** A finding on a workflow line (source `github-workflow`). */
export function workflowFinding(checkId: string, wf: WorkflowFile, i: Omit<PostureFindingInput, 'source' | 'resource' | 'path'> & { line: number }): Finding {
  return makePostureFinding(checkId, {
    source: 'github-workflow',
    resource: workflowResource(wf),
    path: wf.path,
    discriminator: i.discriminator ?? `line ${i.line}`,
    ...i,
    evidence: { ...(wf.repo ? { repository: wf.repo } : {}), ...(i.evidence ?? {}) },
  });
}

export const DAY_MS = 86_400_000;

export function days(iso: string, now: Date): number {
  return Math.floor((now.getTime() - Date.parse(iso)) / DAY_MS);
}

/** Rotation threshold for Actions secrets and deploy keys: `maxSecretAgeDays` (config), default 365. */
export function maxSecretAge(ctx: CheckContext): number {
  return ctx.thresholds.maxSecretAgeDays ?? 365;
}

/** The organisations and the repositories of the run, as the checks read them. */
export type Orgs = GithubOrgObservation[];
export type Repos = GithubRepoObservation[];
export type Workflows = WorkflowFile[];

export function dateOnly(iso: string | null | undefined): string {
  return iso ? iso.slice(0, 10) : 'never';
}
