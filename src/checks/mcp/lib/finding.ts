import type { Finding } from '../../../model/finding.js';
import { findingId, redact, secretFingerprint } from '../../../model/fingerprint.js';
import { makePostureFinding, type PostureFindingInput } from '../../../model/make-finding.js';
import { scoreFinding } from '../../../score/score.js';
import type { McpConfigFile, McpEndpointObservation } from '../../../model/mcp.js';
import { CLIENT_NAMES } from '../../../model/mcp.js';

export const CONFIG_SOURCE = 'mcp-config';
export const ENDPOINT_SOURCE = 'mcp-endpoint';

/** A finding about a server (or setting) declared in a client config file, at its file and line. */
export function configFinding(checkId: string, file: McpConfigFile, i: Omit<PostureFindingInput, 'source' | 'path' | 'target'>): Finding {
  return makePostureFinding(checkId, { ...i, source: CONFIG_SOURCE, path: file.path, target: file.target });
}

/**
 * A finding about a credential value: its id is the check plus the secret's fingerprint, so the
 * same credential in several files or clients' configs is one finding with several occurrences
 * (report correlation then adds NHI9). The value itself never leaves this function.
 */
export function credentialFinding(checkId: string, file: McpConfigFile, value: string, i: Omit<PostureFindingInput, 'source' | 'path' | 'target'>): Finding {
  const fingerprint = secretFingerprint(value);
  const f = configFinding(checkId, file, i);
  f.id = findingId(checkId, fingerprint);
  f.secret = { redacted: redact(value), fingerprint };
  f.score = scoreFinding(f);
  return f;
}

/** A finding about an endpoint: the URL is the resource; the config that declares it, if any, gives path and line. */
export function endpointFinding(checkId: string, obs: McpEndpointObservation, i: Omit<PostureFindingInput, 'source' | 'resource' | 'path' | 'line' | 'target'>): Finding {
  const where = obs.declaredIn;
  return makePostureFinding(checkId, {
    ...i,
    source: ENDPOINT_SOURCE,
    resource: obs.url,
    path: where?.path,
    line: where?.line,
    target: obs.target,
  });
}

export function clientName(file: McpConfigFile): string {
  return CLIENT_NAMES[file.client];
}

/** "server 'github' in .cursor/mcp.json (Cursor)" */
export function serverLabel(file: McpConfigFile, server: { name: string; scope?: string }): string {
  return `server '${server.name}'${server.scope ? ` (project ${server.scope})` : ''} in ${file.path} (${clientName(file)})`;
}
