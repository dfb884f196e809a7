import type { McpConfigInventory, McpEndpointInventory } from '../../../model/mcp.js';
import type { Check } from '../../types.js';
import { check as autoApprove } from '../mcp-config-auto-approve.js';
import { check as reuse } from '../mcp-config-credential-reuse.js';
import { check as inputNotMasked } from '../mcp-config-input-not-masked.js';
import { check as literal } from '../mcp-config-literal-credential.js';
import { check as plainHttp } from '../mcp-config-plain-http.js';
import { check as unpinned } from '../mcp-config-unpinned-package.js';
import { ENDPOINT_CHECKS as endpointChecks } from './endpoint-registry.js';

/** Checks over parsed client configs (scan's MCP files, `mcp --discover`, `mcp --config`). */
export const CONFIG_CHECKS: Check<McpConfigInventory>[] = [literal, reuse, plainHttp, unpinned, autoApprove, inputNotMasked];

/** Checks over what the prober observed at endpoints (`mcp URL`, `--probe`, `--local`). */
export const ENDPOINT_CHECKS: Check<McpEndpointInventory>[] = endpointChecks;
