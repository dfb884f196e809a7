import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { randomBytes } from 'node:crypto';
import { addressClass } from '../../../util/hosts.js';
import type { McpEndpointObservation, McpHeaderTest, McpSessionFacts, McpTokenTest, McpUserTokenTest } from '../../../model/mcp.js';
import { discoverAuthServer, discoverResourceMetadata, parseChallenge } from './auth.js';
import { fetchText, NetError, openStream, type ProbeStats } from './http.js';
import { jsonRpcAnswer, jsonRpcRequest, sseEvents } from './jsonrpc.js';
import { openSession, PROTOCOL_2026, type SessionResult } from './session.js';
import { resourceMatches, safeUrl } from '../../../util/url.js';
import { redactText } from '../../../util/redact.js';

/**
 * Probe one endpoint from outside and record what it does — never judge: the endpoint checks do.
 * Without a token: handshake, tools. When it asks for one: the challenge, Protected Resource
 * Metadata, authorization server metadata, then a garbage token, a token in the query string and
 * (with --token-env) the user's token for another resource. When it answers without a token: a
 * foreign Origin and a foreign Host (DNS rebinding).
 */

export interface EndpointProbeOptions {
  timeoutMs: number;
  callTools: boolean;
  /** A token the user holds for another resource (--token-env); never printed. */
  userToken?: string;
  declaredIn?: McpEndpointObservation['declaredIn'];
  listen?: McpEndpointObservation['listen'];
}

export interface EndpointProbeResult {
  observation: McpEndpointObservation;
  warnings: string[];
  stats: Record<string, number>;
}

const FOREIGN_HOST = 'rebind.nhi-audit.invalid';
const FOREIGN_ORIGIN = 'https://rebind.nhi-audit.invalid';

async function hostClassOf(hostname: string): Promise<McpEndpointObservation['hostClass']> {
  const h = hostname.replace(/^\[|\]$/g, '');
  if (isIP(h)) return addressClass(h);
  if (addressClass(h) === 'loopback') return 'loopback';
  try {
    const addrs = await lookup(h, { all: true });
    const classes = addrs.map((a) => addressClass(a.address));
    // The most exposed address decides: a name that also resolves publicly is public.
    return classes.includes('public') ? 'public' : classes.includes('private') ? 'private' : 'loopback';
  } catch {
    return addressClass(h);
  }
}

function facts(s: SessionResult): McpSessionFacts {
  const f: McpSessionFacts = { ok: s.ok };
  for (const k of ['transport', 'protocolVersion', 'serverName', 'status', 'toolsListed', 'tools', 'error'] as const) {
    if (s[k] !== undefined) (f as unknown as Record<string, unknown>)[k] = s[k];
  }
  return f;
}

/** Does the endpoint complete its handshake when sent these headers? (transport already known) */
async function handshakeWith(url: string, obs: McpEndpointObservation, headers: Record<string, string>, timeoutMs: number, stats: ProbeStats): Promise<McpHeaderTest> {
  try {
    if (obs.anonymous.transport === 'sse') {
      const s = await openStream(url, { headers: { accept: 'text/event-stream', ...headers }, timeoutMs, stats });
      if (s.status !== 200 || !/event-stream/.test(s.headers['content-type'] ?? '')) {
        s.abort();
        return { status: s.status, accepted: false };
      }
      const gotEndpoint = await new Promise<boolean>((resolve) => {
        let buf = '';
        const done = (v: boolean) => {
          clearTimeout(timer);
          s.abort();
          resolve(v);
        };
        const timer = setTimeout(() => done(false), timeoutMs);
        s.res.on('data', (c: Buffer) => {
          buf += c.toString('utf8');
          if (sseEvents(buf).some((e) => e.event === 'endpoint')) done(true);
        });
        s.res.on('error', () => done(false));
        s.res.on('end', () => done(sseEvents(buf).some((e) => e.event === 'endpoint')));
      });
      return { status: s.status, accepted: gotEndpoint };
    }
    const is2026 = obs.anonymous.transport === 'stateless-2026';
    const method = is2026 ? 'server/discover' : 'initialize';
    const params = is2026 ? {} : { protocolVersion: obs.anonymous.protocolVersion ?? '2025-06-18', capabilities: {}, clientInfo: { name: 'nhi-audit', version: 'probe' } };
    const r = await fetchText(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        ...(is2026 ? { 'mcp-protocol-version': PROTOCOL_2026, 'mcp-method': method } : {}),
        ...headers,
      },
      body: jsonRpcRequest(1, method, params),
      timeoutMs,
      stats,
    });
    const accepted = r.status >= 200 && r.status < 300 && !!jsonRpcAnswer(r.body, r.headers['content-type'], 1)?.result;
    const session = r.headers['mcp-session-id'];
    if (session) await fetchText(url, { method: 'DELETE', headers: { 'mcp-session-id': session, ...headers }, timeoutMs, stats, retries: 0 }).catch(() => undefined);
    return { status: r.status, accepted };
  } catch (e) {
    if (e instanceof NetError) return { accepted: false, error: e.message };
    throw e;
  }
}

