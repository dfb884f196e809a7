import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createNetServer, type Socket } from 'node:net';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { SSEServerTransport } from '@modelcontextprotocol/sdk/server/sse.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { isInitializeRequest, ListToolsRequestSchema, McpError } from '@modelcontextprotocol/sdk/types.js';

/**
 * Real MCP servers for tests, on 127.0.0.1 only: built with @modelcontextprotocol/sdk (Streamable
 * HTTP and the legacy HTTP+SSE transport), plus a hand-written stateless 2026-07-28 server (the SDK
 * does not speak that revision yet), an OAuth front (challenge, Protected Resource Metadata,
 * authorization server metadata) with configurable flaws, and two broken servers: one that never
 * answers and one that resets every connection.
 */

export interface ToolDef {
  name: string;
  description?: string;
  readOnly?: boolean;
  /** What tools/call answers (text); default `<name> ran`. */
  answer?: string;
  /** Input parameters, name → description (the stateless 2026 server's schemas only). */
  params?: Record<string, string>;
}

export interface SeenRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body?: unknown;
}

export interface TestServer {
  /** The MCP endpoint. */
  url: string;
  base: string;
  port: number;
  requests: SeenRequest[];
  /** JSON-RPC methods received by the MCP layer, in order (tools/call included). */
  rpc: string[];
  close(): Promise<void>;
}

function track(server: Server | ReturnType<typeof createNetServer>): () => Promise<void> {
  const sockets = new Set<Socket>();
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  return () =>
    new Promise((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    });
}

async function listen(server: Server | ReturnType<typeof createNetServer>): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const addr = server.address();
  if (!addr || typeof addr === 'string') throw new Error('no port');
  return addr.port;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let s = '';
    req.on('data', (c) => (s += c));
    req.on('end', () => resolve(s));
  });
}

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

/**
 * An SDK McpServer with these tools; each answers with a short text. `listToolsError`: tools/list
 * answers this JSON-RPC error message instead (a server whose errors echo what it should not).
 */
export function makeMcpServer(name: string, tools: ToolDef[], rpc?: string[], listToolsError?: string): McpServer {
  const server = new McpServer({ name, version: '1.0.0' });
  for (const t of tools) {
    server.registerTool(t.name, { description: t.description ?? `${t.name} tool`, annotations: t.readOnly ? { readOnlyHint: true } : { destructiveHint: false } }, async () => {
      rpc?.push(`tools/call:${t.name}`);
      return { content: [{ type: 'text', text: t.answer ?? `${t.name} ran` }] };
    });
  }
  if (listToolsError !== undefined) {
    server.server.setRequestHandler(ListToolsRequestSchema, () => {
      throw new McpError(-32603, listToolsError);
    });
  }
  return server;
}

/** Streamable HTTP (stateful sessions) over node:http, SDK on both ends of each session. */
function streamableHandler(name: string, tools: () => ToolDef[], rpc: string[], listToolsError?: string) {
  const sessions = new Map<string, StreamableHTTPServerTransport>();
  return async (req: IncomingMessage, res: ServerResponse, raw: string) => {
    const sid = req.headers['mcp-session-id'];
    let body: unknown;
    if (raw) {
      try {
        body = JSON.parse(raw);
      } catch {
        body = undefined;
      }
    }
    if (body && typeof body === 'object' && 'method' in body) rpc.push(String((body as { method: string }).method));
    let transport = typeof sid === 'string' ? sessions.get(sid) : undefined;
    if (!transport) {
      if (req.method !== 'POST' || !isInitializeRequest(body)) {
        json(res, 400, { jsonrpc: '2.0', error: { code: -32000, message: 'Bad Request: No valid session ID provided' }, id: null });
        return;
      }
      const t = new StreamableHTTPServerTransport({ sessionIdGenerator: () => crypto.randomUUID(), onsessioninitialized: (id) => void sessions.set(id, t) });
      t.onclose = () => {
        if (t.sessionId) sessions.delete(t.sessionId);
      };
      await makeMcpServer(name, tools(), rpc, listToolsError).connect(t);
      transport = t;
    }
    await transport.handleRequest(req, res, body);
  };
}

export interface AuthFront {
  /** Accept this request's credentials? token is the bearer (header) or the access_token query value. */
  accept(token: string | undefined, via: 'header' | 'query' | 'none'): boolean;
  /** WWW-Authenticate for 401s (undefined: no header). `{base}` is replaced by the server's base URL. */
  challenge?: string;
  /** Extra JSON documents by path (`{base}` replaced in string values). */
  documents?: Record<string, unknown>;
  /** Access-Control-Allow-Origin on every answer, including preflights. */
  allowOrigin?: string;
}

