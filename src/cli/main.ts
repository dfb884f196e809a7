import { Command, CommanderError } from 'commander';
import { error } from '../util/log.js';
import { TOOL_VERSION } from '../util/version.js';
import { EXIT_ERROR, UsageError } from './errors.js';
import { registerAws } from './aws.js';
import { registerRules } from './rules.js';
import { registerBaseline } from './baseline.js';
import { registerMerge } from './merge.js';
import { registerMcp } from './mcp.js';
import { registerScan } from './scan.js';
import { registerAudit } from './audit.js';
import { registerGithub } from './github.js';

export function buildProgram(): Command {
  const program = new Command('nhi-audit')
    .description('Audit non-human identities (API keys, tokens, service accounts, MCP servers) against the OWASP NHI Top 10 (2025).')
    .version(TOOL_VERSION)
    .showHelpAfterError('(run with --help for usage)')
    .addHelpText(
      'after',
      `
Examples:
  $ nhi-audit scan .                          scan the working tree and full git history
  $ nhi-audit scan --since origin/main        only what this branch's commits introduce
  $ nhi-audit scan --staged                   pre-commit: only what is staged
  $ nhi-audit scan -f json -o report.json     machine-readable report
  $ nhi-audit rules --format json             list every rule

Exit codes: 0 nothing at or above --fail-on, 1 findings at or above it, 2 usage error or a target that could not be scanned.`,
    );
  registerScan(program);
  registerRules(program);
  registerAws(program);
  registerBaseline(program);
  registerMerge(program);
  registerMcp(program);
  registerAudit(program);
  registerGithub(program);
  return program;
}

/** Apply commander's error handling to every subcommand: usage errors exit 2, not commander's 1. */
function exitOverrideAll(cmd: Command): void {
  cmd.exitOverride();
  for (const c of cmd.commands) exitOverrideAll(c);
}

export async function main(argv: string[]): Promise<void> {
  // `nhi-audit … | head` closes stdout early: that is the reader's choice, not a crash.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
  const program = buildProgram();
  exitOverrideAll(program);
  try {
    await program.parseAsync(argv);
  } catch (e) {
    if (e instanceof CommanderError) {
      // --help and --version "errors" are successful exits.
      process.exitCode = e.exitCode === 0 ? 0 : EXIT_ERROR;
      return;
    }
    if (e instanceof UsageError) {
      error(e.message);
      process.exitCode = EXIT_ERROR;
      return;
    }
    error(e instanceof Error ? e.message : String(e));
    process.exitCode = EXIT_ERROR;
  }
}
