import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { TOOL_VERSION } from '../../../util/version.js';
import type { McpEndpointObservation, McpSessionFacts, McpToolInfo } from '../../../model/mcp.js';
import { fetchText, NetError, probeFetch, type ProbeStats, type RecordedResponse } from './http.js';
import { jsonRpcAnswer, jsonRpcRequest } from './jsonrpc.js';
import { saidInBody, saidInError } from './said.js';
import { secretRulesIn } from '../../../util/redact.js';

/**
 * One attempt to speak MCP to an endpoint with a given set of headers (none, a garbage token, the
 * user's token): the 2026-07-28 revision first (server/discover, no initialize, no session, the
 * Mcp-Method header), then Streamable HTTP (initialize, Mcp-Session-Id; 2025-03-26 … 2025-11-25)
 * and the legacy HTTP+SSE transport through the SDK's Client. Lists tools when asked; calls tools
 * only when asked (--call-tools), and then only read-only tools that need no input.
 */

export const PROTOCOL_2026 = '2026-07-28';
const MAX_TOOL_PAGES = 20;
const MAX_TOOLS = 1000;
const MAX_CALLS = 3;
const MAX_PARAMS = 50;
/** The part of a tool's answer searched for secrets. */
const MAX_ANSWER_CHARS = 1 << 20;

export interface SessionOptions {
  timeoutMs: number;
  headers?: Record<string, string>;
  listTools: boolean;
  callTools?: boolean;
  stats: ProbeStats;
  /** Tokens this session sends: redacted wherever the server's words are quoted, whatever their format. */
  known?: string[];
}

export type CalledTool = NonNullable<McpEndpointObservation['calledTools']>[number];

export interface SessionResult extends McpSessionFacts {
  wwwAuthenticate?: string;
  /** Access-Control-Allow-Origin of the first answer. */
  allowOrigin?: string;
  netError?: NetError;
  /** The server's own words about a refusal or failure (a JSON-RPC error, an error body), redacted. */
  said?: string;
  calledTools?: CalledTool[];
}

const ACCEPT = 'application/json, text/event-stream';

function toolInfo(t: unknown): McpToolInfo | undefined {
  if (!t || typeof t !== 'object') return undefined;
  const o = t as Record<string, unknown>;
  if (typeof o.name !== 'string') return undefined;
  const ann = (o.annotations && typeof o.annotations === 'object' ? o.annotations : {}) as Record<string, unknown>;
  const schema = (o.inputSchema && typeof o.inputSchema === 'object' ? o.inputSchema : {}) as Record<string, unknown>;
  const info: McpToolInfo = { name: o.name.slice(0, 200) };
  if (typeof o.description === 'string') info.description = o.description.slice(0, 4000);
  if (typeof ann.readOnlyHint === 'boolean') info.readOnlyHint = ann.readOnlyHint;
  if (typeof ann.destructiveHint === 'boolean') info.destructiveHint = ann.destructiveHint;
  if (Array.isArray(schema.required)) info.required = schema.required.filter((r): r is string => typeof r === 'string');
  const props = schema.properties && typeof schema.properties === 'object' && !Array.isArray(schema.properties) ? (schema.properties as Record<string, unknown>) : undefined;
  if (props) {
    info.params = Object.entries(props)
      .slice(0, MAX_PARAMS)
      .map(([name, p]) => {
        const d = p && typeof p === 'object' ? (p as Record<string, unknown>).description : undefined;
        return typeof d === 'string' ? { name: name.slice(0, 100), description: d.slice(0, 500) } : { name: name.slice(0, 100) };
      });
  }
  return info;
}

/** Tools safe to call to confirm access: the server says read-only, and they need no input. */
/**
 * Words in a tool's name or description that say it reads the server's environment, files or
 * secrets: such a tool is never called, even when it declares readOnlyHint — its answer would be
 * the very credential the audit must not copy.
 */
const SENSITIVE_TOOL = /(?:^|[^a-z])(?:env|environ|environment|variables?|secrets?|credentials?|tokens?|passwords?|passwd|api[ _-]?keys?|keys?|files?|filesystem|fs|paths?|dir|directory|directories|dotenv|config|configuration|process|shell|exec|cat|read[ _-]?file)(?:$|[^a-z])/i;

/** Words split at camelCase and snake_case boundaries, lower-cased: `getEnvVars` → `get env vars`. */
function words(s: string): string {
  return s.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/[_\-.]+/g, ' ').toLowerCase();
}

export function safeToCall(t: McpToolInfo): boolean {
  if (t.readOnlyHint !== true || t.destructiveHint === true || (t.required ?? []).length > 0) return false;
  // Optional parameters count too: `lookup(name?: "environment variable name")` called without input may dump them all.
  const texts = [t.name, t.description ?? '', ...(t.params ?? []).flatMap((p) => [p.name, p.description ?? ''])];
  return !texts.some((x) => SENSITIVE_TOOL.test(words(x)));
}

function callable(tools: McpToolInfo[]): McpToolInfo[] {
  return tools.filter(safeToCall).slice(0, MAX_CALLS);
}

