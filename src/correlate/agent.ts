import { serverResource } from '../checks/mcp/lib/credential.js';
import type { Finding } from '../model/finding.js';
import type { McpConfigFile } from '../model/mcp.js';
import { safeUrl } from '../util/url.js';
import { correlationFinding } from './make.js';

/**
 * The agent story: an MCP endpoint that lets anyone in (the probe saw it) and whose client config
 * also holds a literal token for that server (the config analysis saw it) are one risk: one finding
 * naming both, linked to each.
 */
export function joinOpenServersAndTokens(findings: Finding[], configs: McpConfigFile[]): Finding[] {
  const open = findings.filter((f) => f.ruleId === 'mcp-endpoint-unauthenticated' && f.location.resource);
  if (!open.length) return [];
  const out: Finding[] = [];
  for (const ep of open) {
    const url = safeUrl(ep.location.resource!).url;
    for (const file of configs)
      for (const server of file.servers) {
        if (!server.url || safeUrl(server.url.trim()).url !== url) continue;
        const res = serverResource(file, server);
        for (const secret of findings.filter((f) => f.secret && f.occurrences.some((o) => o.resource === res || (o.path === file.path && server.settings.some((s) => s.line !== undefined && s.line === o.line))))) {
          out.push(
            correlationFinding('mcp-open-server-with-literal-token', {
              subject: `${url}\0${secret.secret!.fingerprint}`,
              location: { path: file.path, ...(server.line ? { line: server.line } : {}), resource: url, ...(file.target !== undefined ? { target: file.target } : {}) },
              source: 'mcp-config',
              message: `MCP server '${server.name}' at ${url} answers without authentication, and ${file.path} also holds a literal credential for it (${secret.secret!.redacted}).`,
              related: [ep.id, secret.id],
              evidence: { server: server.name, endpoint: url, config: file.path, credential: secret.secret!.redacted, endpointFinding: ep.id, credentialFinding: secret.id },
            }),
          );
        }
      }
  }
  return out;
}
