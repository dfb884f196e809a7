import type { McpAuthServerFacts, McpChallenge, McpFetchAttempt, McpResourceMetadataFacts } from '../../../model/mcp.js';
import { fetchText, NetError, type ProbeStats } from './http.js';
import { redactText } from '../../../util/redact.js';

/**
 * URLs the server advertised are its text: shown redacted (a `?access_token=` in one stays out of
 * reports). Only a query or userinfo can hold a credential; other URLs are shown as they are.
 */
function shown(url: string): string {
  return /[?@]/.test(url) ? redactText(url) : url;
}

/** Parse `WWW-Authenticate` (RFC 9110 §11.6.1): the Bearer challenge if there is one, else the first. */
export function parseChallenge(header: string | undefined): McpChallenge | undefined {
  if (!header) return undefined;
  const challenges: McpChallenge[] = [];
  const re = /([A-Za-z][\w!#$%&'*+.^`|~-]*)(?:\s+((?:[\w!#$%&'*+.^`|~-]+\s*=\s*(?:"(?:[^"\\]|\\.)*"|[^\s,"]+)\s*,?\s*)*))?(?:,\s*|$)/gy;
  let m: RegExpExecArray | null;
  re.lastIndex = 0;
  while (re.lastIndex < header.length && (m = re.exec(header))) {
    if (m[0].length === 0) break;
    const c: McpChallenge = { scheme: m[1] };
    for (const p of (m[2] ?? '').matchAll(/([\w!#$%&'*+.^`|~-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,"]+))/g)) {
      const key = p[1].toLowerCase();
      const value = (p[2] ?? p[3]).replace(/\\(.)/g, '$1');
      if (key === 'resource_metadata') c.resourceMetadata = value;
      else if (key === 'scope') c.scope = value;
      else if (key === 'error') c.error = value;
    }
    challenges.push(c);
  }
  return challenges.find((c) => c.scheme.toLowerCase() === 'bearer') ?? challenges[0];
}

interface JsonFetch {
  doc?: Record<string, unknown>;
  attempt: McpFetchAttempt;
  /** Present but not a JSON object. */
  invalid?: boolean;
}

async function getJson(url: string, timeoutMs: number, stats: ProbeStats): Promise<JsonFetch> {
  try {
    const r = await fetchText(url, { headers: { accept: 'application/json' }, timeoutMs, stats, maxBytes: 256 * 1024 });
    const attempt: McpFetchAttempt = { url: shown(url), status: r.status };
    if (r.status !== 200) return { attempt };
    try {
      const doc = JSON.parse(r.body) as unknown;
      if (doc && typeof doc === 'object' && !Array.isArray(doc)) return { doc: doc as Record<string, unknown>, attempt };
    } catch {
      /* not JSON */
    }
    return { attempt, invalid: true };
  } catch (e) {
    if (e instanceof NetError) return { attempt: { url: shown(url), error: e.message } };
    throw e;
  }
}

function strings(v: unknown): string[] | undefined {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : undefined;
}

/** RFC 9728 §3.1 well-known URLs of a resource: with its path inserted, then at the root. */
export function resourceMetadataUrls(endpoint: string): string[] {
  const u = new URL(endpoint);
  const path = u.pathname.replace(/\/+$/, '');
  const out = [];
  if (path) out.push(`${u.origin}/.well-known/oauth-protected-resource${path}`);
  out.push(`${u.origin}/.well-known/oauth-protected-resource`);
  return out;
}

/** The advertised resource_metadata URL first, then the well-known ones; the first JSON document wins. */
export async function discoverResourceMetadata(endpoint: string, challenge: McpChallenge | undefined, timeoutMs: number, stats: ProbeStats): Promise<McpResourceMetadataFacts> {
  const facts: McpResourceMetadataFacts = { found: false, tried: [] };
  const candidates: string[] = [];
  if (challenge?.resourceMetadata) {
    facts.advertisedUrl = shown(challenge.resourceMetadata);
    try {
      const adv = new URL(challenge.resourceMetadata, endpoint);
      if (adv.protocol === 'https:' || adv.protocol === 'http:') candidates.push(adv.href);
    } catch {
      facts.tried.push({ url: shown(challenge.resourceMetadata), error: 'not a URL' });
    }
  }
  for (const u of resourceMetadataUrls(endpoint)) if (!candidates.includes(u)) candidates.push(u);
  for (const url of candidates) {
    const r = await getJson(url, timeoutMs, stats);
    facts.tried.push(r.attempt);
    if (r.invalid) facts.invalid = true;
    if (!r.doc) continue;
    facts.found = true;
    facts.invalid = undefined;
    facts.url = shown(url);
    if (typeof r.doc.resource === 'string') facts.resource = r.doc.resource;
    facts.authorizationServers = strings(r.doc.authorization_servers);
    facts.scopesSupported = strings(r.doc.scopes_supported);
    break;
  }
  if (facts.invalid === undefined) delete facts.invalid;
  return facts;
}

/** RFC 8414 §3.1 and OpenID Connect Discovery URLs for an issuer, in the order MCP clients try them. */
export function authServerMetadataUrls(issuer: string): string[] {
  const u = new URL(issuer);
  const path = u.pathname.replace(/\/+$/, '');
  if (!path) return [`${u.origin}/.well-known/oauth-authorization-server`, `${u.origin}/.well-known/openid-configuration`];
  return [`${u.origin}/.well-known/oauth-authorization-server${path}`, `${u.origin}/.well-known/openid-configuration${path}`, `${u.origin}${path}/.well-known/openid-configuration`];
}

const ENDPOINT_KEYS = ['authorization_endpoint', 'token_endpoint', 'registration_endpoint', 'jwks_uri', 'revocation_endpoint', 'introspection_endpoint', 'userinfo_endpoint', 'device_authorization_endpoint'];

export async function discoverAuthServer(issuer: string, derived: boolean, timeoutMs: number, stats: ProbeStats): Promise<McpAuthServerFacts> {
  const facts: McpAuthServerFacts = { issuer, found: false, tried: [], endpoints: {} };
  if (derived) facts.derived = true;
  let urls: string[];
  try {
    urls = authServerMetadataUrls(issuer);
  } catch {
    facts.tried.push({ url: issuer, error: 'not a URL' });
    return facts;
  }
  for (const url of urls) {
    const r = await getJson(url, timeoutMs, stats);
    facts.tried.push(r.attempt);
    if (!r.doc) continue;
    const d = r.doc;
    facts.found = true;
    facts.url = shown(url);
    if (typeof d.issuer === 'string') facts.issuerInDocument = d.issuer;
    facts.codeChallengeMethods = strings(d.code_challenge_methods_supported);
    for (const k of ENDPOINT_KEYS) if (typeof d[k] === 'string') facts.endpoints[k] = shown(d[k] as string);
    facts.registrationEndpoint = typeof d.registration_endpoint === 'string';
    if (typeof d.client_id_metadata_document_supported === 'boolean') facts.clientIdMetadataDocumentSupported = d.client_id_metadata_document_supported;
    facts.scopesSupported = strings(d.scopes_supported);
    facts.grantTypes = strings(d.grant_types_supported);
    break;
  }
  return facts;
}
