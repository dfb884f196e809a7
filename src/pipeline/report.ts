import { joinOpenServersAndTokens } from '../correlate/agent.js';
import { markEnvironmentMixing } from '../correlate/environments.js';
import { groupFindings, sortFindings } from '../correlate/group.js';
import { joinLeakedAndLive } from '../correlate/leaked-live.js';
import { joinWorkflowsAndRoles, type WorkflowFacts } from '../correlate/workflow-role.js';
import type { AwsInventory } from '../model/aws.js';
import type { Finding } from '../model/finding.js';
import type { McpConfigFile, McpEndpointObservation } from '../model/mcp.js';
import { OWASP_IDS, type OwaspId } from '../model/owasp.js';
import { SCHEMA_VERSION, type Report, type Summary, type TargetResult } from '../model/report.js';
import { SEVERITIES, type Severity } from '../model/severity.js';
import { allRuleMetas } from '../rules/catalog.js';
import { scoreFinding, type ScoreFacts } from '../score/score.js';
import { TOOL_NAME, TOOL_VERSION } from '../util/version.js';
import { runFilters, type FindingFilter } from './filters.js';
import { buildInventory } from './inventory.js';
import { buildPosture } from './posture.js';
import type { RunResult } from './run.js';

export function summarize(targets: TargetResult[], findings: Finding[]): Summary {
  const bySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  const assessed = new Set<OwaspId>(targets.flatMap((t) => (t.status === 'error' ? [] : (t.assessed ?? []))));
  const byOwasp = Object.fromEntries(OWASP_IDS.map((id) => [id, assessed.has(id) ? 0 : 'not assessed'])) as Summary['byOwasp'];
  for (const f of findings) {
    bySeverity[f.severity]++;
    for (const o of f.owasp) byOwasp[o] = typeof byOwasp[o] === 'number' ? (byOwasp[o] as number) + 1 : 1;
  }
  return { total: findings.length, bySeverity, byOwasp };
}

/** Strip secret values unless the user asked to see them (defence in depth: sources should not set them). */
function scrub(f: Finding, showSecrets: boolean): Finding {
  if (showSecrets || !f.secret || f.secret.value === undefined) return f;
  const { value: _v, ...secret } = f.secret;
  return { ...f, secret };
}

/** Facts a finding already carried (a merged report's findings keep what their run's correlation knew). */
function carriedFacts(f: Finding): ScoreFacts {
  const has = (x: string) => f.factors?.some((y) => y.factor === x) === true;
  return {
    ...(has('confirmed-active') ? { confirmedActive: true } : {}),
    ...(has('admin') ? { privilege: 'admin' as const } : has('escalation') ? { privilege: 'escalation' as const } : has('write') ? { privilege: 'write' as const } : {}),
    ...(has('public') ? { public: true } : {}),
  };
}

export interface ReportOptions {
  filters?: FindingFilter[];
  showSecrets?: boolean;
  /** Rotation threshold for the "old" score factor. */
  maxKeyAgeDays?: number;
}

/**
 * The end of the pipeline: filters as one list, correlation across sources (one credential one
 * finding, reuse and isolation, leaked-and-live, workflow ↔ role, the agent story), one scorer,
 * the inventory and the OWASP posture — the one Report every format renders and the gate judges.
 */
export function buildReport(run: RunResult, opts: ReportOptions = {}): Report {
  const now = run.now ?? new Date();
  const { kept, counts } = runFilters(run.findings, opts.filters ?? []);
  const targets = run.targets.map((t, i) => {
    const stats = { ...t.stats };
    for (const c of counts) if (c.dropped.has(i)) stats[c.stat] = (stats[c.stat] ?? 0) + c.dropped.get(i)!;
    return { ...t, stats };
  });
  const obs = run.observations ?? [];
  const accounts = obs.filter((o) => o.type === 'aws-account').map((o) => o.data as AwsInventory);
  const configs = obs.filter((o) => o.type === 'mcp-config').map((o) => o.data as McpConfigFile);
  const endpoints = obs.filter((o) => o.type === 'mcp-endpoint').map((o) => o.data as McpEndpointObservation);
  const workflows = obs.filter((o) => o.type === 'github-workflow').map((o) => ({ ...(o.data as WorkflowFacts), target: o.target }));
  const identities = (run.identities ?? []).map((r) => ({ ...r }));

  const facts = new Map<string, ScoreFacts>();
  let findings = groupFindings(kept);
  joinLeakedAndLive(findings, accounts, identities, facts, now);
  markEnvironmentMixing(findings);
  findings.push(...joinWorkflowsAndRoles(findings, workflows), ...joinOpenServersAndTokens(findings, configs));
  findings = groupFindings(findings);

  const precision = new Map(allRuleMetas().map((m) => [m.id, m.precision]));
  const publicUrls = new Set(endpoints.filter((e) => e.hostClass === 'public').map((e) => e.url));
  for (const f of findings) {
    const fx: ScoreFacts = { ...carriedFacts(f), ...facts.get(f.id), maxAgeDays: opts.maxKeyAgeDays ?? 365 };
    if (f.location.resource && publicUrls.has(f.location.resource)) fx.public = true;
    if (precision.get(f.ruleId) === 'low') fx.lowPrecision = true;
    scoreFinding(f, fx, now);
  }
  findings = sortFindings(findings).map((f) => scrub(f, opts.showSecrets === true));
  const inventory = buildInventory(identities, run.identityTargets ?? {}, findings, now);
  const report: Report = {
    schemaVersion: SCHEMA_VERSION,
    tool: { name: TOOL_NAME, version: TOOL_VERSION },
    startedAt: run.startedAt.toISOString(),
    finishedAt: (run.finishedAt ?? new Date()).toISOString(),
    targets,
    findings,
    summary: summarize(targets, findings),
    posture: buildPosture(targets, findings, inventory),
    inventory,
  };
  return report;
}
