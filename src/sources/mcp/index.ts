import type { Finding } from '../../model/finding.js';
import { parseMcpConfig, runConfigChecks } from './analyze.js';
import { clientFileForPath } from './clients.js';

export { parseMcpConfig, runConfigChecks } from './analyze.js';
export { clientFileForPath } from './clients.js';
export type * from '../../model/mcp.js';

/**
 * Is this repository-relative path an MCP client config (`.mcp.json`, `.cursor/mcp.json`,
 * `.vscode/mcp.json`, `claude_desktop_config.json`, `.continue/mcpServers/*.yaml`,
 * `.gemini/settings.json`, `.codex/config.toml`, `.zed/settings.json` …)? For `scan`.
 */
export function isMcpConfigPath(relPath: string): boolean {
  return clientFileForPath(relPath) !== undefined;
}

/**
 * The config checks over one file's text, for `scan` (pure: no file or network access). Findings
 * carry source 'mcp-config', location.path = relPath with the line, and a resource
 * `mcp:<client>:<server>`. Literal credential findings are keyed by the secret's fingerprint, so the
 * same credential in several files becomes one finding with several occurrences (NHI9 by
 * correlation). A file that does not parse gives a warning (path, format, line, parser message).
 */
export function analyzeMcpConfigText(relPath: string, text: string, opts: { target?: number } = {}): { findings: Finding[]; warnings: string[] } {
  const parsed = parseMcpConfig(relPath, text);
  if (!parsed.file) return { findings: [], warnings: parsed.error ? [parsed.error] : [] };
  if (opts.target !== undefined) parsed.file.target = opts.target;
  return { findings: runConfigChecks([parsed.file]), warnings: parsed.warnings };
}
