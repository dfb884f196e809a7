import type { McpEndpointInventory } from '../../model/mcp.js';
import type { Check } from '../types.js';
import { requiresToken } from './lib/endpoint.js';
import { endpointFinding } from './lib/finding.js';

export const check: Check<McpEndpointInventory> = {
  id: 'mcp-endpoint-token-in-query',
  run(inv) {
    return inv.endpoints
      // When a made-up header token already works, the query string adds nothing new.
      .filter((o) => requiresToken(o) && o.queryToken?.ok && !o.invalidToken?.ok)
      .map((o) =>
        endpointFinding(this.id, o, {
          message: `${o.url} accepts ${o.queryToken!.token === 'user' ? 'a token' : 'even a made-up token'} in the access_token query parameter. Tokens in URLs end up in proxy and server logs, browser history and Referer headers; MCP forbids them.`,
          evidence: { parameter: 'access_token', tokenSent: o.queryToken!.token === 'user' ? 'the --token-env token' : 'a made-up token' },
        }),
      );
  },
};
