import type { Finding } from '../../model/finding.js';
import { secretFingerprint } from '../../model/fingerprint.js';
import type { McpConfigFile, McpConfigInventory, McpServerConfig } from '../../model/mcp.js';
import type { Check } from '../types.js';
import { serverCredentials, serverResource } from './lib/credential.js';
import { clientName, credentialFinding } from './lib/finding.js';

interface Use {
  file: McpConfigFile;
  server: McpServerConfig;
  where: string;
  line?: number;
  value: string;
}

export const check: Check<McpConfigInventory> = {
  id: 'mcp-config-credential-reuse',
  run(inv) {
    const byFp = new Map<string, Use[]>();
    for (const file of inv.files)
      for (const server of file.servers)
        for (const c of serverCredentials(server)) {
          const fp = secretFingerprint(c.value);
          const list = byFp.get(fp) ?? [];
          list.push({ file, server, where: c.where, line: c.setting.line ?? server.line, value: c.value });
          byFp.set(fp, list);
        }
    const out: Finding[] = [];
    for (const uses of byFp.values()) {
      const servers = new Map(uses.map((u) => [`${u.file.path}\0${serverResource(u.file, u.server)}`, u]));
      if (servers.size < 2) continue;
      const first = uses[0];
      const clients = [...new Set(uses.map((u) => clientName(u.file)))];
      const f = credentialFinding(this.id, first.file, first.value, {
        resource: serverResource(first.file, first.server),
        line: first.line,
        message: `One credential is used by ${servers.size} MCP servers${clients.length > 1 ? ` across ${clients.length} clients (${clients.join(', ')})` : ''}: ${[...servers.values()].map((u) => `'${u.server.name}'`).join(', ')}. A leak through any of them exposes all, and none can be rotated or revoked alone.`,
        evidence: { servers: [...servers.values()].map((u) => ({ client: u.file.client, server: u.server.name, path: u.file.path, line: u.line, setting: u.where })) },
      });
      // Every other place is an occurrence of the same finding.
      for (const u of uses.slice(1)) f.occurrences.push({ source: f.source, path: u.file.path, line: u.line, resource: serverResource(u.file, u.server), ...(u.file.target !== undefined ? { target: u.file.target } : {}) });
      out.push(f);
    }
    return out;
  },
};
