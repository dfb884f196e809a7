import type { Check } from '../types.js';
import { actionName } from './lib/workflow.js';
import { workflowFinding, type Workflows } from './lib/finding.js';

const PRIVILEGED = ['pull_request_target', 'workflow_run'];
const HEAD = /github\.event\.pull_request\.head|github\.head_ref|github\.event\.workflow_run\.head_(sha|branch)|refs\/pull\//;

export const check: Check<Workflows> = {
  id: 'github-workflow-untrusted-checkout',
  run(wfs) {
    return wfs.flatMap((wf) => {
      const trig = wf.triggers.filter((t) => PRIVILEGED.includes(t));
      if (trig.length === 0) return [];
      return wf.jobs.flatMap((j) =>
        j.steps.flatMap((s) => {
          if (!s.uses || actionName(s.uses.value) !== 'actions/checkout') return [];
          const ref = s.with.ref ?? s.with.repository;
          if (!ref || !HEAD.test(ref.value)) return [];
          const secrets = wf.secretExpressions.filter((e) => e.job === j.id || e.job === undefined).length;
          return [
            workflowFinding(this.id, wf, {
              line: ref.line,
              message: `${wf.path} runs on ${trig.join(', ')} (with the base repository's secrets and a token that can write) and job ${j.id} checks out the pull request's code (${ref.value.trim()}): anything that code's build runs can steal them${secrets ? `; the job reads ${secrets} secret expression${secrets === 1 ? '' : 's'}` : ''}.`,
              evidence: { triggers: trig, job: j.id, ref: ref.value.trim(), secretExpressions: secrets },
            }),
          ];
        }),
      );
    });
  },
};
