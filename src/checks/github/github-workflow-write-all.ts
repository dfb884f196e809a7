import type { Check } from '../types.js';
import { workflowFinding, type Workflows } from './lib/finding.js';

export const check: Check<Workflows> = {
  id: 'github-workflow-write-all',
  run(wfs) {
    return wfs.flatMap((wf) => {
      if (wf.parseError) return [];
      const out = [];
      if (wf.permissions?.all === 'write-all') {
        out.push(
          workflowFinding(this.id, wf, {
            line: wf.permissions.line,
            message: `${wf.path} gives every job a GITHUB_TOKEN with \`permissions: write-all\`.`,
            evidence: { permissions: 'write-all' },
          }),
        );
      }
      for (const j of wf.jobs) {
        if (j.permissions?.all !== 'write-all') continue;
        out.push(
          workflowFinding(this.id, wf, {
            line: j.permissions.line,
            message: `Job ${j.id} of ${wf.path} runs with \`permissions: write-all\`.`,
            evidence: { job: j.id, permissions: 'write-all' },
          }),
        );
      }
      const declares = wf.permissions !== undefined || (wf.jobs.length > 0 && wf.jobs.every((j) => j.permissions !== undefined));
      if (!declares && wf.defaultWorkflowPermissions === 'write') {
        out.push(
          workflowFinding(this.id, wf, {
            line: wf.onLine,
            discriminator: 'default',
            message: `${wf.path} declares no \`permissions:\` and the repository's default GITHUB_TOKEN permission is write, so its jobs${wf.jobs.some((j) => j.permissions === undefined) ? ` (${wf.jobs.filter((j) => j.permissions === undefined).map((j) => j.id).join(', ')})` : ''} get a read-write token.`,
            evidence: { defaultWorkflowPermissions: 'write' },
          }),
        );
      }
      return out;
    });
  },
};
