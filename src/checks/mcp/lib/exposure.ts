import type { McpToolInfo } from '../../../model/mcp.js';
import { nameWords } from './tools.js';

/**
 * Does a tool hand the caller what the server holds? Judged from the tool's name words, its
 * description and its input parameters, precisely enough to be a finding (the --call-tools filter
 * in the prober is broader on purpose: there a doubt means "do not call").
 *
 * - environment: reads or dumps environment variables (get_env, printenv, "returns the value of an
 *   environment variable", a `name` parameter described as an environment variable name);
 * - shell: runs arbitrary commands (exec, run_command, shell, "executes shell commands");
 * - file-read: reads a file at a path the caller chooses, with no sign of a root or an allowed
 *   directory list limiting it.
 *
 * Deployment environments (list_environments, set_environment) and everything else are not.
 */

export type ExposureKind = 'environment' | 'shell' | 'file-read';

export interface ToolExposure {
  kind: ExposureKind;
  /** What gave it away: `name`, `description`, or `parameter <name>` — never the text itself. */
  signal: string;
}

/** Verbs that change rather than read: set_env, update_environment, unset_var … are not reads. */
const SETTERS = new Set(['set', 'unset', 'update', 'create', 'delete', 'remove', 'switch', 'select', 'use', 'add', 'change', 'configure', 'deploy', 'promote']);

const ENV_WORDS = new Set(['env', 'envs', 'getenv', 'printenv', 'environ', 'dotenv', 'envvar', 'envvars']);
const VAR_WORDS = new Set(['var', 'vars', 'variable', 'variables']);
const SHELL_WORDS = new Set(['shell', 'bash', 'sh', 'zsh', 'powershell', 'pwsh', 'terminal', 'subprocess', 'cmd']);
const RUN_VERBS = new Set(['exec', 'execute', 'run', 'spawn', 'invoke']);
const COMMAND_WORDS = new Set(['command', 'commands', 'cmd', 'shell', 'script', 'process', 'terminal']);
const READ_VERBS = new Set(['read', 'get', 'cat', 'open', 'view', 'load', 'fetch', 'show', 'download', 'head', 'tail']);
const FILE_WORDS = new Set(['file', 'files', 'filesystem', 'fs']);

// "Returns the value of an environment variable", "lists the process environment", "prints os.environ".
const ENV_TARGET = String.raw`(?:env(?:ironment)?[ _-]?var(?:iable)?s?|process\.env|os\.environ|system\.getenv|printenv|getenv|(?:the )?(?:process|server|system|shell|host)(?:'s)? environment)`;
const RETURN_VERB = String.raw`\b(?:returns?|list(?:s|ing)?|reads?|dumps?|prints?|shows?|exposes?|outputs?|displays?|reveals?|retrieves?|gets?|fetch(?:es)?)\b`;
const ENV_DESC = [
  // A verb that hands something back, then what it hands back — unless it only uses it ("reads the key from an environment variable").
  new RegExp(`${RETURN_VERB}(?:(?!\\b(?:from|using|via|with)\\b)[^.\\n]){0,60}\\b${ENV_TARGET}`, 'i'),
  /\bvalues? of (?:an?|the|any|a given|given)? ?env(?:ironment)?[ _-]?var(?:iable)?\b/i,
];
const ENV_PARAM_NAME = /^(?:env|environment)[_-]?(?:var|variable)s?(?:[_-]?names?)?$|^env[_-]?keys?$|^envvars?$/i;
const KEY_PARAM_NAME = /^(?:name|key|var|variable|keys?|names?)$/i;
const ENV_VAR_WORDS = /\benv(?:ironment)?[ _-]?var(?:iable)?s?\b/i;

const SHELL_DESC = [
  /\b(?:execut\w*|runs?|running|spawn\w*|invok\w*)\b[^.\n]{0,30}\b(?:shell|terminal|bash|system|os|cli)\b[^.\n]{0,20}\b(?:commands?|scripts?)\b/i,
  /\barbitrary (?:shell |system |os )?(?:commands?|code)\b/i,
];
const SHELL_PARAM_NAME = /^(?:command|cmd|script|shell_?command|command_?line)$/i;
const SHELL_PARAM_DESC = /\b(?:shell|bash|terminal|command[- ]line|sh -c)\b/i;

