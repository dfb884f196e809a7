import type { McpEndpointInventory } from '../../../model/mcp.js';
import type { Check } from '../../types.js';
import { check as acceptsInvalid } from '../mcp-endpoint-accepts-invalid-token.js';
import { check as asInsecure } from '../mcp-endpoint-as-insecure-endpoints.js';
import { check as issuerMismatch } from '../mcp-endpoint-as-issuer-mismatch.js';
import { check as asMissing } from '../mcp-endpoint-as-metadata-missing.js';
import { check as audience } from '../mcp-endpoint-audience-not-validated.js';
import { check as broadScopes } from '../mcp-endpoint-broad-scopes.js';
import { check as cors } from '../mcp-endpoint-cors-wildcard.js';
import { check as rebinding } from '../mcp-endpoint-dns-rebinding.js';
import { check as dcrOnly } from '../mcp-endpoint-dynamic-registration-only.js';
import { check as allInterfaces } from '../mcp-endpoint-listens-on-all-interfaces.js';
import { check as noChallenge } from '../mcp-endpoint-missing-auth-challenge.js';
import { check as noPkce } from '../mcp-endpoint-no-pkce.js';
import { check as noPrm } from '../mcp-endpoint-no-resource-metadata.js';
import { check as plainHttp } from '../mcp-endpoint-plain-http.js';
import { check as prmInvalid } from '../mcp-endpoint-resource-metadata-invalid.js';
import { check as queryToken } from '../mcp-endpoint-token-in-query.js';
import { check as toolChanged } from '../mcp-endpoint-tool-changed.js';
import { check as poisoning } from '../mcp-endpoint-tool-poisoning.js';
import { check as unauthenticated } from '../mcp-endpoint-unauthenticated.js';

export const ENDPOINT_CHECKS: Check<McpEndpointInventory>[] = [
  unauthenticated,
  acceptsInvalid,
  queryToken,
  audience,
  noChallenge,
  noPrm,
  prmInvalid,
  asMissing,
  issuerMismatch,
  noPkce,
  asInsecure,
  dcrOnly,
  broadScopes,
  plainHttp,
  rebinding,
  cors,
  allInterfaces,
  poisoning,
  toolChanged,
];
