import type { McpConfigInventory } from '../../model/mcp.js';
import type { Check } from '../types.js';
import { serverResource } from './lib/credential.js';
import { configFinding, serverLabel } from './lib/finding.js';
import { launchOf } from './lib/launcher.js';

export const check: Check<McpConfigInventory> = {
  id: 'mcp-config-unpinned-package',
  run(inv) {
    return inv.files.flatMap((file) =>
      file.servers.flatMap((server) => {
        const l = launchOf(server.command, server.args);
        if (!l || l.pinned) return [];
        const what = l.version === undefined ? 'no version' : `version '${l.version}', which can change`;
        return [
          configFinding(this.id, file, {
            resource: serverResource(file, server),
            line: server.line,
            message: `${serverLabel(file, server)} is started with \`${l.runner} ${l.package}\` and ${what}${l.autoInstall ? ', installing without asking (-y)' : ''}: every start runs whatever the registry serves at that moment, with the server's credentials.`,
            evidence: { client: file.client, server: server.name, runner: l.runner, package: l.package, version: l.version ?? null, autoInstall: l.autoInstall },
          }),
        ];
      }),
    );
  },
};
