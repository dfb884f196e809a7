import type { McpEndpointInventory } from '../../model/mcp.js';
import type { Check } from '../types.js';
import { endpointFinding } from './lib/finding.js';

/** Scopes that grant everything rather than a task: *, all, full access, admin, root … and wildcards such as repo:*. */
const BROAD = /^(?:\*|all|any|full|full[_-]?access|admin|administrator|root|superuser|god|everything)$|[:./]\*$|[:./](?:all|admin|full)$/i;

export const check: Check<McpEndpointInventory> = {
  id: 'mcp-endpoint-broad-scopes',
  run(inv) {
    return inv.endpoints.flatMap((o) => {
      const found = new Map<string, string>();
      const add = (scopes: string[] | undefined, where: string) => {
        for (const s of scopes ?? []) if (BROAD.test(s) && !found.has(s)) found.set(s, where);
      };
      add(o.resourceMetadata?.scopesSupported, 'protected resource metadata');
      add(o.authServer?.found ? o.authServer.scopesSupported : undefined, 'authorization server metadata');
      add(o.anonymous.challenge?.scope?.split(/\s+/).filter(Boolean), 'WWW-Authenticate scope');
      if (!found.size) return [];
      return [
        endpointFinding(this.id, o, {
          message: `${o.url} offers catch-all scopes (${[...found.keys()].join(', ')}): clients that request them get tokens for everything, and a stolen token is worth everything.`,
          evidence: { broadScopes: Object.fromEntries(found) },
        }),
      ];
    });
  },
};
