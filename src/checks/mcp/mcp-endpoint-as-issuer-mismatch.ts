import type { McpEndpointInventory } from '../../model/mcp.js';
import type { Check } from '../types.js';
import { endpointFinding } from './lib/finding.js';

const norm = (s: string) => s.replace(/\/+$/, '');

export const check: Check<McpEndpointInventory> = {
  id: 'mcp-endpoint-as-issuer-mismatch',
  run(inv) {
    return inv.endpoints
      .filter((o) => o.authServer?.found && norm(o.authServer.issuerInDocument ?? '') !== norm(o.authServer.issuer))
      .map((o) =>
        endpointFinding(this.id, o, {
          message: `The authorization server metadata at ${o.authServer!.url} says its issuer is ${o.authServer!.issuerInDocument ? `'${o.authServer!.issuerInDocument}'` : 'nothing'}, not ${o.authServer!.issuer} where it was found. RFC 8414 clients must reject it; one that does not can be sent to a look-alike server.`,
          evidence: { expectedIssuer: o.authServer!.issuer, issuerInDocument: o.authServer!.issuerInDocument ?? null, metadataUrl: o.authServer!.url },
        }),
      );
  },
};
