import type { McpEndpointInventory } from '../../model/mcp.js';
import type { Check } from '../types.js';
import { endpointFinding } from './lib/finding.js';

export const check: Check<McpEndpointInventory> = {
  id: 'mcp-endpoint-dynamic-registration-only',
  run(inv) {
    return inv.endpoints
      .filter((o) => o.authServer?.found && o.authServer.registrationEndpoint && o.authServer.clientIdMetadataDocumentSupported !== true)
      .map((o) =>
        endpointFinding(this.id, o, {
          message: `The authorization server of ${o.url} offers open Dynamic Client Registration (${o.authServer!.endpoints.registration_endpoint}) and no Client ID Metadata Documents: anyone can register a client under any name, and the consent screen is all that tells users which app they authorize.`,
          evidence: { registrationEndpoint: o.authServer!.endpoints.registration_endpoint ?? null, clientIdMetadataDocumentSupported: o.authServer!.clientIdMetadataDocumentSupported ?? null },
        }),
      );
  },
};
