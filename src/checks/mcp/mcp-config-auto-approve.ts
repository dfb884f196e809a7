import type { McpConfigInventory } from '../../model/mcp.js';
import type { Check } from '../types.js';
import { serverResource } from './lib/credential.js';
import { clientName, configFinding } from './lib/finding.js';
import { canAct } from './lib/tools.js';

export const check: Check<McpConfigInventory> = {
  id: 'mcp-config-auto-approve',
  run(inv) {
    return inv.files.flatMap((file) =>
      file.approvals.flatMap((a) => {
        const acting = a.all ? [] : a.tools.filter((t) => canAct({ name: t }));
        if (!a.all && acting.length === 0) return [];
        const scope = a.server === '*' ? 'every tool of every MCP server' : a.all ? `every tool of server '${a.server}'` : `tools of server '${a.server}' that can act (${acting.join(', ')})`;
        const server = file.servers.find((s) => s.name === a.server);
        return [
          configFinding(this.id, file, {
            resource: a.server === '*' ? `mcp:${file.client}:*` : serverResource(file, server ?? { name: a.server }),
            discriminator: a.via,
            line: a.line,
            severity: a.all ? undefined : 'medium',
            message: `${clientName(file)} runs ${scope} without asking, through \`${a.via}\` in ${file.path}. A prompt injection in any content the agent reads can then use them with the server's credentials.`,
            evidence: { client: file.client, server: a.server, setting: a.via, allTools: a.all, tools: a.all ? [] : acting },
          }),
        ];
      }),
    );
  },
};
