import type { Finding } from '../../model/finding.js';
import type { McpEndpointInventory } from '../../model/mcp.js';
import type { Severity } from '../../model/severity.js';
import type { Check } from '../types.js';
import { allTools } from './lib/endpoint.js';
import { toolExposure, type ExposureKind } from './lib/exposure.js';
import { endpointFinding } from './lib/finding.js';

/**
 * Tools that hand the caller what the server holds: its environment variables (where its tokens
 * and passwords live), a shell (the same and more), or any file on its disk — judged from each
 * tool's name, description and input parameters. With --call-tools, a called tool whose answer
 * held a credential is one too, whatever it says it does. Only tool names, what gave each away
 * and secret rule ids go into the finding; never a description or an answer.
 */

type Kind = ExposureKind | 'secret-in-answer';

const RANK: Record<Kind, number> = { environment: 0, 'secret-in-answer': 1, shell: 2, 'file-read': 3 };
const SEVERITY: Record<Kind, Severity> = { environment: 'high', 'secret-in-answer': 'high', shell: 'high', 'file-read': 'medium' };
const LABEL: Record<Kind, string> = {
  environment: "reads the server's environment variables",
  'secret-in-answer': 'answered with a credential',
  shell: 'runs commands on the server',
  'file-read': 'reads any file on the server',
};

interface Hit {
  tool: string;
  exposes: Kind;
  signal: string;
  secretRules?: string[];
}

export const check: Check<McpEndpointInventory> = {
  id: 'mcp-endpoint-tool-exposes-environment',
  run(inv) {
    const out: Finding[] = [];
    for (const o of inv.endpoints) {
      const hits: Hit[] = [];
      for (const t of allTools(o)) {
        const e = toolExposure(t);
        if (e) hits.push({ tool: t.name, exposes: e.kind, signal: e.signal });
      }
      for (const c of o.calledTools ?? []) {
        if (c.secretRules?.length) hits.push({ tool: c.name, exposes: 'secret-in-answer', signal: 'answer', secretRules: c.secretRules });
      }
      if (!hits.length) continue;
      hits.sort((a, b) => RANK[a.exposes] - RANK[b.exposes] || a.tool.localeCompare(b.tool));
      const kinds = [...new Set(hits.map((h) => h.exposes))];
      const open = o.anonymous.ok ? ' It answers without a token, so anyone who can reach it can call them.' : '';
      const parts = kinds.map((k) => {
        const names = hits.filter((h) => h.exposes === k).map((h) => h.tool);
        return `${names.slice(0, 5).join(', ')}${names.length > 5 ? ' …' : ''} ${LABEL[k]}`;
      });
      out.push(
        endpointFinding(this.id, o, {
          severity: SEVERITY[kinds[0]],
          message: `${o.url} has tools that hand their caller the server's secrets: ${parts.join('; ')}. Whoever (or whichever agent, prompt-injected or not) calls them gets the credentials the server runs with.${open}`,
          evidence: { tools: hits.slice(0, 50), anonymous: o.anonymous.ok },
        }),
      );
    }
    return out;
  },
};
