import type { McpEndpointInventory } from '../../model/mcp.js';
import type { Check } from '../types.js';
import { describeTransport } from './lib/endpoint.js';
import { endpointFinding } from './lib/finding.js';
import { actingTools, toolNames } from './lib/tools.js';

export const check: Check<McpEndpointInventory> = {
  id: 'mcp-endpoint-unauthenticated',
  run(inv) {
    return inv.endpoints
      .filter((o) => o.reachable && o.anonymous.ok)
      .map((o) => {
        const tools = o.anonymous.tools ?? [];
        const acting = actingTools(tools);
        const severity = acting.length ? 'critical' : tools.length ? 'high' : 'medium';
        const confirmed = (o.calledTools ?? []).filter((c) => c.ok).map((c) => c.name);
        const toolText = !o.anonymous.toolsListed
          ? 'Its tools could not be listed.'
          : tools.length === 0
            ? 'It lists no tools at the moment.'
            : `It exposes ${tools.length} tool${tools.length === 1 ? '' : 's'}${acting.length ? `, ${acting.length} of which can act (${acting.slice(0, 8).join(', ')}${acting.length > 8 ? ' …' : ''})` : ''}.`;
        return endpointFinding(this.id, o, {
          severity,
          message: `${o.url} completes the ${describeTransport(o)} handshake and lists its tools without any credential. ${toolText}${confirmed.length ? ` Calling ${confirmed.join(', ')} without a token worked.` : ''}`,
          evidence: {
            transport: o.anonymous.transport,
            protocolVersion: o.anonymous.protocolVersion,
            serverName: o.anonymous.serverName,
            tools: toolNames(tools),
            actingTools: acting,
            ...(o.calledTools ? { calledTools: o.calledTools } : {}),
            hostClass: o.hostClass,
          },
        });
      });
  },
};
