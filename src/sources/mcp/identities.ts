import type { IdentityRecord } from '../../model/identity.js';
import { CLIENT_NAMES, type McpConfigFile, type McpEndpointObservation } from '../../model/mcp.js';
import { safeUrl } from '../../util/url.js';

/** The key an MCP server is known by in every source: its URL without credentials, or `mcp:<client>:<name>` for a local command. */
export function mcpServerId(file: McpConfigFile, server: { name: string; url?: string }): string {
  return server.url && /^https?:\/\//i.test(server.url.trim()) && !/\$\{|\{\{/.test(server.url) ? safeUrl(server.url.trim()).url : `mcp:${file.client}:${server.name}`;
}

/** Every server a client config declares, as an identity (an agent's access to a tool server). */
export function mcpConfigIdentities(file: McpConfigFile): IdentityRecord[] {
  return file.servers.map((s) => ({
    id: mcpServerId(file, s),
    kind: 'mcp-server' as const,
    name: s.name,
    provider: 'mcp',
    status: s.disabled ? ('inactive' as const) : ('active' as const),
    where: [`${file.path}${s.line ? `:${s.line}` : ''} (${CLIENT_NAMES[file.client]})`],
    permissions: s.transport === 'stdio' && s.command ? [`runs ${s.command}`] : [],
  }));
}

/** A probed endpoint as an identity: reachable, and whether it let an anonymous client in. */
export function mcpEndpointIdentity(o: McpEndpointObservation): IdentityRecord {
  const open = o.anonymous?.ok === true;
  return {
    id: o.url,
    kind: 'mcp-server',
    name: o.declaredIn?.server ?? o.url,
    provider: 'mcp',
    status: o.reachable ? 'active' : 'unknown',
    where: [o.url, ...(o.declaredIn ? [`${o.declaredIn.path}${o.declaredIn.line ? `:${o.declaredIn.line}` : ''}`] : [])],
    permissions: [open ? 'no authentication' : 'authentication required', ...((o.anonymous?.tools ?? []).length ? [`${o.anonymous!.tools!.length} tools`] : [])],
  };
}