/** The text of a tools/call result (text content, embedded text resources, structured content). */
function answerText(result: unknown): string {
  if (!result || typeof result !== 'object') return '';
  const r = result as Record<string, unknown>;
  const parts: string[] = [];
  for (const c of Array.isArray(r.content) ? r.content : []) {
    if (!c || typeof c !== 'object') continue;
    const x = c as Record<string, unknown>;
    if (typeof x.text === 'string') parts.push(x.text);
    const res = x.resource && typeof x.resource === 'object' ? (x.resource as Record<string, unknown>) : undefined;
    if (typeof res?.text === 'string') parts.push(res.text);
  }
  if (r.structuredContent !== undefined) parts.push(JSON.stringify(r.structuredContent));
  return parts.join('\n').slice(0, MAX_ANSWER_CHARS);
}

/**
 * What a called tool answered, as the observation keeps it: whether it worked and which secret
 * rules match in its answer — never the answer itself.
 */
function called(name: string, result: Record<string, unknown> | undefined): CalledTool {
  const out: CalledTool = { name, ok: !!result && result.isError !== true };
  const rules = secretRulesIn(answerText(result));
  if (rules.length) out.secretRules = rules;
  return out;
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([p, new Promise<T>((_, reject) => (timer = setTimeout(() => reject(new NetError('timeout', `timed out after ${ms} ms`)), ms)))]).finally(() => clearTimeout(timer));
}

// ---- 2026-07-28: stateless requests ----

async function post2026(url: string, id: number, method: string, params: Record<string, unknown>, o: SessionOptions, extra: Record<string, string> = {}) {
  const res = await fetchText(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: ACCEPT, 'mcp-protocol-version': PROTOCOL_2026, 'mcp-method': method, ...extra, ...o.headers },
    body: jsonRpcRequest(id, method, params),
    timeoutMs: o.timeoutMs,
    stats: o.stats,
  });
  return { res, answer: jsonRpcAnswer(res.body, res.headers['content-type'], id) };
}

/** The server's words in a JSON-RPC error or an error body (redacted), for the failure's reason. */
function saidIn(res: { status: number; body: string; headers: Record<string, string> }, answer: ReturnType<typeof jsonRpcAnswer>, o: SessionOptions): string | undefined {
  if (answer?.error) return saidInBody(JSON.stringify({ error: answer.error }), 'application/json', o.known ?? []);
  return res.status >= 400 ? saidInBody(res.body, res.headers['content-type'], o.known ?? []) : undefined;
}

async function stateless(url: string, o: SessionOptions): Promise<SessionResult | { fallback: true; said?: string }> {
  const { res, answer } = await post2026(url, 1, 'server/discover', {}, o);
  const base: SessionResult = { ok: false, status: res.status, wwwAuthenticate: res.headers['www-authenticate'], allowOrigin: res.headers['access-control-allow-origin'] };
  const said = saidIn(res, answer, o);
  if (said) base.said = said;
  if (res.status === 401 || res.status === 403) return base;
  if (res.status < 200 || res.status >= 300 || !answer?.result) return { fallback: true, said };
  const r = answer.result;
  const versions = Array.isArray(r.supportedVersions) ? r.supportedVersions.map(String) : Array.isArray(r.protocolVersions) ? r.protocolVersions.map(String) : [];
  const info = (r.serverInfo && typeof r.serverInfo === 'object' ? r.serverInfo : {}) as Record<string, unknown>;
  const out: SessionResult = {
    ...base,
    ok: true,
    status: undefined,
    said: undefined,
    transport: 'stateless-2026',
    protocolVersion: typeof r.protocolVersion === 'string' ? r.protocolVersion : versions.includes(PROTOCOL_2026) ? PROTOCOL_2026 : (versions[0] ?? PROTOCOL_2026),
  };
  if (typeof info.name === 'string') out.serverName = info.name.slice(0, 200);
  if (!o.listTools) return out;
  const tools: McpToolInfo[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < MAX_TOOL_PAGES && tools.length < MAX_TOOLS; page++) {
    const { res: r, answer: a } = await post2026(url, 2 + page, 'tools/list', cursor ? { cursor } : {}, o);
    if (!a?.result) {
      out.toolsListed = false;
      const said = saidIn(r, a, o);
      out.error = a?.error || said ? `tools/list failed (${said ?? a?.error?.code ?? 'error'})` : 'tools/list gave no answer';
      return out;
    }
    for (const t of Array.isArray(a.result.tools) ? a.result.tools : []) {
      const ti = toolInfo(t);
      if (ti) tools.push(ti);
    }
    cursor = typeof a.result.nextCursor === 'string' && a.result.nextCursor ? a.result.nextCursor : undefined;
    if (!cursor) break;
  }
  out.toolsListed = true;
  out.tools = tools;
  if (o.callTools) {
    out.calledTools = [];
    for (const t of callable(tools)) {
      const { answer: a } = await post2026(url, 100 + out.calledTools.length, 'tools/call', { name: t.name, arguments: {} }, o, { 'mcp-name': t.name }).catch(() => ({ answer: undefined }));
      out.calledTools.push(called(t.name, a?.result));
    }
  }
  return out;
}

