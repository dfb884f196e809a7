import type { McpEndpointInventory } from '../../model/mcp.js';
import type { Check } from '../types.js';
import { requiresToken } from './lib/endpoint.js';
import { endpointFinding } from './lib/finding.js';

export const check: Check<McpEndpointInventory> = {
  id: 'mcp-endpoint-cors-wildcard',
  run(inv) {
    return inv.endpoints
      .filter((o) => requiresToken(o) && o.cors?.allowOrigin?.trim() === '*')
      .map((o) =>
        endpointFinding(this.id, o, {
          message: `${o.url} requires a token yet sends Access-Control-Allow-Origin: *${o.cors!.via === 'preflight' ? ' to a foreign origin\'s preflight' : ''}: any web page can call it from the browser with a token it obtains, and read the answers.`,
          evidence: { allowOrigin: '*', allowHeaders: o.cors!.allowHeaders ?? null, via: o.cors!.via },
        }),
      );
  },
};
