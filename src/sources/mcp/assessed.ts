import { CONFIG_CHECKS } from '../../checks/mcp/lib/registry.js';
import type { Check } from '../../checks/types.js';
import type { OwaspId } from '../../model/owasp.js';
import { checkMeta } from '../../rules/catalog.js';

// Kept apart from scan-mcp.ts so that `scan`, which runs the config checks, does not load the MCP
// SDK and the endpoint prober.

/** The OWASP categories a set of checks assesses, in NHI order. */
export function owaspOf(checks: Check<unknown>[]): OwaspId[] {
  const set = new Set<OwaspId>(checks.flatMap((c) => checkMeta(c.id).owasp));
  return [...set].sort((a, b) => Number(a.slice(3)) - Number(b.slice(3)));
}

export const CONFIG_ASSESSED = (): OwaspId[] => owaspOf(CONFIG_CHECKS as Check<unknown>[]);