const PATH_PARAM = /^(?:path|paths|file|files|filename|file_?path|filepath|file_?name|uri|location|target|source)$/i;
/** A file somewhere else (a repository, a bucket, a drive), not on the server's disk. */
const REMOTE_PARAM = /^(?:owner|repo|repository|bucket|branch|ref|project_?id|drive_?id|site_?id|url|container)$/i;
const REMOTE_DESC = /\b(?:github|gitlab|bitbucket|repository|bucket|s3|google drive|onedrive|dropbox|sharepoint)\b/i;
const ANY_FILE_DESC = /\b(?:read|reads|return|returns|get|gets|open|opens|cat)\b[^.\n]{0,30}\b(?:any|arbitrary)\s+(?:files?|paths?)\b/i;
/** The tool says what limits it: allowed directories, roots, a sandbox, the workspace. */
const LIMITED = /\b(?:allowed|permitted|allow-?listed|white-?listed|approved)\s+(?:directories|dirs|paths|folders|roots|locations)\b|\broots?\b|\bsandbox\w*|\bwithin (?:the )?(?:allowed|workspace|project|repository|repo|root|base)\b|\b(?:relative to|inside|under) (?:the )?(?:workspace|project|repository|repo|base directory|root)\b/i;

function textOf(t: McpToolInfo): string {
  return [t.description ?? '', ...(t.params ?? []).map((p) => p.description ?? '')].join('\n');
}

function environment(t: McpToolInfo, words: string[]): string | undefined {
  if (SETTERS.has(words[0] ?? '')) return undefined;
  if (words.some((w) => ENV_WORDS.has(w))) return 'name';
  if (words.includes('environment') && words.some((w) => VAR_WORDS.has(w))) return 'name';
  if (ENV_DESC.some((re) => re.test(t.description ?? ''))) return 'description';
  for (const p of t.params ?? []) {
    if (ENV_PARAM_NAME.test(p.name)) return `parameter ${p.name}`;
    if (KEY_PARAM_NAME.test(p.name) && ENV_VAR_WORDS.test(p.description ?? '')) return `parameter ${p.name}`;
  }
  return undefined;
}

function shell(t: McpToolInfo, words: string[]): string | undefined {
  if (words.some((w) => SHELL_WORDS.has(w))) return 'name';
  if (words.some((w) => RUN_VERBS.has(w)) && words.some((w) => COMMAND_WORDS.has(w))) return 'name';
  if (words.length === 1 && words[0] === 'exec') return 'name';
  if (SHELL_DESC.some((re) => re.test(t.description ?? ''))) return 'description';
  for (const p of t.params ?? []) if (SHELL_PARAM_NAME.test(p.name) && SHELL_PARAM_DESC.test(`${p.description ?? ''} ${t.description ?? ''}`)) return `parameter ${p.name}`;
  return undefined;
}

function fileRead(t: McpToolInfo, words: string[]): string | undefined {
  if (LIMITED.test(textOf(t)) || REMOTE_DESC.test(t.description ?? '') || (t.params ?? []).some((p) => REMOTE_PARAM.test(p.name))) return undefined;
  const pathParam = (t.params ?? []).find((p) => PATH_PARAM.test(p.name))?.name ?? (t.required ?? []).find((r) => PATH_PARAM.test(r));
  // With a schema, the path must be the caller's to choose; without one (an old observation), the name decides.
  const free = pathParam !== undefined || (t.params === undefined && (t.required ?? []).length === 0);
  if (!free) return undefined;
  const reads = words.some((w) => READ_VERBS.has(w)) || words[0] === 'cat' || (words.includes('contents') || words.includes('content'));
  if (reads && words.some((w) => FILE_WORDS.has(w)) && !words.some((w) => SETTERS.has(w) || w === 'write' || w === 'list' || w === 'search' || w === 'info')) return 'name';
  if (words.length === 1 && words[0] === 'cat') return 'name';
  if (ANY_FILE_DESC.test(t.description ?? '')) return pathParam ? `parameter ${pathParam}` : 'description';
  return undefined;
}

/** What the tool exposes, the most serious first (environment, shell, file-read), or undefined. */
export function toolExposure(t: McpToolInfo): ToolExposure | undefined {
  const words = nameWords(t.name);
  const env = environment(t, words);
  if (env) return { kind: 'environment', signal: env };
  const sh = shell(t, words);
  if (sh) return { kind: 'shell', signal: sh };
  const fr = fileRead(t, words);
  if (fr) return { kind: 'file-read', signal: fr };
  return undefined;
}