function fill(v: unknown, base: string): unknown {
  if (typeof v === 'string') return v.replaceAll('{base}', base);
  if (Array.isArray(v)) return v.map((x) => fill(x, base));
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, fill(x, base)]));
  return v;
}

/** An SDK Streamable HTTP MCP server at /mcp, optionally behind an OAuth resource-server front. */
export async function startStreamableServer(opts: {
  name?: string;
  tools: ToolDef[] | (() => ToolDef[]);
  auth?: AuthFront;
  /** Answer the first N requests with 503 / 429 (Retry-After: 0) before serving. */
  flaky?: { count: number; status: 503 | 429 };
  /** tools/list answers a JSON-RPC error with this message. */
  listToolsError?: string;
}): Promise<TestServer> {
  let flaky = opts.flaky?.count ?? 0;
  const requests: SeenRequest[] = [];
  const rpc: string[] = [];
  const tools = typeof opts.tools === 'function' ? opts.tools : () => opts.tools as ToolDef[];
  const handle = streamableHandler(opts.name ?? 'test-server', tools, rpc, opts.listToolsError);
  let base = '';
  const server = createHttpServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const raw = await readBody(req);
    requests.push({ method: req.method ?? '', path: url.pathname + url.search, headers: req.headers, body: raw || undefined });
    if (flaky > 0) {
      flaky--;
      return json(res, opts.flaky!.status, { error: 'try again' }, { 'retry-after': '0' });
    }
    const a = opts.auth;
    if (a?.allowOrigin) res.setHeader('access-control-allow-origin', a.allowOrigin);
    const doc = a?.documents?.[url.pathname];
    if (doc !== undefined && req.method === 'GET') return json(res, 200, fill(doc, base));
    if (url.pathname !== '/mcp') return json(res, 404, { error: 'not found' });
    if (a) {
      if (req.method === 'OPTIONS') {
        res.writeHead(204, a.allowOrigin ? { 'access-control-allow-headers': 'authorization, content-type, mcp-protocol-version, mcp-session-id' } : {});
        return res.end();
      }
      const header = req.headers.authorization;
      const bearer = typeof header === 'string' && /^Bearer\s+(.+)$/i.exec(header)?.[1];
      const query = url.searchParams.get('access_token') ?? undefined;
      const ok = bearer ? a.accept(bearer, 'header') : query !== undefined ? a.accept(query, 'query') : a.accept(undefined, 'none');
      if (!ok) {
        res.writeHead(401, { 'content-type': 'application/json', ...(a.challenge ? { 'www-authenticate': String(fill(a.challenge, base)) } : {}) });
        return res.end(JSON.stringify({ error: 'invalid_token' }));
      }
    }
    await handle(req, res, raw);
  });
  const close = track(server);
  const port = await listen(server);
  base = `http://127.0.0.1:${port}`;
  return { url: `${base}/mcp`, base, port, requests, rpc, close };
}

/** OAuth documents of a well-configured resource server whose authorization server is itself. */
export function goodAuthDocuments(overrides: { asMetadata?: Record<string, unknown>; prm?: Record<string, unknown> } = {}): Record<string, unknown> {
  return {
    '/.well-known/oauth-protected-resource/mcp': { resource: '{base}/mcp', authorization_servers: ['{base}'], scopes_supported: ['tools:read', 'tools:write'], bearer_methods_supported: ['header'], ...overrides.prm },
    '/.well-known/oauth-authorization-server': {
      issuer: '{base}',
      authorization_endpoint: '{base}/authorize',
      token_endpoint: '{base}/token',
      response_types_supported: ['code'],
      grant_types_supported: ['authorization_code', 'refresh_token'],
      code_challenge_methods_supported: ['S256'],
      token_endpoint_auth_methods_supported: ['none'],
      client_id_metadata_document_supported: true,
      scopes_supported: ['tools:read', 'tools:write'],
      ...overrides.asMetadata,
    },
  };
}

export const GOOD_CHALLENGE = 'Bearer resource_metadata="{base}/.well-known/oauth-protected-resource/mcp", scope="tools:read"';

