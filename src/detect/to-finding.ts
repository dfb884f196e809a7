import type { Finding, Location } from '../model/finding.js';
import { findingId, identifierFingerprint, redact, secretFingerprint } from '../model/fingerprint.js';
import type { SecretRuleSpec } from '../model/rule.js';
import type { TextMatch } from './scanner.js';

export interface SecretPlace extends Location {
  source: string;
}

/** Rules whose primary match is a public identifier (an AWS key id) rather than the secret itself. */
export function identifierRules(rules: SecretRuleSpec[]): Set<string> {
  return new Set(rules.filter((r) => r.pair || r.identifier).map((r) => r.id));
}

/**
 * A secret finding from a rule match. The id hashes the rule and the secret only, so it survives
 * line moves and renames; the value itself is kept only when the user asked (--show-secrets).
 */
export function secretFinding(rule: SecretRuleSpec, m: TextMatch, place: SecretPlace, opts: { showSecrets: boolean; identifier: boolean }): Finding {
  const full = m.pair !== undefined ? `${m.value}\n${m.pair}` : m.value;
  const fingerprint = secretFingerprint(full);
  const location: Location = { ...place, line: place.line ?? m.line, column: place.column ?? m.column };
  delete (location as { source?: string }).source;
  const f: Finding = {
    id: findingId(rule.id, fingerprint),
    ruleId: rule.id,
    title: rule.title,
    severity: rule.severity,
    score: 0,
    owasp: [...rule.owasp],
    source: place.source,
    location,
    secret: { redacted: redact(m.value), fingerprint },
    occurrences: [{ ...location, source: place.source }],
    message: `${rule.title} (${redact(m.value)})${m.pair !== undefined ? ' together with its secret part' : ''}: ${rule.description.split(/(?<=\.)\s/)[0]}`,
    remediation: rule.remediation,
  };
  if (opts.identifier) f.secret!.identifierFingerprint = identifierFingerprint(m.value);
  if (opts.showSecrets) f.secret!.value = full;
  return f;
}
