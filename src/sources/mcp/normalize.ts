import type { ClientFile } from './clients.js';
import type { DocPath, LocatedDoc } from './parse/located.js';
import type { McpApproval, McpConfigFile, McpInput, McpServerConfig, McpSetting } from '../../model/mcp.js';

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : undefined;
}

/** Read a nested key, accepting both `{"a": {"b": 1}}` and VS Code's flat `{"a.b": 1}` spelling. */
function dig(root: unknown, dotted: string): { value: unknown; path: string[] } | undefined {
  if (!isObj(root)) return undefined;
  if (dotted in root) return { value: root[dotted], path: [dotted] };
  const [head, ...rest] = dotted.split('.');
  if (!(head in root)) return undefined;
  if (rest.length === 0) return { value: root[head], path: [head] };
  const inner = dig(root[head], rest.join('.'));
  return inner && { value: inner.value, path: [head, ...inner.path] };
}

/** Keys of a server entry that hold credentials by name even outside env/headers (Codex's old bearer_token …). */
const CREDENTIAL_FIELD = /token|secret|password|passwd|api[_-]?key|apikey|auth|credential|cookie/i;
/** Keys that name where a credential comes from, not the credential (references are fine). */
const REFERENCE_FIELD = /_env_var$|^env_vars$|^envFile$|^env_file$|^env_http_headers$/i;

export interface Extracted {
  file: McpConfigFile;
  warnings: string[];
}

/** Turn a parsed client config into servers, inputs and auto-approve settings, with lines. */
export function extractConfig(doc: LocatedDoc, spec: ClientFile, path: string): Extracted {
  const file: McpConfigFile = { path, client: spec.client, format: spec.format, servers: [], inputs: [], approvals: [] };
  const warnings: string[] = [];
  const root = doc.value;
  if (!isObj(root)) {
    if (root !== null && root !== undefined) warnings.push(`${path}: expected a ${spec.format === 'yaml' ? 'mapping' : 'object'} at the top level; nothing to check`);
    return { file, warnings };
  }
  const ctx: Ctx = { doc, file, warnings, path };
  switch (spec.layout) {
    case 'claude-json':
      serversAt(ctx, root.mcpServers, ['mcpServers']);
      if (isObj(root.projects)) {
        for (const [project, p] of Object.entries(root.projects)) {
          if (!isObj(p)) continue;
          serversAt(ctx, p.mcpServers, ['projects', project, 'mcpServers'], project);
          claudeAllow(ctx, p.allowedTools, ['projects', project, 'allowedTools'], 'allowedTools');
        }
      }
      break;
    case 'claude-settings': {
      const perms = isObj(root.permissions) ? root.permissions : undefined;
      claudeAllow(ctx, perms?.allow, ['permissions', 'allow'], 'permissions.allow');
      serversAt(ctx, root.mcpServers, ['mcpServers']);
      break;
    }
    case 'vscode-settings': {
      // .vscode/mcp.json has top-level servers/inputs; settings.json has them under "mcp".
      const servers = root.servers !== undefined ? { value: root.servers, path: ['servers'] } : dig(root, 'mcp.servers');
      const inputs = root.inputs !== undefined ? { value: root.inputs, path: ['inputs'] } : dig(root, 'mcp.inputs');
      if (servers) serversAt(ctx, servers.value, servers.path);
      if (inputs) vscodeInputs(ctx, inputs.value, inputs.path);
      for (const key of ['chat.tools.autoApprove', 'chat.tools.global.autoApprove']) {
        const v = dig(root, key);
        if (v?.value === true) file.approvals.push({ server: '*', all: true, tools: [], via: key, line: doc.lineOf(v.path) });
      }
      break;
    }
    case 'zed-settings': {
      const cs = dig(root, 'context_servers');
      if (cs) serversAt(ctx, cs.value, cs.path);
      for (const key of ['agent.always_allow_tool_actions', 'assistant.always_allow_tool_actions']) {
        const v = dig(root, key);
        if (v?.value === true) file.approvals.push({ server: '*', all: true, tools: [], via: key, line: doc.lineOf(v.path) });
      }
      break;
    }
    case 'continue-yaml':
    case 'continue-json': {
      if (root.mcpServers !== undefined) serversAt(ctx, root.mcpServers, ['mcpServers']);
      const legacy = dig(root, 'experimental.modelContextProtocolServers');
      if (legacy) serversAt(ctx, legacy.value, legacy.path);
      if (spec.client === 'generic' && root.mcpServers === undefined && !legacy) genericServers(ctx, root);
      break;
    }
    case 'codex':
      if (root.mcp_servers !== undefined) serversAt(ctx, root.mcp_servers, ['mcp_servers']);
      else if (spec.client === 'generic') genericServers(ctx, root);
      break;
    case 'servers':
      if (spec.client === 'generic') genericServers(ctx, root);
      else serversAt(ctx, root.mcpServers, ['mcpServers']);
      break;
  }
  return { file, warnings };
}

