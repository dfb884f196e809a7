import type { Command } from 'commander';
import { createBaseline, DEFAULT_BASELINE_FILE, loadBaseline, newSalt, writeBaseline } from '../baseline/baseline.js';
import { DEFAULT_SALT, setFingerprintSalt } from '../model/fingerprint.js';
import { applyConfigFilters } from '../config/apply.js';
import type { Finding } from '../model/finding.js';
import type { Report } from '../model/report.js';
import { configFilter } from '../pipeline/filters.js';
import { buildReport } from '../pipeline/report.js';
import { info, setQuiet } from '../util/log.js';
import { addConfigOptions, configFor, repeatable } from './common.js';
import { EXIT_ERROR, EXIT_OK, UsageError } from './errors.js';
import { readReportFile } from './merge.js';
import { addScanOptions, collectCodeScan, type ScanCliOptions } from './scan.js';

interface BaselineCliOptions extends Omit<ScanCliOptions, 'format'> {
  output: string;
  fromReport?: string[];
}

/**
 * `nhi-audit baseline create`: record today's findings (ids and secret fingerprints, no values) so
 * that `--baseline FILE` reports and gates only what is new.
 */
export function registerBaseline(program: Command): void {
  const baseline = program.command('baseline').description('record accepted findings so CI reports only new ones (--baseline FILE)');
  const create = baseline
    .command('create')
    .description('scan (same options as `scan`) or read JSON reports, and write the findings as a baseline: ids and secret fingerprints only, never values');
  addScanOptions(create);
  create
    .option('-o, --output <file>', 'baseline file to write', DEFAULT_BASELINE_FILE)
    .option('--from-report <file>', 'take the findings from a JSON report (any command\'s -f json output; repeatable) instead of scanning', repeatable)
    .option('-q, --quiet', 'no progress or warnings on stderr', false);
  addConfigOptions(create);
  create.addHelpText(
    'after',
    `
Examples:
  $ nhi-audit baseline create -o .nhi-audit-baseline.json          scan . (tree and history) and record what is there
  $ nhi-audit scan --baseline .nhi-audit-baseline.json             later: only new findings, and only they fail the gate
  $ nhi-audit baseline create --from-report aws.json -o aws-baseline.json
  $ nhi-audit aws --baseline aws-baseline.json

Findings are matched by id (rule + secret hash, or check + resource): a secret that moves to another line
or file stays baselined; a different secret on a baselined line is new.`,
  );
  create.action(async (paths: string[], o: BaselineCliOptions) => {
    setQuiet(o.quiet === true);
    const config = configFor(o, paths);
    // Re-creating a baseline keeps its salt (small diffs); a new one gets a random salt. Findings
    // taken from a report keep the salt that report was made with: the default one.
    let salt = newSalt();
    try {
      const old = loadBaseline(o.output);
      if (old.file.salt) salt = old.file.salt;
    } catch {
      // no baseline there yet
    }
    if (o.fromReport) salt = DEFAULT_SALT;
    setFingerprintSalt(salt);
    let findings: Finding[];
    let failed = false;
    if (o.fromReport) {
      if (paths.length > 1 || paths[0] !== '.') throw new UsageError('give either PATHs to scan or --from-report, not both');
      const reports: Report[] = o.fromReport.map(readReportFile);
      findings = reports.flatMap((r) => r.findings);
    } else {
      const run = await collectCodeScan(paths, { ...o, format: 'json' }, config);
      failed = run.targets.some((t) => t.status === 'error');
      // The same grouping and config filters as a report, so the ids are the ones `scan` will show.
      findings = buildReport(run, { filters: [configFilter(config)] }).findings;
    }
    const b = createBaseline(findings, new Date(), salt);
    writeBaseline(o.output, b);
    info(`wrote ${b.findings.length} finding${b.findings.length === 1 ? '' : 's'} to ${o.output}`);
    if (failed) info('a target could not be scanned: the baseline covers only what was read');
    process.exitCode = failed ? EXIT_ERROR : EXIT_OK;
  });
}

