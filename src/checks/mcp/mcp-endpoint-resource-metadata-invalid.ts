import { resourceMatches } from '../../util/url.js';
import type { McpEndpointInventory } from '../../model/mcp.js';
import type { Check } from '../types.js';
import { endpointFinding } from './lib/finding.js';

export const check: Check<McpEndpointInventory> = {
  id: 'mcp-endpoint-resource-metadata-invalid',
  run(inv) {
    return inv.endpoints.flatMap((o) => {
      const rm = o.resourceMetadata;
      if (!rm?.found) return [];
      const problems: string[] = [];
      if (!rm.resource) problems.push('it has no "resource"');
      else if (!resourceMatches(rm.resource, o.url)) problems.push(`its "resource" (${rm.resource}) is not this endpoint`);
      if (!rm.authorizationServers?.length) problems.push('it lists no "authorization_servers"');
      if (!problems.length) return [];
      return [
        endpointFinding(this.id, o, {
          message: `The Protected Resource Metadata of ${o.url} (${rm.url}) is unusable: ${problems.join(' and ')}. Clients must reject it, or — worse — request tokens for the wrong resource.`,
          evidence: { metadataUrl: rm.url, resource: rm.resource ?? null, endpoint: o.url, authorizationServers: rm.authorizationServers ?? [] },
        }),
      ];
    });
  },
};
