import type { McpEndpointInventory } from '../../model/mcp.js';
import type { Check } from '../types.js';
import { endpointFinding } from './lib/finding.js';

export const check: Check<McpEndpointInventory> = {
  id: 'mcp-endpoint-tool-changed',
  run(inv) {
    return inv.endpoints
      .filter((o) => o.pins && !o.pins.firstRun && (o.pins.changed.length > 0 || o.pins.added.length > 0))
      .map((o) => {
        const p = o.pins!;
        return endpointFinding(this.id, o, {
          severity: p.changed.length ? undefined : 'low',
          message: `Since the tools of ${o.url} were pinned in ${p.file}, ${[p.changed.length && `${p.changed.length} changed their description or input (${p.changed.slice(0, 8).join(', ')})`, p.added.length && `${p.added.length} were added (${p.added.slice(0, 8).join(', ')})`].filter(Boolean).join(' and ')}. A server that rewrites its tools after approval can slip in new instructions (a rug pull).`,
          evidence: { pinFile: p.file, changed: p.changed, added: p.added, removed: p.removed },
        });
      });
  },
};
