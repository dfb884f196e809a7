import type { McpEndpointInventory } from '../../model/mcp.js';
import type { Check } from '../types.js';
import { describeTransport, requiresToken } from './lib/endpoint.js';
import { endpointFinding } from './lib/finding.js';
import { actingTools, toolNames } from './lib/tools.js';

export const check: Check<McpEndpointInventory> = {
  id: 'mcp-endpoint-accepts-invalid-token',
  run(inv) {
    return inv.endpoints
      .filter((o) => requiresToken(o) && o.invalidToken?.ok)
      .map((o) => {
        const tools = o.invalidToken!.tools ?? [];
        const acting = actingTools(tools);
        return endpointFinding(this.id, o, {
          severity: acting.length ? undefined : 'high',
          message: `${o.url} rejects requests without a token but accepts a made-up bearer token: it completes the ${describeTransport(o)} handshake${tools.length ? ` and lists ${tools.length} tools${acting.length ? ` (${acting.length} can act: ${acting.slice(0, 8).join(', ')})` : ''}` : ''}. The token is not validated at all.`,
          evidence: { anonymousStatus: o.anonymous.status, transport: o.invalidToken!.transport, tools: toolNames(tools), actingTools: acting },
        });
      });
  },
};
