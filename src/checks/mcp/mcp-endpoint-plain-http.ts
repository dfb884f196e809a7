import type { McpEndpointInventory } from '../../model/mcp.js';
import type { Check } from '../types.js';
import { requiresToken } from './lib/endpoint.js';
import { endpointFinding } from './lib/finding.js';

export const check: Check<McpEndpointInventory> = {
  id: 'mcp-endpoint-plain-http',
  run(inv) {
    return inv.endpoints
      .filter((o) => o.reachable && o.scheme === 'http' && o.hostClass !== 'loopback' && (o.anonymous.ok || requiresToken(o)))
      .map((o) =>
        endpointFinding(this.id, o, {
          severity: requiresToken(o) ? 'high' : undefined,
          message: `${o.url} speaks MCP over plain HTTP on a ${o.hostClass === 'private' ? 'private-network' : 'public'} address${requiresToken(o) ? ': the bearer tokens clients send can be read by anyone on the path' : ': requests and tool results can be read and changed in transit'}.`,
          evidence: { scheme: 'http', hostClass: o.hostClass },
        }),
      );
  },
};