// ---- Streamable HTTP and HTTP+SSE through the SDK ----

async function viaSdk(kind: 'streamable-http' | 'sse', url: string, o: SessionOptions): Promise<SessionResult> {
  const seen: RecordedResponse[] = [];
  let netError: NetError | undefined;
  const fetch = probeFetch({ timeoutMs: o.timeoutMs, headers: o.headers, stats: o.stats, record: (r) => seen.push(r), onError: (e) => (netError ??= e) });
  const transport: Transport =
    kind === 'streamable-http' ? new StreamableHTTPClientTransport(new URL(url), { fetch, redirectPolicy: 'same-origin' }) : new SSEClientTransport(new URL(url), { fetch, redirectPolicy: 'same-origin' });
  const client = new Client({ name: 'nhi-audit', version: TOOL_VERSION }, { capabilities: {} });
  client.onerror = () => undefined;
  const first = () => seen[0];
  const fail = (said: string | undefined): SessionResult => {
    const r = first();
    const out: SessionResult = { ok: false, status: r?.status, wwwAuthenticate: r?.headers['www-authenticate'], allowOrigin: r?.headers['access-control-allow-origin'], netError, error: netError?.message };
    if (said && !netError) out.said = said;
    return out;
  };
  try {
    await withTimeout(client.connect(transport, { timeout: o.timeoutMs }), o.timeoutMs * 2);
  } catch (e) {
    if (e instanceof NetError && !netError) netError = e;
    await client.close().catch(() => undefined);
    return fail(saidInError(e, o.known ?? []));
  }
  const out: SessionResult = {
    ok: true,
    transport: kind,
    protocolVersion: kind === 'streamable-http' ? (transport as StreamableHTTPClientTransport).protocolVersion : undefined,
    allowOrigin: first()?.headers['access-control-allow-origin'],
  };
  const sv = client.getServerVersion();
  if (sv?.name) out.serverName = sv.name.slice(0, 200);
  try {
    if (o.listTools) {
      if (!client.getServerCapabilities()?.tools) {
        out.toolsListed = true;
        out.tools = [];
      } else {
        const tools: McpToolInfo[] = [];
        let cursor: string | undefined;
        for (let page = 0; page < MAX_TOOL_PAGES && tools.length < MAX_TOOLS; page++) {
          const r = await withTimeout(client.listTools(cursor ? { cursor } : {}, { timeout: o.timeoutMs }), o.timeoutMs * 2);
          for (const t of r.tools) {
            const ti = toolInfo(t);
            if (ti) tools.push(ti);
          }
          cursor = r.nextCursor || undefined;
          if (!cursor) break;
        }
        out.toolsListed = true;
        out.tools = tools;
      }
      if (o.callTools && out.tools) {
        out.calledTools = [];
        for (const t of callable(out.tools)) {
          const r = await withTimeout(client.callTool({ name: t.name, arguments: {} }, undefined, { timeout: o.timeoutMs }), o.timeoutMs * 2).catch(() => undefined);
          out.calledTools.push(called(t.name, r as Record<string, unknown> | undefined));
        }
      }
    }
  } catch (e) {
    out.toolsListed = false;
    const said = saidInError(e, o.known ?? []);
    out.error = e instanceof NetError ? `tools/list: ${e.message}` : `tools/list failed${said ? ` (${said})` : ''}`;
  } finally {
    if (transport instanceof StreamableHTTPClientTransport) await withTimeout(transport.terminateSession(), o.timeoutMs).catch(() => undefined);
    await client.close().catch(() => undefined);
  }
  if (kind === 'streamable-http') out.protocolVersion ??= (transport as StreamableHTTPClientTransport).protocolVersion;
  return out;
}

/**
 * Talk MCP to `url` with these headers. A network failure or an auth refusal (401/403) ends the
 * attempt at once; any other refusal moves on to the next protocol generation.
 */
export async function openSession(url: string, o: SessionOptions): Promise<SessionResult> {
  let firstStatus: number | undefined;
  let said: string | undefined;
  try {
    const s = await stateless(url, o);
    if (!('fallback' in s)) return s;
    said = s.said;
  } catch (e) {
    if (e instanceof NetError) return { ok: false, netError: e, error: e.message };
    throw e;
  }
  const streamable = await viaSdk('streamable-http', url, o);
  if (streamable.ok || streamable.netError || streamable.status === 401 || streamable.status === 403) return streamable;
  firstStatus = streamable.status;
  said ??= streamable.said;
  const sse = await viaSdk('sse', url, o);
  if (sse.ok || sse.netError || sse.status === 401 || sse.status === 403) return sse;
  said ??= sse.said;
  const statuses = [firstStatus, sse.status].filter((s) => s !== undefined);
  const out: SessionResult = {
    ok: false,
    status: sse.status ?? firstStatus,
    error: `no MCP handshake succeeded (2026-07-28, Streamable HTTP, HTTP+SSE)${statuses.length ? `; HTTP ${[...new Set(statuses)].join('/')}` : ''}${said ? `; the server said: ${said}` : ''}`,
  };
  if (said) out.said = said;
  return out;
}
