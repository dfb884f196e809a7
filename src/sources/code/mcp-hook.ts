import { readFile, stat } from 'node:fs/promises';
import { analyzeMcpConfigText, isMcpConfigPath } from '../mcp/index.js';
import { CONFIG_ASSESSED } from '../mcp/assessed.js';
import type { FileHook } from './scan-code.js';

/**
 * MCP client configs met during a code scan (`.mcp.json`, `.cursor/mcp.json`, …) also get the MCP
 * config analysis: literal credentials, unpinned package runners, plain-HTTP servers, auto-approve.
 */
export function mcpConfigHook(maxFileSize: number): FileHook {
  return {
    matches: isMcpConfigPath,
    assessed: CONFIG_ASSESSED(),
    async analyze(rel, abs, target) {
      try {
        if ((await stat(abs)).size > maxFileSize) return { findings: [], warnings: [] };
        return analyzeMcpConfigText(rel, await readFile(abs, 'utf8'), { target });
      } catch (e) {
        return { findings: [], warnings: [`${rel}: cannot read MCP config (${(e as NodeJS.ErrnoException).code ?? 'error'})`] };
      }
    },
  };
}
