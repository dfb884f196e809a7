import { shannonEntropy } from '../../../detect/entropy.js';
import { isPlaceholder, isSecretManagerRef } from '../../../detect/placeholder.js';
import { SecretScanner } from '../../../detect/scanner.js';
import { loadSecretRules } from '../../../rules/catalog.js';
import type { McpConfigFile, McpServerConfig, McpSetting } from '../../../model/mcp.js';

/**
 * Literal credential or reference? The judgment behind the MCP config checks. A value is a
 * reference when it only names where the credential comes from (${VAR}, ${env:VAR},
 * ${input:id}, $VAR, ${{ secrets.X }}, op://…); it is a literal credential when a provider rule
 * recognises it (ghp_…, sk-…, xoxb-…, AKIA…), or when a credential-named key (TOKEN, KEY, SECRET,
 * PASSWORD, Authorization …) holds a value that is not a placeholder and looks random enough.
 */

/** ${VAR}, ${VAR:-default}, ${env:VAR}, ${input:id}, ${{ secrets.X }}, {{x}}, $VAR, %VAR%, $(cmd), {env:VAR}. */
const REFERENCE_RE = /\$\{\{[^}]*\}\}|\$\{[^}]*\}|\{\{[^}]*\}\}|\$\([^)]*\)|\$[A-Za-z_][A-Za-z0-9_]*|%[A-Za-z_][A-Za-z0-9_]*%|\{env:[^}]+\}/g;
/** Words an Authorization-like value starts with before the credential itself. */
const AUTH_SCHEME_RE = /^(?:bearer|basic|token|bot|apikey|api-key|key|digest|splunk|sso-key|dsn)\s+/i;

/** Names (env vars, headers, flags, fields) whose value is a credential. */
const CREDENTIAL_NAME_RE = /(?:^|_)(?:TOKEN|TOKENS|SECRET|SECRETS|PASSWORD|PASSWD|PWD|PASS|PASSPHRASE|APIKEY|API_KEY|ACCESS_KEY|PRIVATE_KEY|AUTH|AUTHORIZATION|CREDENTIAL|CREDENTIALS|COOKIE|SESSION|PAT|BEARER|KEY|SIGNING_KEY|CLIENT_SECRET|DSN|LICENSE_KEY)(?:$|_)/;
/** …unless the name says it is something else: an id, a URL, a path, a mode. */
const NOT_CREDENTIAL_NAME_RE = /(?:^|_)(?:ID|IDS|URL|URI|ENDPOINT|HOST|HOSTNAME|PORT|PATH|FILE|DIR|NAME|USER|USERNAME|LOGIN|EMAIL|REGION|SCOPE|SCOPES|TYPE|MODE|HEADER|METHOD|PROVIDER|ENABLED|DISABLED|VERSION|FORMAT|ISSUER|AUDIENCE|TTL|TIMEOUT|EXPIRY|EXPIRES|LENGTH|SIZE|LIMIT|COUNT|STRATEGY|LOCATION|ENV|VAR|KEYCHAIN|HELPER|COMMAND|CMD)$/;
/** Query parameters that carry credentials. */
const CREDENTIAL_PARAM_RE = /^(?:access_token|token|api[_-]?key|apikey|key|secret|client_secret|password|pwd|auth|sig|signature|code|session|private_token|x-api-key)$/i;

/** `GITHUB_TOKEN`, `x-api-key`, `apiKey`, `--api-key` → `GITHUB_TOKEN`, `X_API_KEY`, `API_KEY`, `API_KEY`. */
export function normalizeName(name: string): string {
  return name
    .replace(/^-+/, '')
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .toUpperCase();
}

export function isCredentialName(name: string | undefined): boolean {
  if (!name) return false;
  const n = normalizeName(name);
  return CREDENTIAL_NAME_RE.test(n) && !NOT_CREDENTIAL_NAME_RE.test(n);
}

export interface LiteralCredential {
  /** The credential itself (never printed: reports carry its fingerprint and a redacted form). */
  value: string;
  /** Where in the setting: `env GITHUB_TOKEN`, `header Authorization`, `arg --api-key`, `url password` … */
  where: string;
  /** The provider rule that recognised it, when one did. */
  known?: { ruleId: string; title: string };
}

let scanner: SecretScanner | undefined;
/** Provider rules only: the generic assignment rule is replaced here by the name-based judgment. */
function providerScanner(): SecretScanner {
  scanner ??= new SecretScanner(loadSecretRules().filter((r) => r.group !== 'generic'));
  return scanner;
}

function knownToken(name: string | undefined, value: string): { value: string; known: { ruleId: string; title: string } } | undefined {
  // Give context-dependent rules the key they look for: "NAME": "value".
  const prefix = `"${name ?? 'value'}": "`;
  const text = `${prefix}${value}"`;
  const rules = providerScanner().rules;
  for (const m of providerScanner().scanText(text)) {
    if (m.index < prefix.length || m.end > prefix.length + value.length) continue;
    const spec = rules.find((r) => r.spec.id === m.ruleId)?.spec;
    if (spec) return { value: m.value, known: { ruleId: spec.id, title: spec.title } };
  }
  return undefined;
}

