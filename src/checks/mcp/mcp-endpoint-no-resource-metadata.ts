import type { McpEndpointInventory } from '../../model/mcp.js';
import type { Check } from '../types.js';
import { requiresToken } from './lib/endpoint.js';
import { endpointFinding } from './lib/finding.js';

export const check: Check<McpEndpointInventory> = {
  id: 'mcp-endpoint-no-resource-metadata',
  run(inv) {
    return inv.endpoints
      .filter((o) => requiresToken(o) && o.resourceMetadata && !o.resourceMetadata.found)
      // Only when every place answered: a timeout is a coverage gap (a warning), not proof of absence.
      .filter((o) => o.resourceMetadata!.tried.every((t) => t.status !== undefined || t.error === 'not a URL'))
      .map((o) =>
        endpointFinding(this.id, o, {
          message: `${o.url} requires a token but publishes no OAuth Protected Resource Metadata (RFC 9728)${o.resourceMetadata!.advertisedUrl ? ', not even at the URL its challenge advertises' : ''}: clients cannot find its authorization server, so users fall back to pasting long-lived tokens.`,
          evidence: { tried: o.resourceMetadata!.tried, invalidDocument: o.resourceMetadata!.invalid === true },
        }),
      );
  },
};
