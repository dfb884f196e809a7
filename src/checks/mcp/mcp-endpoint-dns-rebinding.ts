import type { McpEndpointInventory } from '../../model/mcp.js';
import type { Check } from '../types.js';
import { endpointFinding } from './lib/finding.js';

export const check: Check<McpEndpointInventory> = {
  id: 'mcp-endpoint-dns-rebinding',
  run(inv) {
    return inv.endpoints
      // A public endpoint that answers anyone is reported as unauthenticated; rebinding matters where attackers cannot reach directly.
      .filter((o) => o.rebinding && o.hostClass !== 'public' && (o.rebinding.foreignOrigin.accepted || o.rebinding.foreignHost.accepted))
      .map((o) => {
        const r = o.rebinding!;
        const what = [r.foreignOrigin.accepted && 'a foreign Origin', r.foreignHost.accepted && 'a foreign Host header'].filter(Boolean).join(' and ');
        return endpointFinding(this.id, o, {
          message: `${o.url} (on ${o.hostClass === 'loopback' ? 'this machine' : 'a private network'}) answers MCP requests carrying ${what}. Any web page the user visits can reach it through the browser (DNS rebinding or a cross-site request) and use its tools.`,
          evidence: { foreignOriginAccepted: r.foreignOrigin.accepted, foreignHostAccepted: r.foreignHost.accepted, hostClass: o.hostClass },
        });
      });
  },
};
