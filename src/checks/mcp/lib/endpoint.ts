import type { McpEndpointObservation, McpToolInfo } from '../../../model/mcp.js';
import { isLoopbackHost } from '../../../util/hosts.js';

/** The endpoint refused an anonymous handshake with 401 or 403: it asks for a token. */
export function requiresToken(obs: McpEndpointObservation): boolean {
  return obs.reachable && !obs.anonymous.ok && (obs.anonymous.status === 401 || obs.anonymous.status === 403);
}

/** Tools seen by any session of the probe (anonymous, garbage token, user token). */
export function allTools(obs: McpEndpointObservation): McpToolInfo[] {
  const byName = new Map<string, McpToolInfo>();
  for (const s of [obs.anonymous, obs.invalidToken, obs.userToken]) for (const t of s?.tools ?? []) if (!byName.has(t.name)) byName.set(t.name, t);
  return [...byName.values()];
}

/** An http:// URL whose host is not this machine. */
export function insecureUrl(url: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === 'http:' && !isLoopbackHost(u.hostname);
  } catch {
    return false;
  }
}

export function describeTransport(obs: McpEndpointObservation): string {
  switch (obs.anonymous.transport ?? obs.invalidToken?.transport) {
    case 'stateless-2026':
      return `MCP ${obs.anonymous.protocolVersion ?? '2026-07-28'} (stateless)`;
    case 'streamable-http':
      return `Streamable HTTP${obs.anonymous.protocolVersion ? ` ${obs.anonymous.protocolVersion}` : ''}`;
    case 'sse':
      return 'HTTP+SSE (legacy)';
    default:
      return 'MCP';
  }
}
