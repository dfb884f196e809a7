import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import type { Command } from 'commander';
import type { Finding, Location } from '../model/finding.js';
import type { Report, TargetResult } from '../model/report.js';
import { PACKAGE_ROOT } from '../util/paths.js';
import { addOutputOptions, finishRun, type OutputOptions, type RunResult } from './common.js';
import { UsageError } from './errors.js';

/**
 * `nhi-audit merge`: join the JSON reports of several runs (the shards of a CI matrix, or scan +
 * aws + mcp) into one report in any format, re-correlating findings across them: a secret found by
 * two shards becomes one finding with both occurrences, as if one run had scanned everything.
 */

let validator: ValidateFunction | undefined;
function validateReport(): ValidateFunction {
  if (!validator) {
    const ajv = new Ajv({ allErrors: false, strict: false });
    ajv.addFormat('date-time', (s: string) => !Number.isNaN(Date.parse(s)));
    validator = ajv.compile(JSON.parse(readFileSync(join(PACKAGE_ROOT, 'src', 'report', 'report.schema.json'), 'utf8')));
  }
  return validator;
}

/** Read one JSON report; anything else is a usage error naming the file and the problem. */
export function readReportFile(path: string): Report {
  let text: string;
  try {
    text = readFileSync(path === '-' ? 0 : path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UsageError(`${path}: cannot read (${code === 'ENOENT' ? 'no such file' : code})`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new UsageError(`${path}: not a JSON report (produce one with -f json)`);
  }
  const v = validateReport();
  if (!v(data)) {
    const e = v.errors![0];
    throw new UsageError(`${path}: not an nhi-audit JSON report: ${e.instancePath || '(top level)'} ${e.message ?? 'is invalid'}`);
  }
  const r = data as Report;
  if (!/^1\./.test(r.schemaVersion)) throw new UsageError(`${path}: report schemaVersion ${r.schemaVersion} is not supported (expected 1.x)`);
  return r;
}

const REUSE_NOTE = / Seen in \d+ places \(reuse\)\.$/;

function retarget<T extends Location>(l: T, offset: number): T {
  return { ...l, target: (l.target ?? 0) + offset };
}

/** Concatenate the targets and re-index every finding's target; correlation happens in finishRun. */
export function mergeReports(reports: Report[]): RunResult {
  const targets: TargetResult[] = [];
  const findings: Finding[] = [];
  let started: string | undefined;
  let finished: string | undefined;
  for (const r of reports) {
    const offset = targets.length;
    targets.push(...r.targets);
    for (const f of r.findings) {
      findings.push({
        ...f,
        // The reuse note is recomputed from the merged occurrences.
        message: f.message.replace(REUSE_NOTE, ''),
        location: retarget(f.location, offset),
        occurrences: f.occurrences.map((o) => retarget(o, offset)),
      });
    }
    if (r.startedAt && (!started || r.startedAt < started)) started = r.startedAt;
    if (r.finishedAt && (!finished || r.finishedAt > finished)) finished = r.finishedAt;
  }
  const run: RunResult = { targets, findings, startedAt: started ? new Date(started) : new Date() };
  if (finished) run.finishedAt = new Date(finished);
  return run;
}

export function registerMerge(program: Command): void {
  const cmd = program
    .command('merge')
    .description('merge JSON reports (e.g. the shards of a CI matrix) into one report in any format, re-correlating their findings')
    .argument('<reports...>', 'JSON reports written with -f json (- reads one from stdin)');
  addOutputOptions(cmd);
  cmd.addHelpText(
    'after',
    `
Examples:
  $ nhi-audit merge shard-*.json -f sarif -o nhi-audit.sarif
  $ nhi-audit merge code.json aws.json -f markdown >> "$GITHUB_STEP_SUMMARY"
  $ nhi-audit merge shard-*.json --baseline .nhi-audit-baseline.json --fail-on high

The gate (--fail-on, --fail-on-score, --baseline, the config file) applies to the merged findings.`,
  );
  cmd.action((files: string[], o: OutputOptions) => {
    const reports = files.map(readReportFile);
    process.exitCode = finishRun(mergeReports(reports), o);
  });
}
