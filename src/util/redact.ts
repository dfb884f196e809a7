import { SecretScanner } from '../detect/scanner.js';
import { redact } from '../model/fingerprint.js';
import { loadSecretRules } from '../rules/catalog.js';

let scanner: SecretScanner | undefined;

/**
 * Credential-shaped parameters a remote service may echo back in an error (a signed URL, a
 * request dump): the value after them is replaced whatever it looks like.
 */
const ECHOED = /((?:X-Amz-Security-Token|X-Amz-Credential|X-Amz-Signature|AWSAccessKeyId|Signature|SessionToken|security[_-]?token|access[_-]?token|refresh[_-]?token|client[_-]?secret|api[_-]?key|password|authorization)["']?\s*[:=]\s*["']?(?:Bearer\s+|Basic\s+|token\s+)?)([^\s"'&,;<>)}\]]{4,})/gi;

/**
 * Text copied from a remote service (an AWS, GitHub or MCP error message) before it goes into a
 * report or a log: every value a secret rule matches, and every value of a credential-shaped
 * parameter, is replaced by its redacted form — the same redaction scanned text gets.
 */
export function redactText(text: string): string {
  if (!text) return text;
  let out = text.replace(ECHOED, (_m, key: string, value: string) => `${key}${redact(value)}`);
  try {
    scanner ??= new SecretScanner(loadSecretRules());
    const found = scanner.scanBuffer(Buffer.from(out, 'utf8')).matches;
    const values = new Set<string>();
    for (const m of found) {
      values.add(m.value);
      if (m.pair !== undefined) values.add(m.pair);
    }
    for (const v of [...values].sort((a, b) => b.length - a.length)) if (v.length >= 8) out = out.split(v).join(redact(v));
  } catch {
    // The rules could not be loaded: the parameter redaction above still applied.
  }
  return out;
}
