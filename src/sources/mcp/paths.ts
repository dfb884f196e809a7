import { clientFileForPath } from './clients.js';

/**
 * Is this repository-relative path an MCP client config (`.mcp.json`, `.cursor/mcp.json`,
 * `.vscode/mcp.json`, `claude_desktop_config.json`, `.continue/mcpServers/*.yaml`,
 * `.gemini/settings.json`, `.codex/config.toml`, `.zed/settings.json` …)? For `scan`.
 */
export function isMcpConfigPath(relPath: string): boolean {
  return clientFileForPath(relPath) !== undefined;
}
