import type { Finding } from '../../model/finding.js';
import type { McpEndpointInventory } from '../../model/mcp.js';
import type { Check } from '../types.js';
import { allTools } from './lib/endpoint.js';
import { endpointFinding } from './lib/finding.js';

/**
 * Signs of instructions to the model hidden in a tool description (tool poisoning): tags that
 * mimic system prompts, orders to ignore or hide, reaching for credential files, exfiltration,
 * and invisible characters. Each sign has a label; the description itself stays out of the report.
 */
const SIGNS: Array<[string, RegExp]> = [
  ['system-prompt tag', /<\s*\/?\s*(?:important|system|instructions?|secret|hidden|admin|prompt)\s*>/i],
  ['ignore previous instructions', /\b(?:ignore|disregard|forget|override)\b[^.\n]{0,40}\b(?:previous|prior|above|earlier|all|other|system)\b[^.\n]{0,20}\b(?:instructions?|prompts?|rules|guidelines)\b/i],
  ['hide from the user', /\b(?:do not|don't|never|without)\b[^.\n]{0,30}\b(?:tell|telling|inform|informing|mention|mentioning|reveal|revealing|show|showing|notify|notifying|alert)\b[^.\n]{0,20}\b(?:the )?user\b/i],
  ['credential files', /(?:~\/|\$HOME\/|\/home\/[^/\s]+\/)?\.(?:ssh|aws|gnupg|kube|docker)\b|\bid_(?:rsa|ed25519|ecdsa)\b|\.env\b|mcp\.json|claude_desktop_config|\.netrc|credentials\.json/i],
  ['act before or instead of the tool', /\bbefore (?:using|calling|invoking|running) (?:this|any|the) tool\b[^.\n]{0,60}\b(?:read|call|send|include|pass|fetch|run)\b/i],
  ['send data elsewhere', /\b(?:send|post|upload|forward|exfiltrat\w*|transmit|leak)\b[^.\n]{0,60}\b(?:to|into)\b[^.\n]{0,40}(?:https?:\/\/|@|\bemail\b|\bwebhook\b|\bserver\b)/i],
  ['invisible characters', /[\u200B-\u200F\u2060-\u2064\uFEFF\u202A-\u202E\u2066-\u2069]|[\u{E0000}-\u{E007F}]/u],
];

export function poisoningSigns(description: string | undefined): string[] {
  if (!description) return [];
  return SIGNS.filter(([, re]) => re.test(description)).map(([label]) => label);
}

export const check: Check<McpEndpointInventory> = {
  id: 'mcp-endpoint-tool-poisoning',
  run(inv) {
    const out: Finding[] = [];
    for (const o of inv.endpoints) {
      const hits = allTools(o)
        .map((t) => ({ tool: t.name, signs: poisoningSigns(t.description) }))
        .filter((h) => h.signs.length > 0);
      if (!hits.length) continue;
      out.push(
        endpointFinding(this.id, o, {
          message: `${hits.length} tool description${hits.length === 1 ? '' : 's'} of ${o.url} carr${hits.length === 1 ? 'ies' : 'y'} instructions aimed at the model (${[...new Set(hits.flatMap((h) => h.signs))].join(', ')}): ${hits
            .slice(0, 5)
            .map((h) => h.tool)
            .join(', ')}${hits.length > 5 ? ' …' : ''}. Agents read tool descriptions as trusted context.`,
          evidence: { tools: hits.slice(0, 50) },
        }),
      );
    }
    return out;
  },
};
