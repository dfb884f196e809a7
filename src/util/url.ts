/** Query parameters that carry credentials: their values never reach a report or a probe. */
const CREDENTIAL_PARAM = /^(?:access_token|token|api[_-]?key|apikey|key|secret|client_secret|password|pwd|auth|sig|signature|code|session|private_token|x-api-key)$/i;

/**
 * An endpoint URL fit for a report and for an anonymous probe: no userinfo, no credential query
 * parameters, no fragment. `stripped` says whether anything was removed.
 */
export function safeUrl(raw: string): { url: string; stripped: boolean } {
  const u = new URL(raw.trim());
  let stripped = false;
  if (u.username || u.password) {
    u.username = '';
    u.password = '';
    stripped = true;
  }
  for (const k of [...u.searchParams.keys()]) {
    if (CREDENTIAL_PARAM.test(k)) {
      u.searchParams.delete(k);
      stripped = true;
    }
  }
  u.hash = '';
  return { url: u.href, stripped };
}

/** Canonical form for comparing resource identifiers (RFC 8707): lower-case scheme and host, no default port, no trailing slash. */
export function canonicalResource(s: string): string | undefined {
  try {
    const u = new URL(s);
    u.hash = '';
    return `${u.protocol}//${u.host}${u.pathname.replace(/\/+$/, '')}${u.search}`;
  } catch {
    return undefined;
  }
}

/**
 * Does a protected-resource identifier cover this endpoint? Same origin, and its path is the
 * endpoint's path or a parent of it (as MCP clients accept).
 */
export function resourceMatches(resource: string, endpoint: string): boolean {
  const r = canonicalResource(resource);
  const e = canonicalResource(endpoint);
  if (!r || !e) return false;
  if (r === e) return true;
  const ru = new URL(r);
  const eu = new URL(e);
  if (ru.origin !== eu.origin) return false;
  const rp = ru.pathname.replace(/\/+$/, '');
  return rp === '' || eu.pathname === rp || eu.pathname.startsWith(`${rp}/`);
}
