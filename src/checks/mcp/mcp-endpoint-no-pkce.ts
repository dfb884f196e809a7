import type { McpEndpointInventory } from '../../model/mcp.js';
import type { Check } from '../types.js';
import { endpointFinding } from './lib/finding.js';

export const check: Check<McpEndpointInventory> = {
  id: 'mcp-endpoint-no-pkce',
  run(inv) {
    return inv.endpoints
      .filter((o) => o.authServer?.found && !(o.authServer.codeChallengeMethods ?? []).includes('S256'))
      .map((o) => {
        const m = o.authServer!.codeChallengeMethods;
        return endpointFinding(this.id, o, {
          message: `The authorization server of ${o.url} (${o.authServer!.issuer}) ${m === undefined ? 'does not advertise code_challenge_methods_supported' : `advertises PKCE methods [${m.join(', ')}] without S256`}. MCP clients must refuse to authorize without S256 PKCE; those that do not are open to authorization code interception.`,
          evidence: { issuer: o.authServer!.issuer, metadataUrl: o.authServer!.url, codeChallengeMethodsSupported: m ?? null },
        });
      });
  },
};
