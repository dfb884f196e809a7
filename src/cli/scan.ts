import { type Command } from 'commander';
import { ScanPool } from '../detect/pool.js';
import type { Finding } from '../model/finding.js';
import type { TargetResult } from '../model/report.js';
import { Progress } from '../progress/progress.js';
import { loadSecretRules } from '../rules/catalog.js';
import { CODE_ASSESSED, scanCodeTarget, type CodeScanOptions } from '../sources/code/scan-code.js';
import type { HistoryRange } from '../sources/git/history.js';
import { error as logError } from '../util/log.js';
import { addOutputOptions, finishRun, type OutputOptions } from './common.js';
import { UsageError } from './errors.js';
import { parseSize } from './size.js';

export interface ScanCliOptions extends OutputOptions {
  history: boolean;
  since?: string;
  commits?: string;
  staged?: boolean;
  exclude: string[];
  maxFileSize: string;
  threads?: string;
}

function collect(v: string, prev: string[]): string[] {
  return [...prev, v];
}

export function rangeOf(o: ScanCliOptions): HistoryRange {
  const modes = [o.since !== undefined, o.commits !== undefined, o.staged === true].filter(Boolean).length;
  if (modes > 1) throw new UsageError('--since, --commits and --staged are mutually exclusive');
  if (o.since !== undefined) return { kind: 'since', ref: o.since };
  if (o.commits !== undefined) return { kind: 'commits', range: o.commits };
  return { kind: 'all' };
}

function threadsOf(o: ScanCliOptions): number | undefined {
  if (o.threads === undefined) return undefined;
  const n = Number(o.threads);
  if (!Number.isInteger(n) || n < 1 || n > 64) throw new UsageError(`--threads expects a number from 1 to 64, got '${o.threads}'`);
  return n;
}

function wantsLiveView(o: ScanCliOptions): boolean {
  return process.stderr.isTTY === true && !o.quiet && !process.env.CI && process.env.TERM !== 'dumb';
}

/** Scan every PATH with one worker pool; a failed target is reported, the others still run. */
export async function runCodeScan(paths: string[], opts: CodeScanOptions, threads?: number): Promise<{ targets: TargetResult[]; findings: Finding[] }> {
  const pool = new ScanPool(opts.rules, threads);
  const targets: TargetResult[] = [];
  const findings: Finding[] = [];
  try {
    for (const [i, p] of paths.entries()) {
      const r = await scanCodeTarget(p, i, pool, opts).catch((e: Error): { target: TargetResult; findings: Finding[] } => ({
        target: { kind: 'code', path: p, status: 'error', error: `${p}: ${e.message.split('\n')[0]}`, stats: {}, assessed: CODE_ASSESSED },
        findings: [],
      }));
      if (r.target.status === 'error') logError(r.target.error ?? `${p}: could not be scanned`);
      targets.push(r.target);
      findings.push(...r.findings);
    }
  } finally {
    await pool.close();
  }
  return { targets, findings };
}

export function registerScan(program: Command): void {
  const cmd = program
    .command('scan')
    .description('find secrets and agent credentials in directories and git repositories (working tree and full history)')
    .argument('[paths...]', 'directories, repositories or files to scan', ['.'])
    .option('--no-history', 'skip git history (working tree only)')
    .option('--since <ref>', 'only history that HEAD adds over REF (PR gate: --since origin/main)')
    .option('--commits <range>', 'only history in the range A..B')
    .option('--staged', 'only what is staged for the next commit (pre-commit hook)')
    .option('--exclude <glob>', 'exclude paths (gitignore syntax; repeatable; also read from .nhi-auditignore)', collect, [])
    .option('--max-file-size <size>', 'skip files and blobs larger than this', '10MB')
    .option('--threads <n>', 'worker threads for detection (default: one per core)');
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

Suppress a false positive with a comment containing "nhi-audit:ignore" (optionally followed by rule ids) on its line.`,
  );
  cmd.action(async (paths: string[], o: ScanCliOptions) => {
    const startedAt = new Date();
    const range = rangeOf(o);
    const threads = threadsOf(o);
    const progress = new Progress();
    const opts: CodeScanOptions = {
      history: o.history,
      range,
      staged: o.staged === true,
      excludes: o.exclude,
      maxFileSize: parseSize(o.maxFileSize, '--max-file-size'),
      showSecrets: o.showSecrets === true,
      rules: loadSecretRules(),
      progress,
    };
    const view = wantsLiveView(o) ? (await import('../progress/view.js')).startProgressView(progress) : undefined;
    let result;
    try {
      result = await runCodeScan(paths.length ? paths : ['.'], opts, threads);
    } finally {
      view?.finish(progress.findings);
    }
    process.exitCode = finishRun({ ...result, startedAt }, o);
  });
}
