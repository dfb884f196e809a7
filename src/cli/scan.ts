import { type Command } from 'commander';
import { activeSecretRules, secretAllowlist, warnUnknownDisabled } from '../config/apply.js';
import type { NhiConfig } from '../config/load.js';
import type { Source } from '../model/artifact.js';
import { runPipeline, type PipelineOptions } from '../pipeline/run.js';
import { Progress } from '../progress/progress.js';
import { loadSecretRules } from '../rules/catalog.js';
import { CodeSource, type CodeSourceOptions } from '../sources/code/index.js';
import type { HistoryRange } from '../sources/git/history.js';
import { error as logError, info as logInfo, setQuiet } from '../util/log.js';
import { addOutputOptions, checkGateOptions, configFor, finishRun, repeatable, type OutputOptions, type RunResult } from './common.js';
import { UsageError } from './errors.js';
import { parseShard, selectShard } from './shard.js';
import { parseSize } from './size.js';

export interface ScanCliOptions extends OutputOptions {
  history: boolean;
  since?: string;
  commits?: string;
  staged?: boolean;
  exclude: string[];
  maxFileSize: string;
  threads?: string;
  shard?: string;
  includeDeps?: boolean;
}

export function rangeOf(o: ScanCliOptions): HistoryRange {
  const modes = [o.since !== undefined, o.commits !== undefined, o.staged === true].filter(Boolean).length;
  if (modes > 1) throw new UsageError('--since, --commits and --staged are mutually exclusive');
  if (o.since !== undefined) return { kind: 'since', ref: o.since };
  if (o.commits !== undefined) return { kind: 'commits', range: o.commits };
  return { kind: 'all' };
}

function threadsOf(o: Pick<ScanCliOptions, 'threads'>): number | undefined {
  if (o.threads === undefined) return undefined;
  const n = Number(o.threads);
  if (!Number.isInteger(n) || n < 1 || n > 64) throw new UsageError(`--threads expects a number from 1 to 64, got '${o.threads}'`);
  return n;
}

export function wantsLiveView(o: { quiet?: boolean }): boolean {
  return process.stderr.isTTY === true && !o.quiet && !process.env.CI && process.env.TERM !== 'dumb';
}

/** What every pipeline run of a command shares: rules and allowlist from the config, threads, size limit, clock. */
export function pipelineOptions(o: Pick<ScanCliOptions, 'maxFileSize' | 'threads' | 'showSecrets'>, config: NhiConfig, now: Date, progress?: Progress): PipelineOptions {
  return {
    rules: activeSecretRules(config, loadSecretRules()),
    threads: threadsOf(o),
    maxFileSize: parseSize(o.maxFileSize ?? '10MB', '--max-file-size'),
    showSecrets: o.showSecrets === true,
    allowlisted: secretAllowlist(config),
    check: { now, thresholds: { ...config.thresholds } },
    progress,
  };
}

/** Run sources through the pipeline with the live view on a TTY; failed targets are said on stderr. */
export async function runWithProgress(sources: Source[], opts: PipelineOptions, o: { quiet?: boolean }): Promise<RunResult> {
  const progress = opts.progress instanceof Progress ? opts.progress : new Progress();
  const view = wantsLiveView(o) ? (await import('../progress/view.js')).startProgressView(progress) : undefined;
  let run: RunResult;
  try {
    run = await runPipeline(sources, { ...opts, progress });
  } finally {
    view?.finish(progress.findings);
  }
  for (const t of run.targets) if (t.status === 'error') logError(t.error ?? `${t.path}: could not be scanned`);
  return run;
}