/** The legacy HTTP+SSE transport (GET /sse, POST /messages) with the SDK's SSEServerTransport. */
export async function startSseServer(opts: { name?: string; tools: ToolDef[] }): Promise<TestServer> {
  const requests: SeenRequest[] = [];
  const rpc: string[] = [];
  const transports = new Map<string, SSEServerTransport>();
  const server = createHttpServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    requests.push({ method: req.method ?? '', path: url.pathname + url.search, headers: req.headers });
    if (req.method === 'GET' && url.pathname === '/sse') {
      const t = new SSEServerTransport('/messages', res);
      transports.set(t.sessionId, t);
      res.on('close', () => transports.delete(t.sessionId));
      await makeMcpServer(opts.name ?? 'legacy-sse', opts.tools, rpc).connect(t);
      return;
    }
    if (req.method === 'POST' && url.pathname === '/messages') {
      const t = transports.get(url.searchParams.get('sessionId') ?? '');
      const raw = await readBody(req);
      if (!t) return json(res, 404, { error: 'unknown session' });
      const body = JSON.parse(raw);
      if (body?.method) rpc.push(body.method);
      await t.handlePostMessage(req, res, body);
      return;
    }
    json(res, 405, { error: 'method not allowed' });
  });
  const close = track(server);
  const port = await listen(server);
  const base = `http://127.0.0.1:${port}`;
  return { url: `${base}/sse`, base, port, requests, rpc, close };
}

/**
 * A stateless server of the 2026-07-28 revision, hand-written: every request is a POST with an
 * Mcp-Method header matching the JSON-RPC method; server/discover instead of initialize; no
 * sessions. It checks Origin and Host (DNS-rebinding protection) and pages tools/list.
 */
export async function startStateless2026Server(tools: Array<ToolDef & { required?: string[] }>): Promise<TestServer> {
  const requests: SeenRequest[] = [];
  const rpc: string[] = [];
  let port = 0;
  const server = createHttpServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const raw = await readBody(req);
    requests.push({ method: req.method ?? '', path: url.pathname, headers: req.headers, body: raw || undefined });
    if (url.pathname !== '/mcp') return json(res, 404, { error: 'not found' });
    if (req.method !== 'POST') return json(res, 405, { error: 'POST only' });
    const okHosts = [`127.0.0.1:${port}`, `localhost:${port}`];
    const origin = req.headers.origin;
    if (!okHosts.includes(req.headers.host ?? '') || (origin !== undefined && !okHosts.some((h) => origin === `http://${h}`))) return json(res, 403, { error: 'forbidden origin or host' });
    let msg: { id?: number; method?: string; params?: Record<string, unknown> };
    try {
      msg = JSON.parse(raw);
    } catch {
      return json(res, 400, { jsonrpc: '2.0', id: null, error: { code: -32700, message: 'Parse error' } });
    }
    if (req.headers['mcp-method'] !== msg.method) return json(res, 400, { jsonrpc: '2.0', id: msg.id ?? null, error: { code: -32600, message: 'Mcp-Method header does not match the request' } });
    rpc.push(String(msg.method));
    const reply = (result: unknown) => json(res, 200, { jsonrpc: '2.0', id: msg.id, result });
    switch (msg.method) {
      case 'server/discover':
        return reply({ supportedVersions: ['2026-07-28'], capabilities: { tools: { listChanged: false } }, serverInfo: { name: 'stateless-2026-test', version: '1.0.0' } });
      case 'tools/list': {
        const all = tools.map((t) => ({
          name: t.name,
          description: t.description ?? t.name,
          inputSchema: { type: 'object', properties: Object.fromEntries(Object.entries(t.params ?? {}).map(([k, d]) => [k, { type: 'string', description: d }])), required: t.required ?? [] },
          annotations: t.readOnly ? { readOnlyHint: true } : {},
        }));
        // One tool per page, to exercise pagination.
        const i = msg.params?.cursor ? Number(msg.params.cursor) : 0;
        return reply({ tools: all.slice(i, i + 1), ...(i + 1 < all.length ? { nextCursor: String(i + 1) } : {}) });
      }
      case 'tools/call':
        rpc.push(`tools/call:${String(msg.params?.name)}`);
        return reply({ content: [{ type: 'text', text: tools.find((t) => t.name === msg.params?.name)?.answer ?? 'ok' }] });
      default:
        return json(res, 200, { jsonrpc: '2.0', id: msg.id, error: { code: -32601, message: `Method not found: ${msg.method} (this server speaks 2026-07-28: use server/discover)` } });
    }
  });
  const close = track(server);
  port = await listen(server);
  const base = `http://127.0.0.1:${port}`;
  return { url: `${base}/mcp`, base, port, requests, rpc, close };
}

/** Accepts TCP connections and never answers. */
export async function startSilentServer(): Promise<TestServer> {
  const server = createNetServer(() => undefined);
  const close = track(server);
  const port = await listen(server);
  const base = `http://127.0.0.1:${port}`;
  return { url: `${base}/mcp`, base, port, requests: [], rpc: [], close };
}

/** Resets every connection (TCP RST) as soon as it is accepted. */
export async function startResetServer(): Promise<TestServer> {
  const server = createNetServer((s) => s.resetAndDestroy());
  const close = track(server);
  const port = await listen(server);
  const base = `http://127.0.0.1:${port}`;
  return { url: `${base}/mcp`, base, port, requests: [], rpc: [], close };
}
