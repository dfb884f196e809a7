import { CLIENT_NAMES, type ConfigFormat, type McpClientId } from '../../model/mcp.js';

export { CLIENT_NAMES };

/** What a config file is: which client reads it, in which format, and what it holds. */
export interface ClientFile {
  client: McpClientId;
  format: ConfigFormat;
  /**
   * servers: a map or list of MCP servers (most clients); claude-json: ~/.claude.json (user and
   * per-project servers); settings: an editor/agent settings file that may hold servers and
   * auto-approve settings (VS Code, Zed, Claude Code, Gemini CLI).
   */
  layout: 'servers' | 'claude-json' | 'claude-settings' | 'vscode-settings' | 'zed-settings' | 'continue-yaml' | 'continue-json' | 'codex';
}


/**
 * Path patterns (matched against the end of a POSIX path) and what each file is. The first match
 * wins, so specific patterns come before the generic `mcp.json`. `*` is one path segment.
 */
const PATTERNS: Array<[RegExp, ClientFile]> = [
  [/(^|\/)claude_desktop_config\.json$/, { client: 'claude-desktop', format: 'json', layout: 'servers' }],
  [/(^|\/)\.claude\.json$/, { client: 'claude-code', format: 'json', layout: 'claude-json' }],
  [/(^|\/)\.mcp\.json$/, { client: 'claude-code', format: 'json', layout: 'servers' }],
  [/(^|\/)managed-mcp\.json$/, { client: 'claude-code', format: 'json', layout: 'servers' }],
  [/(^|\/)\.claude\/settings(\.local)?\.json$|(^|\/)ClaudeCode\/managed-settings\.json$|(^|\/)claude-code\/managed-settings\.json$/, { client: 'claude-code', format: 'json', layout: 'claude-settings' }],
  [/(^|\/)\.cursor\/mcp\.json$/, { client: 'cursor', format: 'json', layout: 'servers' }],
  [/(^|\/)\.vscode\/mcp\.json$|(^|\/)(Code|Code - Insiders|VSCodium)\/User\/mcp\.json$/, { client: 'vscode', format: 'jsonc', layout: 'vscode-settings' }],
  [/(^|\/)\.vscode\/settings\.json$|(^|\/)(Code|Code - Insiders|VSCodium)\/User\/settings\.json$/, { client: 'vscode', format: 'jsonc', layout: 'vscode-settings' }],
  [/(^|\/)windsurf\/mcp_config\.json$|(^|\/)mcp_config\.json$/, { client: 'windsurf', format: 'json', layout: 'servers' }],
  [/(^|\/)cline_mcp_settings\.json$/, { client: 'cline', format: 'json', layout: 'servers' }],
  [/(^|\/)mcp_settings\.json$|(^|\/)\.roo\/mcp\.json$/, { client: 'roo-code', format: 'json', layout: 'servers' }],
  [/(^|\/)\.continue\/mcpServers\/[^/]+\.ya?ml$/, { client: 'continue', format: 'yaml', layout: 'continue-yaml' }],
  [/(^|\/)\.continue\/mcpServers\/[^/]+\.json$/, { client: 'continue', format: 'json', layout: 'servers' }],
  [/(^|\/)\.continue\/config\.ya?ml$/, { client: 'continue', format: 'yaml', layout: 'continue-yaml' }],
  [/(^|\/)\.continue\/config\.json$/, { client: 'continue', format: 'jsonc', layout: 'continue-json' }],
  [/(^|\/)\.zed\/settings\.json$|(^|\/)zed\/settings\.json$|(^|\/)Zed\/settings\.json$/, { client: 'zed', format: 'jsonc', layout: 'zed-settings' }],
  [/(^|\/)\.gemini\/settings\.json$|(^|\/)gemini-cli\/settings\.json$|(^|\/)GeminiCli\/settings\.json$/, { client: 'gemini', format: 'jsonc', layout: 'servers' }],
  [/(^|\/)\.codex\/config\.toml$/, { client: 'codex', format: 'toml', layout: 'codex' }],
  [/(^|\/)\.?amazonq\/mcp\.json$|(^|\/)\.aws\/amazonq\/mcp\.json$/, { client: 'amazon-q', format: 'json', layout: 'servers' }],
  [/(^|\/)mcp\.json$/, { client: 'generic', format: 'jsonc', layout: 'servers' }],
];

function posix(p: string): string {
  return p.replace(/\\/g, '/');
}

/** The client file a path is, from its name and directories; undefined for files no client reads. */
export function clientFileForPath(path: string): ClientFile | undefined {
  const p = posix(path);
  for (const [re, spec] of PATTERNS) if (re.test(p)) return spec;
  return undefined;
}

/** For --config FILE with an unknown name: the format from the extension, the layout from the content. */
export function genericClientFile(path: string): ClientFile {
  const p = posix(path).toLowerCase();
  if (p.endsWith('.toml')) return { client: 'generic', format: 'toml', layout: 'codex' };
  if (p.endsWith('.yaml') || p.endsWith('.yml')) return { client: 'generic', format: 'yaml', layout: 'continue-yaml' };
  return { client: 'generic', format: 'jsonc', layout: 'servers' };
}
