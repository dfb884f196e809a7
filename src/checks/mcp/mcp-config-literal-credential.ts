import type { McpConfigInventory } from '../../model/mcp.js';
import type { Check } from '../types.js';
import { serverCredentials, serverResource } from './lib/credential.js';
import { clientName, credentialFinding, serverLabel } from './lib/finding.js';

export const check: Check<McpConfigInventory> = {
  id: 'mcp-config-literal-credential',
  run(inv) {
    return inv.files.flatMap((file) =>
      file.servers.flatMap((server) =>
        serverCredentials(server).map((c) =>
          credentialFinding(this.id, file, c.value, {
            resource: serverResource(file, server),
            line: c.setting.line ?? server.line,
            // A token a provider rule recognises is a live credential for that provider.
            severity: c.known ? 'critical' : undefined,
            message: `${c.known ? c.known.title : 'A credential'} is written literally in ${c.where} of ${serverLabel(file, server)}. Anyone who can read the file (backups, sync, a repository) can use it.`,
            evidence: {
              client: file.client,
              clientName: clientName(file),
              server: server.name,
              ...(server.scope ? { project: server.scope } : {}),
              setting: c.where,
              ...(c.known ? { recognisedAs: c.known.ruleId } : {}),
              transport: server.transport,
            },
          }),
        ),
      ),
    );
  },
};
