import type { McpEndpointInventory } from '../../model/mcp.js';
import type { Check } from '../types.js';
import { endpointFinding } from './lib/finding.js';

export const check: Check<McpEndpointInventory> = {
  id: 'mcp-endpoint-as-metadata-missing',
  run(inv) {
    return inv.endpoints
      .filter((o) => o.authServer && !o.authServer.derived && !o.authServer.found && o.authServer.tried.every((t) => t.status !== undefined || t.error === 'not a URL'))
      .map((o) =>
        endpointFinding(this.id, o, {
          message: `${o.url} names ${o.authServer!.issuer} as its authorization server, but no OAuth (RFC 8414) or OpenID Connect discovery document is there: clients cannot learn its endpoints or whether it supports PKCE.`,
          evidence: { issuer: o.authServer!.issuer, tried: o.authServer!.tried },
        }),
      );
  },
};