/** The code sources for PATHs (one target each). */
export function codeSources(paths: string[], o: ScanCliOptions, config: NhiConfig): Source[] {
  const maxFileSize = parseSize(o.maxFileSize, '--max-file-size');
  if (maxFileSize < 1) throw new UsageError(`--max-file-size must be at least 1 byte, got '${o.maxFileSize}' (it would skip every file)`);
  const opts: CodeSourceOptions = {
    history: o.history,
    range: rangeOf(o),
    staged: o.staged === true,
    excludes: [...config.exclude, ...o.exclude],
    maxFileSize,
    repoIgnore: o.repoConfig !== false,
    includeDeps: o.includeDeps === true,
  };
  return paths.map((p) => new CodeSource(p, opts));
}

/** The options that choose what a code scan reads (shared by `scan` and `baseline create`). */
export function addScanOptions(cmd: Command, defaultPaths: string[] | null = ['.']): Command {
  return cmd
    .argument('[paths...]', 'directories, repositories or files to scan', defaultPaths ?? undefined)
    .option('--no-history', 'skip git history (working tree only)')
    .option('--since <ref>', 'only history that HEAD adds over REF (PR gate: --since origin/main)')
    .option('--commits <range>', 'only history in the range A..B')
    .option('--staged', 'only what is staged for the next commit (pre-commit hook)')
    .option('--exclude <glob>', 'exclude paths (gitignore syntax; repeatable; also read from .nhi-auditignore and the config file)', repeatable, [])
    .option('--include-deps', 'also scan dependency and build folders git ignores (node_modules/, vendor/, .venv/, venv/, site-packages/, bower_components/, .tox/, target/, .gradle/)')
    .option('--max-file-size <size>', 'skip files and blobs larger than this', '10MB')
    .option('--threads <n>', 'worker threads for detection (default: one per core)')
    .option('--shard <i/n>', 'scan only the PATHs of shard I of N (a deterministic split by path; join the JSON reports with `nhi-audit merge`)');
}

/**
 * Run a code scan as the options and the config file say: the config's excludes, rules
 * (built-in minus disabled, plus custom) and allowlist apply here, before findings exist.
 */
export async function collectCodeScan(paths: string[], o: ScanCliOptions, config: NhiConfig): Promise<RunResult> {
  const shard = parseShard(o.shard);
  const all = paths.length ? paths : ['.'];
  const selected = selectShard(all, shard);
  if (shard) logInfo(`shard ${shard.index}/${shard.count}: ${selected.length} of ${all.length} target${all.length === 1 ? '' : 's'}`);
  warnUnknownDisabled(config);
  const sources = codeSources(selected, o, config);
  return runWithProgress(sources, pipelineOptions(o, config, new Date()), o);
}

export function registerScan(program: Command): void {
  const cmd = program
    .command('scan')
    .description('find secrets and agent credentials in directories and git repositories (working tree and full history)');
  addScanOptions(cmd);
  addOutputOptions(cmd);
  cmd.addHelpText(
    'after',
    `
Examples:
  $ nhi-audit scan                                  the current directory, working tree and all history
  $ nhi-audit scan ~/src/api ~/src/web -f json -o findings.json
  $ nhi-audit scan --no-history --exclude 'fixtures/**' .
  $ nhi-audit scan --since origin/main --fail-on medium     PR gate
  $ nhi-audit scan --commits v1.2.0..v1.3.0
  $ nhi-audit scan --staged                          pre-commit hook
  $ nhi-audit scan -f sarif -o nhi-audit.sarif       for github/codeql-action/upload-sarif
  $ nhi-audit scan --baseline .nhi-audit-baseline.json      only findings not in the baseline
  $ nhi-audit scan --shard 2/8 -f json -o shard-2.json repos/*   one job of an 8-job matrix

Suppress a false positive with a comment containing "nhi-audit:ignore" (optionally followed by rule ids) on its line,
or with an allowlist in .nhi-audit.yaml.`,
  );
  cmd.action(async (paths: string[], o: ScanCliOptions) => {
    setQuiet(o.quiet === true);
    const config = configFor(o, paths);
    checkGateOptions(o, config);
    const run = await collectCodeScan(paths, o, config);
    process.exitCode = finishRun(run, o, config);
  });
}