function jwtAudience(token: string): { format: 'jwt' | 'opaque'; audience?: string[] } {
  const parts = token.split('.');
  if (parts.length !== 3) return { format: 'opaque' };
  try {
    const payload = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')) as Record<string, unknown>;
    const aud = typeof payload.aud === 'string' ? [payload.aud] : Array.isArray(payload.aud) ? payload.aud.filter((a): a is string => typeof a === 'string') : [];
    return { format: 'jwt', audience: aud };
  } catch {
    return { format: 'opaque' };
  }
}

function withQuery(url: string, key: string, value: string): string {
  const u = new URL(url);
  u.searchParams.set(key, value);
  return u.href;
}

export async function probeEndpoint(rawUrl: string, o: EndpointProbeOptions): Promise<EndpointProbeResult> {
  const stats: ProbeStats = { requests: 0, retries: 0 };
  const warnings: string[] = [];
  const { url, stripped } = safeUrl(rawUrl);
  if (stripped) warnings.push(`${url}: credentials in the URL were removed before probing`);
  const u = new URL(url);
  const obs: McpEndpointObservation = {
    url,
    scheme: u.protocol === 'https:' ? 'https' : 'http',
    hostClass: await hostClassOf(u.hostname),
    reachable: false,
    anonymous: { ok: false },
  };
  if (o.declaredIn) obs.declaredIn = o.declaredIn;
  if (o.listen) obs.listen = o.listen;
  const base = { timeoutMs: o.timeoutMs, stats };
  const done = (): EndpointProbeResult => ({ observation: obs, warnings, stats: { requests: stats.requests, retries: stats.retries, tools: (obs.anonymous.tools ?? obs.invalidToken?.tools ?? obs.userToken?.tools ?? []).length } });

  const anon = await openSession(url, { ...base, listTools: true, callTools: o.callTools, known: [o.userToken ?? ''] });
  // The challenge is parsed from the header as sent; what the report keeps of it is redacted.
  const challenge = parseChallenge(anon.wwwAuthenticate);
  const shownChallenge = challenge && { ...challenge };
  if (shownChallenge?.error) shownChallenge.error = redactText(shownChallenge.error, [o.userToken]);
  if (shownChallenge?.resourceMetadata) shownChallenge.resourceMetadata = redactText(shownChallenge.resourceMetadata, [o.userToken]);
  obs.anonymous = { ...facts(anon), wwwAuthenticate: anon.wwwAuthenticate && redactText(anon.wwwAuthenticate, [o.userToken]), challenge: shownChallenge };
  if (!obs.anonymous.wwwAuthenticate) delete obs.anonymous.wwwAuthenticate;
  if (!obs.anonymous.challenge) delete obs.anonymous.challenge;
  if (anon.netError) {
    obs.error = anon.netError.message;
    return done();
  }
  obs.reachable = true;
  const needsAuth = anon.status === 401 || anon.status === 403;
  if (!anon.ok && !needsAuth) {
    obs.error = anon.error ?? `HTTP ${anon.status}: not an MCP endpoint`;
    return done();
  }
  if (anon.calledTools) obs.calledTools = anon.calledTools;
  if (anon.ok && anon.toolsListed === false) warnings.push(`${url}: handshake completed but ${anon.error ?? 'tools/list failed'}`);

  if (anon.ok) {
    const port = u.port ? `:${u.port}` : '';
    obs.rebinding = {
      foreignOrigin: await handshakeWith(url, obs, { origin: FOREIGN_ORIGIN }, o.timeoutMs, stats),
      foreignHost: await handshakeWith(url, obs, { host: `${FOREIGN_HOST}${port}` }, o.timeoutMs, stats),
    };
    for (const [k, t] of Object.entries(obs.rebinding)) if (t.error) warnings.push(`${url}: ${k} test: ${t.error}`);
    return done();
  }

  // The endpoint wants a token: how it says so, and whether it checks what it gets.
  obs.resourceMetadata = await discoverResourceMetadata(url, challenge, o.timeoutMs, stats);
  const rmErrors = obs.resourceMetadata.tried.filter((t) => t.error);
  if (!obs.resourceMetadata.found && rmErrors.length) warnings.push(`${url}: protected resource metadata: ${rmErrors.map((t) => `${t.url}: ${t.error}`).join('; ')}`);
  const advertised = obs.resourceMetadata.authorizationServers?.[0];
  // 2025-03-26 servers had no resource metadata: clients looked for the authorization server at the endpoint's origin.
  const issuer = advertised ?? (!obs.resourceMetadata.found ? u.origin : undefined);
  if (issuer) {
    obs.authServer = await discoverAuthServer(issuer, advertised === undefined, o.timeoutMs, stats);
    const asErrors = obs.authServer.tried.filter((t) => t.error);
    if (!obs.authServer.found && asErrors.length) warnings.push(`${url}: authorization server metadata: ${asErrors.map((t) => `${t.url}: ${t.error}`).join('; ')}`);
  }

  const garbage = `nhi-audit-invalid-${randomBytes(12).toString('hex')}`;
  const inv = await openSession(url, { ...base, headers: { authorization: `Bearer ${garbage}` }, listTools: true, known: [garbage, o.userToken ?? ''] });
  obs.invalidToken = { token: 'garbage', ...facts(inv) } satisfies McpTokenTest;
  if (inv.netError) warnings.push(`${url}: invalid-token test: ${inv.netError.message}`);

  if (o.userToken || !inv.ok) {
    const token = o.userToken ?? garbage;
    const q = await openSession(withQuery(url, 'access_token', token), { ...base, listTools: false, known: [token] });
    obs.queryToken = { token: o.userToken ? 'user' : 'garbage', ...facts(q) };
    if (q.netError) warnings.push(`${url}: query-token test: ${q.netError.message}`);
  }

  if (o.userToken) {
    const aud = jwtAudience(o.userToken);
    const t = await openSession(url, { ...base, headers: { authorization: `Bearer ${o.userToken}` }, listTools: true, known: [o.userToken] });
    const test: McpUserTokenTest = { ...facts(t), format: aud.format };
    if (aud.audience) test.audience = aud.audience;
    const resource = obs.resourceMetadata.resource ?? url;
    if (aud.audience?.some((a) => resourceMatches(a, url) || resourceMatches(a, resource))) test.audienceIsThisEndpoint = true;
    obs.userToken = test;
    if (t.netError) warnings.push(`${url}: --token-env test: ${t.netError.message}`);
    if (test.audienceIsThisEndpoint) warnings.push(`${url}: the --token-env token is issued for this endpoint, so it cannot show whether the audience is checked; use a token for another resource`);
  }

  // CORS: a preflight from a foreign origin, and what the 401 itself said.
  try {
    const pre = await fetchText(url, {
      method: 'OPTIONS',
      headers: { origin: FOREIGN_ORIGIN, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type, mcp-protocol-version' },
      timeoutMs: o.timeoutMs,
      stats,
      retries: 0,
    });
    const acao = pre.headers['access-control-allow-origin'];
    if (acao !== undefined) obs.cors = { allowOrigin: acao, allowHeaders: pre.headers['access-control-allow-headers'], via: 'preflight' };
  } catch (e) {
    if (!(e instanceof NetError)) throw e;
    warnings.push(`${url}: CORS preflight: ${e.message}`);
  }
  if (!obs.cors && anon.allowOrigin !== undefined) obs.cors = { allowOrigin: anon.allowOrigin, via: 'response' };
  return done();
}