/** References removed: what is left is written literally in the file. */
function withoutReferences(value: string): string {
  return value.replace(REFERENCE_RE, ' ').trim();
}

/** Defaults of `${VAR:-default}` / `${VAR-default}`: written literally, used when VAR is unset. */
function referenceDefaults(value: string): string[] {
  const out: string[] = [];
  for (const m of value.matchAll(/\$\{[A-Za-z_][A-Za-z0-9_]*:?-([^}]*)\}/g)) if (m[1]) out.push(m[1]);
  return out;
}

/** Does a value written under a credential name look like a real credential? */
function looksLikeCredential(v: string): boolean {
  if (v.length < 8 || v.length > 4096) return false;
  if (isPlaceholder(v) || isSecretManagerRef(v)) return false;
  if (/^(?:true|false|null|none|yes|no|on|off|undefined)$/i.test(v)) return false;
  if (/^[0-9.+-]+$/.test(v)) return false;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(v)) return false;
  if (/^(?:~|\.{1,2})?\/|^[A-Za-z]:[\\/]/.test(v)) return false;
  if (/\s/.test(v)) return false;
  return shannonEntropy(v) >= 2.5;
}

/** Credentials inside a URL: a password in the userinfo, or a credential-named query parameter. */
function urlCredentials(value: string, where: string): LiteralCredential[] {
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(value.trim())) return [];
  let u: URL;
  try {
    u = new URL(value.trim());
  } catch {
    return [];
  }
  const out: LiteralCredential[] = [];
  const pw = decodeSafe(u.password);
  // A URL password is a credential whatever it looks like, unless it is a reference or a placeholder.
  if (pw && withoutReferences(pw) === pw && pw.length >= 4 && !isPlaceholder(pw)) out.push({ value: pw, where: `${where} password`, known: knownToken('password', pw)?.known });
  for (const [k, v] of u.searchParams) {
    if (!CREDENTIAL_PARAM_RE.test(k) && !isCredentialName(k)) continue;
    const lit = withoutReferences(v);
    if (lit === v && (knownToken(k, v) || looksLikeCredential(v))) out.push({ value: v, where: `${where} query ${k}`, known: knownToken(k, v)?.known });
  }
  return out;
}

function decodeSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

function describe(s: McpSetting): string {
  switch (s.kind) {
    case 'env':
      return `env ${s.key}`;
    case 'header':
      return `header ${s.key}`;
    case 'url':
      return s.key ?? 'url';
    case 'field':
      return `field ${s.key}`;
    case 'arg':
      return s.key ? `arg ${s.key}` : 'arg';
  }
}

/** Literal credentials in one setting (none when it only references one). */
export function literalCredentials(s: McpSetting): LiteralCredential[] {
  const where = describe(s);
  const out: LiteralCredential[] = [];
  const seen = new Set<string>();
  const add = (c: LiteralCredential) => {
    if (!seen.has(c.value)) {
      seen.add(c.value);
      out.push(c);
    }
  };
  for (const d of referenceDefaults(s.value)) {
    const k = knownToken(s.key, d);
    if (k) add({ value: k.value, where: `${where} (default of a reference)`, known: k.known });
    else if ((isCredentialName(s.key) || s.kind === 'header') && looksLikeCredential(d.replace(AUTH_SCHEME_RE, ''))) add({ value: d.replace(AUTH_SCHEME_RE, ''), where: `${where} (default of a reference)` });
  }
  for (const c of urlCredentials(s.value, s.kind === 'url' ? 'url' : `${where} URL`)) add(c);
  if (out.length) return out;
  const literal = withoutReferences(s.value);
  if (literal !== s.value.trim() && literal.replace(AUTH_SCHEME_RE, '').length < 8) return out; // e.g. "Bearer ${TOKEN}"
  const k = knownToken(s.key, literal);
  if (k) {
    add({ value: k.value, where, known: k.known });
    return out;
  }
  if (literal !== s.value.trim()) return out; // part reference, part text: not judged by name alone
  const named = isCredentialName(s.key) || (s.kind === 'header' && /^(?:authorization|proxy-authorization|cookie)$/i.test(s.key ?? ''));
  if (!named) return out;
  const bare = literal.replace(AUTH_SCHEME_RE, '');
  if (looksLikeCredential(bare)) add({ value: bare, where });
  return out;
}

/** Ids of `${input:id}` references in a value. */
export function inputReferences(value: string): string[] {
  return [...value.matchAll(/\$\{input:([^}]+)\}/g)].map((m) => m[1].trim());
}

/** Every literal credential of a server, with the setting it is in. */
export function serverCredentials(server: McpServerConfig): Array<LiteralCredential & { setting: McpSetting }> {
  return server.settings.flatMap((s) => literalCredentials(s).map((c) => ({ ...c, setting: s })));
}

/** `mcp:<client>:<server>` (with the project for Claude Code's per-project servers). */
export function serverResource(file: McpConfigFile, server: { name: string; scope?: string }): string {
  return `mcp:${file.client}:${server.scope ? `${server.scope}#` : ''}${server.name}`;
}
