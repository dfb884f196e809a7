import type { McpConfigInventory } from '../../model/mcp.js';
import type { Check } from '../types.js';
import { inputReferences, isCredentialName, serverResource } from './lib/credential.js';
import { configFinding, serverLabel } from './lib/finding.js';

export const check: Check<McpConfigInventory> = {
  id: 'mcp-config-input-not-masked',
  run(inv) {
    return inv.files.flatMap((file) =>
      file.servers.flatMap((server) =>
        server.settings.flatMap((s) => {
          const credentialPlace = isCredentialName(s.key) || (s.kind === 'header' && /^(?:authorization|proxy-authorization|cookie)$/i.test(s.key ?? ''));
          if (!credentialPlace) return [];
          return inputReferences(s.value)
            .map((id) => ({ id, input: file.inputs.find((i) => i.id === id) }))
            .filter((r) => r.input !== undefined && !r.input.password)
            .map((r) =>
              configFinding(this.id, file, {
                resource: serverResource(file, server),
                discriminator: `${s.kind}:${s.key}:${r.id}`,
                line: r.input!.line ?? s.line,
                message: `${serverLabel(file, server)} reads ${s.kind} ${s.key} from input '${r.id}', which is not declared with "password": true: the credential is shown in clear while typed.`,
                evidence: { client: file.client, server: server.name, input: r.id, setting: `${s.kind} ${s.key}` },
              }),
            );
        }),
      ),
    );
  },
};
