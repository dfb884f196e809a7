import type { McpEndpointInventory } from '../../model/mcp.js';
import type { Check } from '../types.js';
import { insecureUrl } from './lib/endpoint.js';
import { endpointFinding } from './lib/finding.js';

export const check: Check<McpEndpointInventory> = {
  id: 'mcp-endpoint-as-insecure-endpoints',
  run(inv) {
    return inv.endpoints.flatMap((o) => {
      const urls: Record<string, string> = {};
      for (const [i, s] of (o.resourceMetadata?.authorizationServers ?? []).entries()) urls[`authorization_servers[${i}]`] = s;
      if (o.authServer?.found) {
        urls.issuer = o.authServer.issuerInDocument ?? o.authServer.issuer;
        Object.assign(urls, o.authServer.endpoints);
      }
      const bad = Object.entries(urls).filter(([, u]) => insecureUrl(u));
      if (!bad.length) return [];
      return [
        endpointFinding(this.id, o, {
          message: `The OAuth setup of ${o.url} uses plain http:// for ${bad.map(([k]) => k).join(', ')}: authorization codes, tokens and client secrets would cross the network unencrypted.`,
          evidence: { insecure: Object.fromEntries(bad) },
        }),
      ];
    });
  },
};
