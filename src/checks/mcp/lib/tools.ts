import type { McpToolInfo } from '../../../model/mcp.js';

/**
 * Tools that can act on the world (run commands, write, delete, reach files or the environment),
 * judged from the tool's name words and its annotations. A server's readOnlyHint is a claim, not a
 * guarantee, so it only clears tools whose names say nothing about acting.
 */
const ACTING_WORDS = new Set([
  'exec', 'execute', 'run', 'shell', 'bash', 'sh', 'zsh', 'powershell', 'cmd', 'command', 'terminal', 'spawn', 'eval', 'script', 'process',
  'write', 'create', 'update', 'delete', 'remove', 'rm', 'drop', 'truncate', 'kill', 'move', 'mv', 'rename', 'edit', 'patch', 'put', 'upload',
  'send', 'post', 'publish', 'deploy', 'install', 'push', 'merge', 'commit', 'apply', 'set', 'insert', 'modify', 'destroy', 'terminate', 'restart',
  'env', 'environment', 'file', 'files', 'fs', 'filesystem', 'directory', 'sql', 'query', 'admin', 'sudo', 'transfer', 'pay', 'payment', 'email',
]);

/** Words of a tool name: run_command, runCommand, run-command, fs.write → run, command … */
export function nameWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

export function canAct(tool: McpToolInfo): boolean {
  if (tool.destructiveHint === true) return true;
  return nameWords(tool.name).some((w) => ACTING_WORDS.has(w));
}

/** Names of tools that can act, for evidence and severity. */
export function actingTools(tools: McpToolInfo[] | undefined): string[] {
  return (tools ?? []).filter(canAct).map((t) => t.name);
}

/** Tool names for evidence: at most 50, so a server with thousands of tools does not flood a report. */
export function toolNames(tools: McpToolInfo[] | undefined, max = 50): string[] {
  const names = (tools ?? []).map((t) => t.name);
  return names.length > max ? [...names.slice(0, max), `… ${names.length - max} more`] : names;
}
