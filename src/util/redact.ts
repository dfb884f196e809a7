import { SecretScanner } from '../detect/scanner.js';
import { redact } from '../model/fingerprint.js';
import { loadSecretRules } from '../rules/catalog.js';

let scanner: SecretScanner | undefined;

/**
 * Credential-shaped parameters a remote service may echo back in an error (a signed URL, a
 * request dump): the value after them is replaced whatever it looks like.
 */
const ECHOED = /((?:X-Amz-Security-Token|X-Amz-Credential|X-Amz-Signature|AWSAccessKeyId|Signature|SessionToken|security[_-]?token|access[_-]?token|refresh[_-]?token|id[_-]?token|client[_-]?secret|api[_-]?key|password|authorization|private[_-]?token|x-api-key)["']?\s*[:=]\s*["']?(?:Bearer\s+|Basic\s+|token\s+)?)([^\s"'&,;<>)}\]]{4,})/gi;

/**
 * A credential after an auth scheme without a header name ("invalid token Bearer abc…"): only a
 * single token68-like word that ends there, so a challenge's `Bearer realm="…"` or
 * `Bearer resource_metadata="…"` parameters are left alone.
 */
const SCHEME = /\b((?:Bearer|Basic)\s+)([A-Za-z0-9._~+/-]{8,}=*)(?=$|[\s"',;)\]}])/g;

/**
 * Loading the secret rules costs a second or more, so text with nothing a rule could match is not
 * scanned: every credential the rules know is a key block or a run of 12+ token characters mixing
 * letters and digits (prose, paths and `resource_metadata`-style names have none).
 */
const CANDIDATE = /[A-Za-z0-9+/=_~-]{12,}/g;
function worthScanning(text: string): boolean {
  if (text.includes('-----BEGIN')) return true;
  for (const m of text.matchAll(CANDIDATE)) if (/\d/.test(m[0]) && /[A-Za-z]/.test(m[0])) return true;
  return false;
}

/** The password of a URL's userinfo (`https://user:PASSWORD@host/…`, a clone URL an API handed out). */
const USERINFO = /(\b[a-z][a-z0-9+.-]*:\/\/[^\s/:@]*:)([^\s/@]{4,})(@)/gi;

function scan(text: string): Array<{ ruleId: string; value: string; pair?: string }> {
  scanner ??= new SecretScanner(loadSecretRules());
  return scanner.scanBuffer(Buffer.from(text, 'utf8')).matches;
}

/**
 * Text copied from a remote service (an AWS, GitHub or MCP error message, a git clone's stderr, a
 * WWW-Authenticate header) before it goes into a report, a log or an exception: every value a
 * secret rule matches, every value of a credential-shaped parameter, and every `known` value (the
 * token this run sent, which the service may echo in any format) is replaced by its redacted form
 * — the same redaction scanned text gets.
 */
export function redactText(text: string, known: Array<string | undefined> = []): string {
  if (!text) return text;
  let out = text;
  for (const k of known.filter((v): v is string => typeof v === 'string' && v.length >= 8).sort((a, b) => b.length - a.length)) out = out.split(k).join(redact(k));
  out = out.replace(USERINFO, (_m, head: string, value: string, at: string) => `${head}${redact(value)}${at}`);
  out = out.replace(ECHOED, (_m, key: string, value: string) => `${key}${redact(value)}`);
  // A word of prose ("Bearer authentication") has no digit and is short; a credential has either.
  out = out.replace(SCHEME, (m, scheme: string, value: string) => (/\d/.test(value) || value.length >= 20 ? `${scheme}${redact(value)}` : m));
  if (!worthScanning(out)) return out;
  try {
    const values = new Set<string>();
    for (const m of scan(out)) {
      values.add(m.value);
      if (m.pair !== undefined) values.add(m.pair);
    }
    for (const v of [...values].sort((a, b) => b.length - a.length)) if (v.length >= 8) out = out.split(v).join(redact(v));
  } catch {
    // The rules could not be loaded: the parameter redaction above still applied.
  }
  return out;
}

/**
 * One line of remote text for a message: the first non-empty line, control characters removed,
 * redacted, then cut to `max` characters.
 */
export function remoteLine(text: string, known: Array<string | undefined> = [], max = 200): string {
  const line = (text.split(/\r?\n/).find((l) => l.trim()) ?? '').replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ').trim();
  // Redact the whole line before cutting it: a cut first could leave half a secret no rule matches.
  const r = redactText(line.slice(0, 64 * 1024), known);
  return r.length > max ? `${r.slice(0, max)}…` : r;
}

/** Ids of the secret rules that match somewhere in `text` (never the values): e.g. a tool's answer. */
export function secretRulesIn(text: string): string[] {
  if (!text || !worthScanning(text)) return [];
  try {
    return [...new Set(scan(text).map((m) => m.ruleId))].sort();
  } catch {
    return [];
  }
}