interface Ctx {
  doc: LocatedDoc;
  file: McpConfigFile;
  warnings: string[];
  path: string;
}

/** A file of unknown client: the first server container it has. */
function genericServers(ctx: Ctx, root: Obj): void {
  for (const key of ['mcpServers', 'servers', 'context_servers', 'mcp_servers', 'mcp.servers', 'experimental.modelContextProtocolServers']) {
    const v = dig(root, key);
    if (v) {
      serversAt(ctx, v.value, v.path);
      const inputs = dig(root, key === 'mcp.servers' ? 'mcp.inputs' : 'inputs');
      if (inputs) vscodeInputs(ctx, inputs.value, inputs.path);
      return;
    }
  }
}

/** A map of name → server (most clients) or a list of servers with `name` (Continue). */
function serversAt(ctx: Ctx, container: unknown, path: DocPath, scope?: string): void {
  if (container === undefined || container === null) return;
  if (Array.isArray(container)) {
    container.forEach((e, i) => {
      if (!isObj(e)) return warnShape(ctx, [...path, i], 'a server entry should be a mapping');
      const name = str(e.name) ?? `#${i + 1}`;
      addServer(ctx, name, e, [...path, i], scope);
    });
    return;
  }
  if (!isObj(container)) return warnShape(ctx, path, `${path.join('.')} should be a mapping of server names to servers`);
  for (const [name, e] of Object.entries(container)) {
    if (!isObj(e)) {
      warnShape(ctx, [...path, name], `server '${name}' should be a mapping`);
      continue;
    }
    addServer(ctx, name, e, [...path, name], scope);
  }
}

function warnShape(ctx: Ctx, path: DocPath, msg: string): void {
  const line = ctx.doc.lineOf(path);
  ctx.warnings.push(`${ctx.path}${line !== undefined ? `:${line}` : ''}: ${msg}; skipped`);
}

function transportOf(e: Obj, url: string | undefined, urlKey: string | undefined): McpServerConfig['transport'] {
  const t = (str(e.type) ?? str(e.transportType) ?? (typeof e.transport === 'string' ? e.transport : undefined))?.toLowerCase();
  if (t === 'stdio') return 'stdio';
  if (t === 'sse') return 'sse';
  if (t && /http|streamable/.test(t)) return 'http';
  // No declared type: a URL ending in /sse is the legacy transport, any other URL Streamable HTTP.
  if (url !== undefined) return urlKey === 'url' && /\/sse\/?(\?|$)/.test(url) ? 'sse' : 'http';
  if (e.command !== undefined) return 'stdio';
  return 'unknown';
}

