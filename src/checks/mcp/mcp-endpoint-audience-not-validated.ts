import type { McpEndpointInventory } from '../../model/mcp.js';
import type { Check } from '../types.js';
import { requiresToken } from './lib/endpoint.js';
import { endpointFinding } from './lib/finding.js';

export const check: Check<McpEndpointInventory> = {
  id: 'mcp-endpoint-audience-not-validated',
  run(inv) {
    return inv.endpoints
      .filter((o) => requiresToken(o) && o.userToken?.ok && !o.userToken.audienceIsThisEndpoint && !o.invalidToken?.ok)
      .map((o) =>
        endpointFinding(this.id, o, {
          message: `${o.url} accepts the --token-env token, which was issued for another resource${o.userToken!.audience?.length ? ` (aud: ${o.userToken!.audience.join(', ')})` : ''}. The server does not check the token's audience: any token from the same authorization server works here, and a server that forwards tokens (passthrough) turns that into access elsewhere.`,
          evidence: { tokenFormat: o.userToken!.format, audience: o.userToken!.audience ?? null, expectedResource: o.resourceMetadata?.resource ?? o.url },
        }),
      );
  },
};
