import { readdirSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, posix, win32 } from 'node:path';
import { clientFileForPath, type ClientFile } from './clients.js';

/**
 * Where MCP clients keep their configs, per client and operating system: user files, machine-wide
 * managed files, and the project files of the current directory. `--discover` reads those that exist.
 */
export interface DiscoveryEnv {
  platform: NodeJS.Platform;
  home: string;
  cwd: string;
  env: Record<string, string | undefined>;
}

export interface Candidate {
  path: string;
  scope: 'user' | 'managed' | 'project';
  spec: ClientFile;
}

export function currentEnv(): DiscoveryEnv {
  return { platform: process.platform, home: homedir(), cwd: process.cwd(), env: process.env };
}

/** Files inside a project directory that clients read (also what `scan` meets in a repository). */
export const PROJECT_FILES = [
  '.mcp.json',
  '.claude/settings.json',
  '.claude/settings.local.json',
  '.cursor/mcp.json',
  '.vscode/mcp.json',
  '.vscode/settings.json',
  '.roo/mcp.json',
  '.continue/config.yaml',
  '.continue/config.json',
  '.zed/settings.json',
  '.gemini/settings.json',
  '.codex/config.toml',
  '.amazonq/mcp.json',
];

/** Directories whose every .yaml/.yml/.json file is a config block (Continue). */
const PROJECT_DIRS = ['.continue/mcpServers'];

/** User and machine config paths for one platform. */
export function userConfigPaths(e: DiscoveryEnv): Array<{ path: string; scope: 'user' | 'managed' }> {
  const p = e.platform === 'win32' ? win32 : posix;
  const h = e.home;
  const appData = e.platform === 'win32' ? (e.env.APPDATA ?? p.join(h, 'AppData', 'Roaming')) : e.platform === 'darwin' ? p.join(h, 'Library', 'Application Support') : (e.env.XDG_CONFIG_HOME ?? p.join(h, '.config'));
  const codexHome = e.env.CODEX_HOME ?? p.join(h, '.codex');
  const user = [
    p.join(appData, 'Claude', 'claude_desktop_config.json'),
    p.join(h, '.claude.json'),
    p.join(h, '.claude', 'settings.json'),
    p.join(h, '.cursor', 'mcp.json'),
    p.join(h, '.codeium', 'windsurf', 'mcp_config.json'),
    p.join(h, '.continue', 'config.yaml'),
    p.join(h, '.continue', 'config.json'),
    p.join(h, '.gemini', 'settings.json'),
    p.join(codexHome, 'config.toml'),
    p.join(h, '.aws', 'amazonq', 'mcp.json'),
    p.join(h, '.cline', 'data', 'settings', 'cline_mcp_settings.json'),
    e.platform === 'win32' ? p.join(appData, 'Zed', 'settings.json') : p.join(e.env.XDG_CONFIG_HOME ?? p.join(h, '.config'), 'zed', 'settings.json'),
  ];
  // VS Code and its forks keep user MCP config and extension storage (Cline, Roo Code) under <appData>/<product>/User.
  for (const product of ['Code', 'Code - Insiders', 'VSCodium', 'Cursor', 'Windsurf']) {
    const u = p.join(appData, product, 'User');
    if (product.startsWith('Code') || product === 'VSCodium') user.push(p.join(u, 'mcp.json'), p.join(u, 'settings.json'));
    user.push(p.join(u, 'globalStorage', 'saoudrizwan.claude-dev', 'settings', 'cline_mcp_settings.json'));
    user.push(p.join(u, 'globalStorage', 'rooveterinaryinc.roo-cline', 'settings', 'mcp_settings.json'));
  }
  const managed =
    e.platform === 'win32'
      ? [p.join(e.env.ProgramFiles ?? 'C:\\Program Files', 'ClaudeCode', 'managed-mcp.json'), p.join(e.env.ProgramData ?? 'C:\\ProgramData', 'ClaudeCode', 'managed-mcp.json'), p.join(e.env.ProgramData ?? 'C:\\ProgramData', 'gemini-cli', 'settings.json')]
      : e.platform === 'darwin'
        ? ['/Library/Application Support/ClaudeCode/managed-mcp.json', '/Library/Application Support/ClaudeCode/managed-settings.json', '/Library/Application Support/GeminiCli/settings.json']
        : ['/etc/claude-code/managed-mcp.json', '/etc/claude-code/managed-settings.json', '/etc/gemini-cli/settings.json'];
  return [...user.map((path) => ({ path, scope: 'user' as const })), ...managed.map((path) => ({ path, scope: 'managed' as const })), { path: p.join(h, '.continue', 'mcpServers'), scope: 'user' as const }];
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function dirFiles(dir: string): string[] {
  try {
    return readdirSync(dir)
      .filter((f) => /\.(ya?ml|json)$/.test(f))
      .sort()
      .map((f) => join(dir, f));
  } catch {
    return [];
  }
}

/** Every place discovery looks (files and directories), for a report that says where it looked. */
export function discoveryPlaces(e: DiscoveryEnv = currentEnv()): string[] {
  const places = [...userConfigPaths(e).map((c) => c.path), ...PROJECT_FILES.map((f) => join(e.cwd, f)), ...PROJECT_DIRS.map((d) => join(e.cwd, d))];
  return [...new Set(places)];
}

/** Config files that exist: user, managed, then the current directory's project files. */
export function discoverConfigs(e: DiscoveryEnv = currentEnv()): Candidate[] {
  const out: Candidate[] = [];
  const seen = new Set<string>();
  const add = (path: string, scope: Candidate['scope']) => {
    if (seen.has(path) || !isFile(path)) return;
    const spec = clientFileForPath(path);
    if (!spec) return;
    seen.add(path);
    out.push({ path, scope, spec });
  };
  for (const c of userConfigPaths(e)) {
    if (c.path.endsWith('mcpServers')) for (const f of dirFiles(c.path)) add(f, c.scope);
    else add(c.path, c.scope);
  }
  for (const f of PROJECT_FILES) add(join(e.cwd, f), 'project');
  for (const d of PROJECT_DIRS) for (const f of dirFiles(join(e.cwd, d))) add(f, 'project');
  return out;
}
