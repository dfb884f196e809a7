import type { CheckContext } from '../../src/checks/types.js';
import { DEFAULT_THRESHOLDS } from '../../src/config/load.js';
import type { AwsInventory } from '../../src/model/aws.js';
import type { Finding } from '../../src/model/finding.js';
import type { Report, TargetResult } from '../../src/model/report.js';
import { loadChecks, runLoadedChecks } from '../../src/pipeline/checks.js';
import { buildReport as pipelineReport } from '../../src/pipeline/report.js';
import { runPipeline } from '../../src/pipeline/run.js';
import { TargetTable } from '../../src/pipeline/targets.js';
import { loadSecretRules } from '../../src/rules/catalog.js';
import { AwsSource, type AwsSourceOptions } from '../../src/sources/aws/index.js';
import { parseMcpConfig } from '../../src/sources/mcp/analyze.js';
import { McpSource, type McpScanOptions } from '../../src/sources/mcp/source.js';

// Tests drive the real pipeline stages in-process (the end-to-end suites run the built CLI).

const defaultCtx = (): CheckContext => ({ now: new Date(), thresholds: { ...DEFAULT_THRESHOLDS } });

/** The report of a set of targets and raw findings, as every command builds it. */
export function buildReport(i: { targets: TargetResult[]; findings: Finding[]; showSecrets?: boolean }): Report {
  return pipelineReport({ targets: i.targets, findings: i.findings, startedAt: new Date() }, { showSecrets: i.showSecrets });
}

/** One AWS account through the pipeline (no secret detection): its target, posture findings and IAM data. */
export async function scanAws(o: AwsSourceOptions & { ctx: CheckContext }): Promise<{ target: TargetResult; findings: Finding[]; inventory?: AwsInventory }> {
  const run = await runPipeline([new AwsSource(o)], { rules: loadSecretRules(), maxFileSize: 10 << 20, showSecrets: false, check: o.ctx });
  const inv = run.observations?.find((x) => x.type === 'aws-account')?.data as AwsInventory | undefined;
  return { target: run.targets[0], findings: run.findings, inventory: inv };
}
export type AwsScanResult = Awaited<ReturnType<typeof scanAws>>;

/** MCP configs and endpoints through the pipeline. */
export async function scanMcp(o: McpScanOptions): Promise<{ targets: TargetResult[]; findings: Finding[] }> {
  const run = await runPipeline([new McpSource(o)], { rules: loadSecretRules(), maxFileSize: 10 << 20, showSecrets: false, check: defaultCtx(), threads: 1 });
  return { targets: run.targets, findings: run.findings };
}

/** The MCP config checks over one file's text (what `scan` runs on a config it meets). */
const mcpConfigChecks = await loadChecks(['mcp-config']);

export function analyzeMcpConfigText(relPath: string, text: string, opts: { target?: number } = {}): { findings: Finding[]; warnings: string[] } {
  const parsed = parseMcpConfig(relPath, text);
  if (!parsed.file) return { findings: [], warnings: parsed.error ? [parsed.error] : [] };
  const targets = new TargetTable();
  for (let i = 0; i <= (opts.target ?? 0); i++) targets.index({ kind: 'code', path: String(i) });
  const findings = runLoadedChecks(mcpConfigChecks, [{ type: 'mcp-config', target: opts.target ?? 0, data: parsed.file }], defaultCtx(), targets);
  return { findings, warnings: parsed.warnings };
}
