import type { Check } from '../types.js';
import { actionName } from './lib/workflow.js';
import { workflowFinding, type Workflows } from './lib/finding.js';

/** Events whose runs build code someone outside the repository wrote. */
const UNTRUSTED = ['pull_request', 'pull_request_target', 'workflow_run', 'issue_comment'];
/** A script step that runs the checked-out code (installs, builds, tests). */
const RUNS_CODE = /\b(npm|npx|yarn|pnpm|bun|make|pip3?|python3?|node|go|cargo|mvn|gradle|\.\/gradlew|bundle|rake|composer|dotnet|tox|pytest)\b|(^|\s)\.\//m;

export const check: Check<Workflows> = {
  id: 'github-workflow-persist-credentials',
  run(wfs) {
    return wfs.flatMap((wf) => {
      const trig = wf.triggers.filter((t) => UNTRUSTED.includes(t));
      if (trig.length === 0) return [];
      return wf.jobs.flatMap((j) => {
        const i = j.steps.findIndex((s) => s.uses && actionName(s.uses.value) === 'actions/checkout' && s.with['persist-credentials']?.value.trim() !== 'false');
        if (i < 0) return [];
        const runner = j.steps.slice(i + 1).find((s) => s.run && RUNS_CODE.test(s.run.value));
        if (!runner) return [];
        const step = j.steps[i];
        return [
          workflowFinding(this.id, wf, {
            line: step.uses!.line,
            message: `Job ${j.id} of ${wf.path} (on ${trig.join(', ')}) checks out without \`persist-credentials: false\`, so the GITHUB_TOKEN stays in .git/config while the job runs the repository's code (line ${runner.run!.line}); that code, or an uploaded artifact of the workspace, can take it.`,
            evidence: { job: j.id, triggers: trig, runsCodeAt: runner.run!.line },
          }),
        ];
      });
    });
  },
};
