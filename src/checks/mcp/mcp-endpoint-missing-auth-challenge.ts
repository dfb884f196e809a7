import type { McpEndpointInventory } from '../../model/mcp.js';
import type { Check } from '../types.js';
import { requiresToken } from './lib/endpoint.js';
import { endpointFinding } from './lib/finding.js';

export const check: Check<McpEndpointInventory> = {
  id: 'mcp-endpoint-missing-auth-challenge',
  run(inv) {
    return inv.endpoints
      .filter((o) => requiresToken(o) && o.anonymous.status === 401)
      .flatMap((o) => {
        const c = o.anonymous.challenge;
        const bearer = c?.scheme.toLowerCase() === 'bearer';
        if (bearer && c?.resourceMetadata) return [];
        const foundAnyway = o.resourceMetadata?.found === true;
        const what = !c ? 'no WWW-Authenticate header' : !bearer ? `a ${c.scheme} challenge instead of Bearer` : 'a Bearer challenge without resource_metadata';
        return [
          endpointFinding(this.id, o, {
            // Clients can still find metadata at the well-known URL (2025-11-25), so only the pointer is missing.
            severity: bearer && foundAnyway ? 'low' : undefined,
            message: `${o.url} answers 401 with ${what}, so MCP clients cannot discover how to get a token${foundAnyway ? ' from the response (the well-known metadata URL still works)' : ''}.`,
            evidence: { status: 401, wwwAuthenticate: o.anonymous.wwwAuthenticate ?? null, resourceMetadataFound: foundAnyway },
          }),
        ];
      });
  },
};
