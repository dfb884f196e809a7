import type { Finding } from '../model/finding.js';

/** What a check knows besides its input: the clock and thresholds (from flags or the config file). */
export interface CheckContext {
  now: Date;
  thresholds: { maxKeyAgeDays: number; maxUnusedDays: number; [k: string]: number };
}

/**
 * A posture check: one file in src/checks/<area>/<id>.ts exporting `check`, with its metadata in
 * rules/checks/<id>.yaml. The metadata's `reads:` names the observation type the check reads
 * (aws-account, mcp-config, mcp-endpoint, github-org, github-repo, github-workflow …); the pipeline
 * finds the check from its metadata (no registry), builds its input from the run's observations of
 * that type (src/pipeline/datasets.ts: `{files}` for mcp-config, `{endpoints}` for mcp-endpoint,
 * one AwsInventory per account, and by default the list of observations) and returns findings built
 * with makePostureFinding. Checks never import sources, and scores are the pipeline's.
 */
export interface Check<Input> {
  id: string;
  run(input: Input, ctx: CheckContext): Finding[];
}