function addServer(ctx: Ctx, name: string, e: Obj, path: DocPath, scope?: string): void {
  const { doc } = ctx;
  // Continue's legacy format nests the launch under `transport`; Zed's older one under `command`.
  const launch: Obj = isObj(e.transport) ? e.transport : isObj(e.command) ? { ...e.command, command: e.command.path } : e;
  const launchPath: DocPath = isObj(e.transport) ? [...path, 'transport'] : isObj(e.command) ? [...path, 'command'] : path;
  const settings: McpSetting[] = [];
  const urlKey = ['url', 'serverUrl', 'httpUrl'].find((k) => typeof launch[k] === 'string');
  const url = urlKey ? (launch[urlKey] as string) : undefined;
  if (urlKey && url !== undefined) settings.push({ kind: 'url', key: urlKey, value: url, line: doc.lineOf([...launchPath, urlKey]) });

  const command = str(launch.command) ?? str(launch.path);
  const args = Array.isArray(launch.args) ? launch.args.map((a) => str(a) ?? '') : [];
  args.forEach((a, i) => {
    const line = doc.lineOf([...launchPath, 'args', i]);
    const eq = /^(--?[A-Za-z][\w-]*)=(.*)$/s.exec(a) ?? /^([A-Za-z_][A-Za-z0-9_]*)=(.+)$/s.exec(a);
    if (eq) settings.push({ kind: 'arg', key: eq[1], value: eq[2], line });
    else {
      const prev = i > 0 ? args[i - 1] : undefined;
      settings.push({ kind: 'arg', key: prev && /^--?[A-Za-z][\w-]*$/.test(prev) ? prev : undefined, value: a, line });
    }
  });
  const maps: Array<[McpSetting['kind'], unknown, DocPath]> = [
    ['env', launch.env, [...launchPath, 'env']],
    ['header', e.headers, [...path, 'headers']],
    ['header', e.http_headers, [...path, 'http_headers']],
    ['header', isObj(e.requestOptions) ? e.requestOptions.headers : undefined, [...path, 'requestOptions', 'headers']],
  ];
  for (const [kind, m, mp] of maps) {
    if (!isObj(m)) continue;
    for (const [k, v] of Object.entries(m)) {
      const s = str(v);
      if (s !== undefined) settings.push({ kind, key: k, value: s, line: doc.lineOf([...mp, k]) });
    }
  }
  for (const [k, v] of Object.entries(e)) {
    if (typeof v === 'string' && CREDENTIAL_FIELD.test(k) && !REFERENCE_FIELD.test(k)) settings.push({ kind: 'field', key: k, value: v, line: doc.lineOf([...path, k]) });
  }

  const server: McpServerConfig = { name, line: doc.lineOf(path), transport: transportOf(launch, url, urlKey), args, settings };
  if (scope !== undefined) server.scope = scope;
  if (command !== undefined) server.command = command;
  if (url !== undefined) server.url = url;
  if (e.disabled === true || e.enabled === false) server.disabled = true;
  ctx.file.servers.push(server);

  // Per-server auto-approve: Cline's autoApprove, Roo Code's alwaysAllow, Gemini CLI's trust.
  for (const key of ['autoApprove', 'alwaysAllow']) {
    const list = e[key];
    if (Array.isArray(list) && list.length > 0) {
      const tools = list.map((t) => str(t) ?? '').filter(Boolean);
      ctx.file.approvals.push({ server: name, all: tools.includes('*'), tools: tools.filter((t) => t !== '*'), via: key, line: doc.lineOf([...path, key]) });
    } else if (list === true) ctx.file.approvals.push({ server: name, all: true, tools: [], via: key, line: doc.lineOf([...path, key]) });
  }
  if (e.trust === true) ctx.file.approvals.push({ server: name, all: true, tools: [], via: 'trust', line: doc.lineOf([...path, 'trust']) });
}

function vscodeInputs(ctx: Ctx, v: unknown, path: DocPath): void {
  if (!Array.isArray(v)) return;
  v.forEach((inp, i) => {
    if (!isObj(inp) || typeof inp.id !== 'string') return;
    const input: McpInput = { id: inp.id, password: inp.password === true, line: ctx.doc.lineOf([...path, i]) };
    ctx.file.inputs.push(input);
  });
}

/**
 * Claude Code permission rules: `mcp__server` or `mcp__server__*` allows every tool of a server,
 * `mcp__server__tool` one tool, `mcp__*` every tool of every server.
 */
function claudeAllow(ctx: Ctx, v: unknown, path: DocPath, via: string): void {
  if (!Array.isArray(v)) return;
  const byServer = new Map<string, McpApproval>();
  v.forEach((rule, i) => {
    const m = typeof rule === 'string' ? /^mcp__([^_]+(?:_[^_]+)*?|\*)(?:__(.+))?$/.exec(rule.trim()) : null;
    if (!m) return;
    const server = m[1];
    const tool = m[2];
    let a = byServer.get(server);
    if (!a) {
      a = { server, all: false, tools: [], via, line: ctx.doc.lineOf([...path, i]) };
      byServer.set(server, a);
    }
    if (tool === undefined || tool === '*' || server === '*') {
      a.all = true;
      a.line = ctx.doc.lineOf([...path, i]);
    } else a.tools.push(tool);
  });
  ctx.file.approvals.push(...byServer.values());
}
