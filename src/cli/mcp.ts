import { Command } from 'commander';
import { PinFileError } from '../sources/mcp/pins.js';
import { LocalUnsupportedError } from '../sources/mcp/local.js';
import { setQuiet, warn } from '../util/log.js';
import { pipelineOptions, runWithProgress } from './scan.js';
import { addOutputOptions, checkGateOptions, configFor, finishRun, repeatable, type OutputOptions } from './common.js';
import { UsageError } from './errors.js';

export interface McpCliOptions extends Omit<OutputOptions, 'config'> {
  discover?: boolean;
  /** MCP client config files (--config, repeatable). */
  config: string[];
  /** The nhi-audit settings file (--audit-config FILE), or false with --no-audit-config. */
  auditConfig?: string | false;
  probe?: boolean;
  local?: boolean;
  tokenEnv?: string;
  callTools?: boolean;
  timeout: string;
  concurrency: string;
  pin?: string;
}

function intOption(v: string, flag: string, min: number, max: number): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < min || n > max) throw new UsageError(`${flag} expects a whole number from ${min} to ${max}, got '${v}'`);
  return n;
}

function checkUrl(v: string): string {
  let u: URL;
  try {
    u = new URL(v);
  } catch {
    throw new UsageError(`not a URL: '${v.length > 80 ? `${v.slice(0, 80)}…` : v}' (give the endpoint, e.g. https://mcp.example.com/mcp)`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new UsageError(`only http:// and https:// MCP endpoints can be probed, got ${u.protocol}//…`);
  return v;
}

/**
 * The shared output options, except that `--config` here names MCP client config files (as the
 * issue specifies); the nhi-audit settings file is `--audit-config FILE` for this command.
 */
function addMcpOutputOptions(cmd: Command): void {
  const shared = addOutputOptions(new Command());
  for (const opt of shared.options) if (opt.attributeName() !== 'config') cmd.addOption(opt);
  cmd.option('--audit-config <file>', 'nhi-audit configuration file (default: .nhi-audit.yaml in the current directory)');
  cmd.option('--no-audit-config', 'ignore .nhi-audit.yaml');
}

export function registerMcp(program: Command): void {
  const cmd = program
    .command('mcp')
    .description('find agent credentials in MCP client configs and probe MCP endpoints for missing or broken authentication')
    .argument('[urls...]', 'MCP endpoints to probe (http:// or https://)')
    .option('--discover', 'read the MCP client configs of this user and machine (Claude, Cursor, VS Code, Windsurf, Cline, Continue, Zed, Gemini CLI, Codex …) and of the current directory')
    .option('--config <file>', 'an MCP client config file to read (repeatable; any client format: JSON, JSONC, YAML, TOML)', repeatable, [])
    .option('--probe', 'also probe every remote server URL found in the configs')
    .option('--local', 'probe MCP servers listening on all interfaces of this machine (reads /proc/net/tcp; Linux)')
    .option('--token-env <var>', 'environment variable holding a token you have for ANOTHER resource: reports endpoints that accept it (audience not validated)')
    .option('--call-tools', 'confirm unauthenticated access by calling up to 3 tools that declare readOnlyHint and need no input (never any other tool)')
    .option('--timeout <ms>', 'timeout per HTTP request', '5000')
    .option('--concurrency <n>', 'endpoints probed at once', '4')
    .option('--pin <file>', 'keep hashes of each endpoint\'s tools in FILE and report tools changed or added since the last run');
  addMcpOutputOptions(cmd);
  cmd.addHelpText(
    'after',
    `
Examples:
  $ nhi-audit mcp --discover                              configs of this user, this machine and the current directory
  $ nhi-audit mcp --config ~/.cursor/mcp.json --config .vscode/mcp.json
  $ nhi-audit mcp https://mcp.example.com/mcp             probe one endpoint from outside
  $ nhi-audit mcp --discover --probe -f sarif -o mcp.sarif   configs, and every remote server they name
  $ nhi-audit mcp --local                                 servers listening on 0.0.0.0 / :: on this machine
  $ OTHER_TOKEN=… nhi-audit mcp https://mcp.example.com/mcp --token-env OTHER_TOKEN
  $ nhi-audit mcp https://mcp.example.com/mcp --pin mcp-pins.json   report tool changes between runs

Probing speaks MCP 2026-07-28 (server/discover), Streamable HTTP (2025-03-26 … 2025-11-25) and HTTP+SSE. It sends
no credential except a made-up token (and the --token-env token), and calls no tool unless --call-tools is given.
An endpoint that times out, resets or does not speak MCP is reported as not scanned (exit 2), never as passing.`,
  );
  cmd.action(async (urls: string[], o: McpCliOptions) => {
    setQuiet(o.quiet === true);
    const out: OutputOptions = { ...o, config: o.auditConfig };
    if (o.probe && !o.discover && !o.config.length) throw new UsageError('--probe probes the servers named in configs: add --discover or --config FILE');
    if (!urls.length && !o.discover && !o.config.length && !o.local) throw new UsageError('nothing to audit: give endpoint URLs, --discover, --config FILE or --local');
    for (const u of urls) checkUrl(u);
    const timeoutMs = intOption(o.timeout, '--timeout', 100, 600000);
    const concurrency = intOption(o.concurrency, '--concurrency', 1, 64);
    let userToken: string | undefined;
    if (o.tokenEnv !== undefined) {
      userToken = process.env[o.tokenEnv]?.trim();
      if (!userToken) throw new UsageError(`--token-env ${o.tokenEnv}: that environment variable is not set or empty`);
      if (!urls.length && !o.probe && !o.local) warn('--token-env is used only when probing endpoints');
    }
    if (o.callTools && !urls.length && !o.probe && !o.local) warn('--call-tools is used only when probing endpoints');
    const cfg = configFor(out);
    checkGateOptions(out, cfg);
    const startedAt = new Date();
    // Loaded here, not at start-up: the MCP SDK and the prober are heavy and only this command needs them.
    const { McpSource } = await import('../sources/mcp/source.js');
    const source = new McpSource({
      urls,
      configs: o.config,
      discover: o.discover === true,
      probe: o.probe === true,
      local: o.local === true,
      timeoutMs,
      concurrency,
      callTools: o.callTools === true,
      userToken,
      pinFile: o.pin,
    });
    let run;
    try {
      run = await runWithProgress([source], pipelineOptions({ maxFileSize: '10MB' }, cfg, new Date()), out);
    } catch (e) {
      if (e instanceof PinFileError || e instanceof LocalUnsupportedError) throw new UsageError(e.message);
      throw e;
    }
    for (const t of run.targets) if (t.status !== 'error') for (const w of t.warnings ?? []) warn(w);
    process.exitCode = finishRun(run, out, cfg);
  });
}
