import type { McpEndpointInventory } from '../../model/mcp.js';
import type { Check } from '../types.js';
import { endpointFinding } from './lib/finding.js';

const ALL = new Set(['0.0.0.0', '::', '[::]']);

export const check: Check<McpEndpointInventory> = {
  id: 'mcp-endpoint-listens-on-all-interfaces',
  run(inv) {
    return inv.endpoints
      .filter((o) => o.listen && ALL.has(o.listen.address) && (o.anonymous.ok || o.reachable))
      .map((o) =>
        endpointFinding(this.id, o, {
          severity: o.anonymous.ok ? undefined : 'medium',
          message: `An MCP server${o.listen!.process ? ` (${o.listen!.process})` : ''} listens on ${o.listen!.address}:${o.listen!.port}, every network interface of this machine, instead of 127.0.0.1${o.anonymous.ok ? ', and answers without a token: anyone on the same network can use its tools' : ''}.`,
          evidence: { address: o.listen!.address, port: o.listen!.port, process: o.listen!.process ?? null, answersWithoutToken: o.anonymous.ok },
        }),
      );
  },
};
