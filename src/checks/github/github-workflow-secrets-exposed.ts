import type { Check } from '../types.js';
import { workflowFinding, type Workflows } from './lib/finding.js';

/** The owner a reusable workflow call goes to (`org/repo/.github/workflows/x.yml@v1`), undefined for a local one. */
function callOwner(uses: string): string | undefined {
  if (uses.startsWith('./')) return undefined;
  return uses.split('/')[0].toLowerCase();
}

export const check: Check<Workflows> = {
  id: 'github-workflow-secrets-exposed',
  run(wfs) {
    return wfs.flatMap((wf) => {
      const out = [];
      const owner = wf.repo?.split('/')[0].toLowerCase();
      for (const j of wf.jobs) {
        if (j.secretsInherit === undefined || !j.uses || owner === undefined) continue;
        const to = callOwner(j.uses.value);
        if (to === undefined || to === owner) continue;
        out.push(
          workflowFinding(this.id, wf, {
            line: j.secretsInherit,
            discriminator: `inherit:${j.id}`,
            message: `Job ${j.id} of ${wf.path} passes every secret (\`secrets: inherit\`) to ${j.uses.value}, a workflow outside ${owner}.`,
            evidence: { job: j.id, kind: 'secrets-inherit', calls: j.uses.value },
          }),
        );
      }
      for (const e of wf.secretExpressions) {
        const all = /toJSON\s*\(\s*secrets\s*\)/i.test(e.expression);
        if (!all && !e.echoed) continue;
        out.push(
          workflowFinding(this.id, wf, {
            line: e.line,
            discriminator: `${all ? 'tojson' : 'echo'}:${e.line}`,
            severity: all ? 'high' : undefined,
            message: all
              ? `${wf.path}${e.job ? ` (job ${e.job})` : ''} serialises every secret with \`toJSON(secrets)\`; one log line or step output away from exposing all of them.`
              : `${wf.path}${e.job ? ` (job ${e.job})` : ''} prints a secret in a script (\`${e.expression}\`); masking misses transformed or partial values, and the log keeps it.`,
            evidence: { job: e.job, kind: all ? 'toJSON(secrets)' : 'echo', expression: e.expression },
          }),
        );
      }
      return out;
    });
  },
};
