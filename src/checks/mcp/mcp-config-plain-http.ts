import { isLoopbackHost } from '../../util/hosts.js';
import type { McpConfigInventory } from '../../model/mcp.js';
import type { Check } from '../types.js';
import { serverResource } from './lib/credential.js';
import { configFinding, serverLabel } from './lib/finding.js';

/** The host of a URL, tolerating references such as ${HOST} in other parts. */
function hostOf(url: string): string | undefined {
  try {
    return new URL(url.trim()).hostname;
  } catch {
    return undefined;
  }
}

export const check: Check<McpConfigInventory> = {
  id: 'mcp-config-plain-http',
  run(inv) {
    return inv.files.flatMap((file) =>
      file.servers
        .filter((s) => s.url !== undefined && /^http:\/\//i.test(s.url.trim()))
        .flatMap((server) => {
          const host = hostOf(server.url!);
          if (host === undefined || host.includes('$') || isLoopbackHost(host)) return [];
          const hasAuth = server.settings.some((s) => s.kind === 'header');
          return [
            configFinding(this.id, file, {
              resource: serverResource(file, server),
              line: server.settings.find((s) => s.kind === 'url')?.line ?? server.line,
              severity: hasAuth ? 'high' : undefined,
              message: `${serverLabel(file, server)} connects to ${host} over plain http://${hasAuth ? ', sending its headers (and any token in them) unencrypted' : ''}. Anyone on the network path can read and alter the traffic, tokens included.`,
              evidence: { client: file.client, server: server.name, host, transport: server.transport, sendsHeaders: hasAuth },
            }),
          ];
        }),
    );
  },
};
